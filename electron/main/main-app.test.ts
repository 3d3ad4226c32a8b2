import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appSchemePrivileges } from './app-protocol.ts';
import { createMainApp, type ElectronMain } from './main-app.ts';
import { secureWebPreferences } from './security.ts';

/**
 * createMainApp against a stand-in `electron` module: the wiring between the tested pieces (the
 * order of start-up, which window gets a port, where events go, how quitting waits for the core).
 */

type Listener = (...args: never[]) => unknown;
const emitter = () => {
  const listeners = new Map<string, Listener[]>();
  return {
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return this;
    },
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    },
    fire(event: string, ...args: unknown[]) {
      for (const listener of listeners.get(event) ?? [])
        (listener as (...a: unknown[]) => unknown)(...args);
    },
  };
};

function fakeElectron(options: { locked?: boolean } = {}) {
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  const paths = new Map<string, string>([['userData', '/nowhere']]);
  const app = Object.assign(emitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => options.locked ?? true),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: () => whenReady,
    getPath: (name: string) => paths.get(name)!,
    setPath: vi.fn((name: string, value: string) => paths.set(name, value)),
    enableSandbox: vi.fn(),
    setName: vi.fn(),
    setBadgeCount: vi.fn(() => true),
  });
  const children: Array<
    ReturnType<typeof emitter> & { posted: unknown[][]; kill: () => boolean; entry: string }
  > = [];
  const windows: FakeWindow[] = [];
  const notifications: FakeNotification[] = [];
  const trays: FakeTray[] = [];
  let headers:
    | ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void)
    | undefined;
  let permission:
    | ((
        wc: unknown,
        permission: string,
        cb: (granted: boolean) => void,
        details: { requestingUrl: string },
      ) => void)
    | undefined;
  const ipc = new Map<string, (event: unknown) => void>();
  const menus: unknown[] = [];

  class FakeWindow {
    readonly events = emitter();
    readonly options: { webPreferences: unknown };
    readonly mainFrame = { url: 'app://fieldline/index.html', parent: null };
    readonly webContents = {
      send: vi.fn(),
      postMessage: vi.fn(),
      mainFrame: this.mainFrame,
    };
    loaded: string | undefined;
    focused = 0;
    constructor(options: { webPreferences: unknown }) {
      this.options = options;
      windows.push(this);
    }
    once(event: string, listener: Listener) {
      this.events.on(event, listener);
    }
    on(event: string, listener: Listener) {
      this.events.on(event, listener);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    restore = vi.fn();
    show = vi.fn();
    focus = () => {
      this.focused += 1;
    };
  }
  class FakeNotification {
    static isSupported = () => true;
    readonly events = emitter();
    shown = false;
    constructor(readonly options: { title: string; body: string }) {
      notifications.push(this);
    }
    on(event: string, listener: Listener) {
      this.events.on(event, listener);
    }
    show() {
      this.shown = true;
    }
  }
  class FakeTray {
    tooltip = '';
    destroyed = false;
    constructor() {
      trays.push(this);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setTitle = vi.fn();
    on = vi.fn();
    setContextMenu = vi.fn();
    destroy() {
      this.destroyed = true;
    }
  }
  let channels = 0;
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    Notification: FakeNotification,
    Tray: FakeTray,
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => menus.push(menu),
    },
    MessageChannelMain: class {
      readonly port1 = { name: `core-${++channels}` };
      readonly port2 = { name: `renderer-${channels}` };
    },
    ipcMain: {
      on: (channel: string, listener: (event: unknown) => void) => ipc.set(channel, listener),
    },
    nativeImage: { createFromBuffer: () => ({ resize: () => ({ image: true }) }) },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: vi.fn(),
      decryptString: vi.fn(),
      getSelectedStorageBackend: () => 'basic_text',
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (listener: typeof headers) => (headers = listener) },
        setPermissionRequestHandler: (handler: typeof permission) => (permission = handler),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    utilityProcess: {
      fork: (entry: string) => {
        const posted: unknown[][] = [];
        const child = Object.assign(emitter(), {
          entry,
          posted,
          postMessage: (...args: unknown[]) => posted.push(args),
          kill: () => true,
        });
        children.push(child);
        return child;
      },
    },
  };
  return {
    electron: electron as unknown as ElectronMain,
    fake: electron,
    ready: () => ready(),
    app,
    children,
    windows,
    notifications,
    trays,
    ipc,
    menus,
    headers: () => headers!,
    permission: () => permission!,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fl-main-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function started() {
  const world = fakeElectron();
  const loadUpdater = vi.fn();
  createMainApp(world.electron, {
    mainDir: '/app/out/main',
    env: { FIELDLINE_USER_DATA_DIR: dir },
    platform: 'linux',
    loadUpdater,
  });
  world.ready();
  await vi.waitFor(() => expect(world.windows).toHaveLength(1));
  return { ...world, window: world.windows[0]!, child: world.children[0]!, loadUpdater };
}

describe('the main process', () => {
  it('quits at once as a second instance, before touching anything else', () => {
    const world = fakeElectron({ locked: false });
    createMainApp(world.electron, {
      mainDir: '/app/out/main',
      env: {},
      platform: 'linux',
      loadUpdater: vi.fn(),
    });
    expect(world.app.quit).toHaveBeenCalledOnce();
    expect(world.fake.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
  });

  it('prepares before ready: profile folder, privileged scheme, sandbox for every renderer', () => {
    const world = fakeElectron();
    createMainApp(world.electron, {
      mainDir: '/app/out/main',
      env: { FIELDLINE_USER_DATA_DIR: dir },
      platform: 'linux',
      loadUpdater: vi.fn(),
    });
    expect(world.app.setPath).toHaveBeenCalledWith('userData', dir);
    expect(world.fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      appSchemePrivileges,
    ]);
    expect(world.app.enableSandbox).toHaveBeenCalled();
    expect(world.windows).toHaveLength(0);
  });

  it('opens one secure window on the app scheme, with the CSP on every response', async () => {
    const { window, fake, headers, permission, loadUpdater } = await started();
    expect(window.options.webPreferences).toEqual(
      secureWebPreferences('/app/out/preload/index.cjs'),
    );
    expect(window.loaded).toBe('app://fieldline/index.html');
    expect(fake.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const answer = vi.fn();
    headers()({ responseHeaders: { 'content-security-policy': ['default-src *'] } }, answer);
    const [{ responseHeaders }] = answer.mock.calls[0] as [
      { responseHeaders: Record<string, string[]> },
    ];
    expect(responseHeaders['content-security-policy']).toBeUndefined();
    expect(responseHeaders['Content-Security-Policy']?.[0]).toContain("default-src 'self'");
    const granted = vi.fn();
    permission()({}, 'media', granted, { requestingUrl: 'app://fieldline/index.html' });
    expect(granted).toHaveBeenCalledWith(false);
    expect(loadUpdater).not.toHaveBeenCalled(); // unpackaged: no update checks
  });

  it('starts the core in a utility process with its options', async () => {
    const { child } = await started();
    expect(child.entry).toBe('/app/out/main/utility-entry.js');
    const start = child.posted[0]![0] as { kind: string; options: Record<string, string> };
    expect(start.kind).toBe('start');
    expect(start.options.dataDir).toBe(path.join(dir, 'data'));
    expect(start.options.serverUrl).toBe('http://127.0.0.1:8787');
    expect(start.options.deviceId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives the window’s main frame a port to the core, and no one else', async () => {
    const { window, child, ipc } = await started();
    const request = ipc.get('fieldline:port-request')!;
    request({ sender: window.webContents, senderFrame: window.mainFrame });
    expect(child.posted.at(-1)).toEqual([{ kind: 'connect' }, [{ name: 'core-1' }]]);
    expect(window.webContents.postMessage).toHaveBeenCalledWith(
      'fieldline:port',
      { state: 'connected' },
      [{ name: 'renderer-1' }],
    );
    const before = child.posted.length;
    request({ sender: { mainFrame: {} }, senderFrame: { url: 'app://fieldline/', parent: null } });
    request({
      sender: window.webContents,
      senderFrame: { url: 'app://fieldline/frame.html', parent: window.mainFrame },
    });
    request({ sender: window.webContents, senderFrame: null });
    window.mainFrame.url = 'https://evil.example/';
    request({ sender: window.webContents, senderFrame: window.mainFrame });
    expect(child.posted).toHaveLength(before);
  });

  it('turns a core alert into a notification whose click opens the lead', async () => {
    const { window, child, notifications } = await started();
    const leadId = '6f1d2c3b-4a59-4e8d-9c7b-0a1b2c3d4e5f';
    child.fire('message', {
      kind: 'event',
      event: {
        type: 'alert',
        alert: {
          kind: 'missed_call',
          leadId,
          title: 'Missed call',
          body: '(555) 010-4477',
          at: '2026-11-28T07:00:00Z',
        },
      },
    });
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.shown).toBe(true);
    expect(notifications[0]!.options).toMatchObject({
      title: 'Missed call',
      body: '(555) 010-4477',
    });
    notifications[0]!.events.fire('click');
    expect(window.focused).toBe(1);
    expect(window.webContents.send).toHaveBeenCalledWith('fieldline:command', {
      type: 'open-lead',
      leadId,
    });
  });

  it('shows unseen missed calls on the badge and the tray', async () => {
    const { app, child, trays } = await started();
    child.fire('message', { kind: 'event', event: { type: 'badge', missedUnseen: 2 } });
    expect(app.setBadgeCount).toHaveBeenCalledWith(2);
    expect(trays[0]!.tooltip).toBe('Fieldline — 2 unseen missed calls');
  });

  it('keeps the session in memory when the keyring is only basic_text', async () => {
    const { child } = await started();
    child.fire('message', { kind: 'vault:save', id: 1, session: { refreshToken: 'rt' } });
    await vi.waitFor(() => expect(child.posted.at(-1)).toEqual([{ kind: 'vault:done', id: 1 }]));
    child.fire('message', { kind: 'vault:load', id: 2 });
    await vi.waitFor(() =>
      expect(child.posted.at(-1)).toEqual([
        { kind: 'vault:loaded', id: 2, session: { refreshToken: 'rt' } },
      ]),
    );
  });

  it('installs the menu, whose shortcuts reach the renderer', async () => {
    const { menus, window } = await started();
    type Item = { accelerator?: string; click?: () => void; submenu?: Item[] };
    const flat = (items: Item[]): Item[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
    const inbox = flat(menus[0] as Item[]).find((i) => i.accelerator === 'CmdOrCtrl+2')!;
    inbox.click!();
    expect(window.webContents.send).toHaveBeenCalledWith('fieldline:command', {
      type: 'navigate',
      screen: 'inbox',
    });
  });

  it('guards every new WebContents', async () => {
    const { app } = await started();
    const contents = { setWindowOpenHandler: vi.fn(), on: vi.fn() };
    app.fire('web-contents-created', {}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
  });

  it('waits for the core to close its replica before quitting', async () => {
    const { app, child, trays } = await started();
    const event = { preventDefault: vi.fn() };
    app.fire('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(child.posted.at(-1)).toEqual([{ kind: 'shutdown' }]);
    expect(app.quit).not.toHaveBeenCalled();
    child.fire('message', { kind: 'closed' });
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce());
    expect(trays[0]!.destroyed).toBe(true);
    // The second before-quit (from that quit) goes through.
    const again = { preventDefault: vi.fn() };
    app.fire('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
