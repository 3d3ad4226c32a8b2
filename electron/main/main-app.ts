import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as ElectronModule from 'electron';
import type {
  BrowserWindow as BrowserWindowType,
  MessagePortMain,
  Tray as TrayType,
  WebContents,
} from 'electron';
import { desktopEventSchema, type DesktopEvent } from '../../db/wire/desktop-api.ts';
import { createAlertNotifier, createBadge } from './alerts.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  appSchemePrivileges,
  createAppProtocolHandler,
  isAppUrl,
} from './app-protocol.ts';
import { deviceId, readConfig } from './config.ts';
import { createCoreProcess, type CoreProcess } from './core-process.ts';
import { contentSecurityPolicy, withContentSecurityPolicy } from './csp.ts';
import { iconPng } from './icon.ts';
import { createLog } from './log.ts';
import { menuTemplate } from './menu.ts';
import { ipcChannels, type ShellCommand } from './process-wire.ts';
import {
  createNavigationPolicy,
  guardWebContents,
  permissionAllowed,
  secureWebPreferences,
} from './security.ts';
import { createSessionStore } from './session-store.ts';
import { claimSingleInstance } from './single-instance.ts';
import { startAutoUpdates, type UpdaterLike } from './updater.ts';

/** The parts of the `electron` module main uses: injected, so nothing here imports it. */
export type ElectronMain = Pick<
  typeof ElectronModule,
  | 'app'
  | 'BrowserWindow'
  | 'Menu'
  | 'MessageChannelMain'
  | 'Notification'
  | 'Tray'
  | 'ipcMain'
  | 'nativeImage'
  | 'protocol'
  | 'safeStorage'
  | 'session'
  | 'shell'
  | 'utilityProcess'
>;

export interface MainAppOptions {
  /** The folder of the built main process (out/main): preload, renderer and core are beside it. */
  mainDir: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  loadUpdater: () => Promise<UpdaterLike>;
}

/**
 * The main process, kept thin: one window over the app's own scheme, the local core in a utility
 * process, the tray and its badge, notifications, the menu, the session's keychain, updates.
 * Everything with a decision in it is a small module of this folder with its own tests.
 */
export function createMainApp(electron: ElectronMain, options: MainAppOptions): void {
  const { app } = electron;
  const log = createLog('main');
  const appName = 'Fieldline';
  const preload = path.join(options.mainDir, '..', 'preload', 'index.cjs');
  const rendererRoot = path.join(options.mainDir, '..', 'renderer');
  const coreEntry = path.join(options.mainDir, 'utility-entry.js');

  let window: BrowserWindowType | null = null;
  let tray: TrayType | null = null;
  let core: CoreProcess<MessagePortMain> | null = null;
  let quitting = false;
  let createWindow: (() => void) | null = null;

  const focusWindow = () => {
    if (!window || window.isDestroyed()) {
      createWindow?.();
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  // A separate profile (tests, a second person on a shared login): set before the single-instance
  // lock, which is per userData folder.
  const userDataOverride = options.env.FIELDLINE_USER_DATA_DIR;
  if (userDataOverride) app.setPath('userData', path.resolve(userDataOverride));

  if (!claimSingleInstance(app, focusWindow)) return;

  // Before `ready`: the scheme must be privileged before any session exists.
  electron.protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
  app.enableSandbox();
  app.setName(appName);

  const fatal = (error: unknown) => {
    log.error(
      `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    app.exit(1);
  };

  app
    .whenReady()
    .then(async () => {
      const config = readConfig(options.env, {
        userData: app.getPath('userData'),
        isPackaged: app.isPackaged,
        join: (...parts) => path.join(...parts),
      });
      const csp = contentSecurityPolicy({ devServerUrl: config.devServerUrl });
      const navigation = createNavigationPolicy({ devServerUrl: config.devServerUrl });
      const defaultSession = electron.session.defaultSession;

      electron.protocol.handle(
        APP_SCHEME,
        createAppProtocolHandler({
          root: rendererRoot,
          csp,
          files: { readFile: (file) => fs.readFile(file), realpath: (file) => fs.realpath(file) },
        }),
      );
      defaultSession.webRequest.onHeadersReceived((details, callback) => {
        callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, csp) });
      });
      defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
        callback(permissionAllowed(permission, details.requestingUrl));
      });
      defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
        permissionAllowed(permission, requestingOrigin),
      );

      // Every WebContents, this window's and any other, gets the navigation policy.
      app.on('web-contents-created', (_event, contents) => {
        guardWebContents(contents, {
          isAllowed: navigation.isAllowed,
          openExternal: (url) => electron.shell.openExternal(url),
          warn: (message) => log.warn(message),
        });
      });

      const send = (command: ShellCommand) => {
        if (window && !window.isDestroyed()) window.webContents.send(ipcChannels.command, command);
      };

      // ── tray, badge, notifications ──────────────────────────────────────────────────────
      const icon = electron.nativeImage.createFromBuffer(iconPng(64));
      tray = new electron.Tray(icon.resize({ width: options.platform === 'darwin' ? 16 : 22 }));
      tray.setToolTip(appName);
      tray.on('click', focusWindow);
      tray.setContextMenu(
        electron.Menu.buildFromTemplate([
          { label: `Open ${appName}`, click: focusWindow },
          { type: 'separator' },
          { role: 'quit' },
        ]),
      );
      const badge = createBadge(
        {
          platform: options.platform,
          setBadgeCount: (count) => app.setBadgeCount(count),
          tray,
        },
        appName,
      );
      const notifier = createAlertNotifier({
        isSupported: () => electron.Notification.isSupported(),
        create: (notification) => new electron.Notification({ ...notification, icon }),
        focusWindow,
        send,
      });
      const onEvent = (event: DesktopEvent) => {
        if (event.type === 'alert') notifier.show(event.alert);
        else if (event.type === 'badge') badge.update(event.missedUnseen);
      };

      // ── the local core ──────────────────────────────────────────────────────────────────
      const userData = app.getPath('userData');
      const vault = createSessionStore({
        safeStorage: {
          isEncryptionAvailable: () => electron.safeStorage.isEncryptionAvailable(),
          encryptString: (text) => electron.safeStorage.encryptString(text),
          decryptString: (data) => electron.safeStorage.decryptString(data),
          ...(options.platform === 'linux'
            ? { getSelectedStorageBackend: () => electron.safeStorage.getSelectedStorageBackend() }
            : {}),
        },
        file: path.join(userData, 'session.bin'),
        log,
      });
      const connectRenderer = (contents: WebContents) => {
        const running = core?.connect((port) =>
          contents.postMessage(ipcChannels.port, { state: 'connected' }, [port]),
        );
        if (!running) {
          contents.postMessage(ipcChannels.port, {
            state: 'failed',
            message: 'The local core is not running; restart Fieldline.',
          });
        }
      };
      core = createCoreProcess<MessagePortMain>({
        fork: () =>
          electron.utilityProcess.fork(coreEntry, [], {
            serviceName: `${appName} core`,
            stdio: 'inherit',
            // Node (≥ 22.1, as in Electron) keeps the core's compiled code on disk: launches after
            // the first skip compiling zod, drizzle and the core's own modules again.
            env: { ...options.env, NODE_COMPILE_CACHE: path.join(userData, 'compile-cache') },
          }),
        createChannel: () => new electron.MessageChannelMain(),
        start: {
          dataDir: config.dataDir,
          serverUrl: config.serverUrl,
          deviceId: await deviceId(path.join(userData, 'device-id')),
        },
        vault,
        onEvent,
        onAvailable: () => {
          if (window && !window.isDestroyed()) connectRenderer(window.webContents);
        },
        onUnavailable: (state, message) => {
          if (window && !window.isDestroyed()) {
            window.webContents.postMessage(ipcChannels.port, { state, message });
          }
        },
        log,
      });

      // A page asks for its port when its preload starts (each load, each reload): only our own
      // window's main frame on our own origin gets one.
      electron.ipcMain.on(ipcChannels.portRequest, (event) => {
        const frame = event.senderFrame;
        if (
          !window ||
          event.sender !== window.webContents ||
          !frame ||
          frame.parent !== null || // the main frame has no parent
          !navigation.isAllowed(frame.url)
        ) {
          log.warn('refused a port request from a frame that is not the app');
          return;
        }
        connectRenderer(event.sender);
      });

      // ── window, menu ────────────────────────────────────────────────────────────────────
      createWindow = () => {
        const next = new electron.BrowserWindow({
          title: appName,
          width: 1440,
          height: 900,
          minWidth: 960,
          minHeight: 600,
          show: false,
          icon,
          backgroundColor: '#ffffff',
          webPreferences: secureWebPreferences(preload),
        });
        window = next;
        next.once('ready-to-show', () => next.show());
        next.on('closed', () => {
          if (window === next) window = null;
        });
        void next.loadURL(config.devServerUrl ?? APP_ENTRY_URL).catch((error: unknown) => {
          log.error(
            `the window could not load: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
      };

      electron.Menu.setApplicationMenu(
        electron.Menu.buildFromTemplate(
          menuTemplate({ platform: options.platform, appName, development: !app.isPackaged, send }),
        ),
      );

      core.start();
      createWindow();

      // Test hook for e2e/electron.spec.ts: an unpackaged app started with FIELDLINE_E2E_HOOKS=1
      // lets the test feed main a core event (validated like any other). Never in a packaged app.
      if (!app.isPackaged && options.env.FIELDLINE_E2E_HOOKS === '1') {
        (globalThis as { fieldlineE2E?: unknown }).fieldlineE2E = {
          emit: (event: unknown) => onEvent(desktopEventSchema.parse(event)),
          isAppUrl: (url: string) => isAppUrl(url),
          webPreferences: () => secureWebPreferences(preload),
          badge: () => badge.count,
        };
      }

      startAutoUpdates({ isPackaged: app.isPackaged, load: options.loadUpdater, log });
    })
    .catch(fatal);

  app.on('activate', focusWindow);
  // The app lives on in the tray with its window closed, so missed calls still notify; Quit (menu,
  // tray, Cmd+Q) ends it.
  app.on('window-all-closed', () => {
    if (quitting) app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitting || !core) return;
    // Close the replica cleanly first (bounded: stop() kills the core after 5 s).
    event.preventDefault();
    quitting = true;
    void core.stop().finally(() => {
      tray?.destroy();
      app.quit();
    });
  });
}
