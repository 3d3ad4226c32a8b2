import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import type { DesktopBridge, DesktopEvent } from '../db/wire/desktop-api.ts';

/**
 * What only the real Electron app can show: the window's sandbox, the CSP on the app:// scheme, the
 * preload's bridge to the core's utility process, and native notifications for alerts. Runs where
 * the Electron binary is installed (`npm install` on a developer's machine) after
 * `npx electron-vite build`; skipped, with the reason, where it is not (this build machine cannot
 * download Electron). The browser shell's specs cover the renderer itself.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mainEntry = path.join(root, 'out', 'main', 'index.js');

/**
 * The Electron executable, if installed — found the way the `electron` package does, without
 * requiring it: requiring `electron` from Node starts a download when the binary is missing.
 */
function electronExecutable(): string | null {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executable = override
    ? path.join(override, relative || 'electron')
    : path.join(packageDir, 'dist', relative);
  return existsSync(executable) ? executable : null;
}

const executable = electronExecutable();
const skipReason =
  executable === null
    ? 'the Electron binary is not installed (node_modules/electron has no dist/): run `npm install` where GitHub downloads work'
    : !existsSync(mainEntry)
      ? 'the app is not built: run `npx electron-vite build` first'
      : null;
// Said once in the run's output, not only in each skipped test's annotation.
if (skipReason !== null) process.stdout.write(`e2e/electron.spec.ts skipped: ${skipReason}\n`);

/**
 * The page's globals, typed here (the e2e project compiles without the DOM library). Callbacks
 * run in the page spell out `globalThis as unknown as PageGlobals`: they are serialised, so they
 * cannot call a helper of this file.
 */
interface PageGlobals {
  fieldline?: DesktopBridge;
  require?: unknown;
  process?: unknown;
  module?: unknown;
  location: { href: string };
  document: {
    querySelector(selector: string): { childElementCount: number } | null;
    createElement(tag: string): { textContent: string | null };
    head: { append(node: unknown): void };
  };
  open(url: string): unknown;
  fetch(url: string): Promise<{ headers: { get(name: string): string | null } }>;
  received: Array<DesktopEvent | { type: 'command'; command: unknown }>;
  inlineRan?: boolean;
}

/** main's e2e hook (main-app.ts, only with FIELDLINE_E2E_HOOKS=1 in an unpackaged app). */
interface MainHooks {
  emit(event: unknown): void;
  webPreferences(): Record<string, unknown>;
  badge(): number;
}
interface ShownNotification {
  title: string;
  body: string;
  emit(event: 'click'): void;
}
type MainGlobals = { fieldlineE2E: MainHooks; shownNotifications: ShownNotification[] };

test.describe('the Electron app', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  let app: ElectronApplication;
  let page: Page;
  let profile: string;

  test.beforeAll(async () => {
    profile = mkdtempSync(path.join(tmpdir(), 'fieldline-e2e-'));
    app = await electron.launch({
      executablePath: executable!,
      // Chromium's OS sandbox refuses to run as root (CI containers); the renderer's own sandbox
      // (webPreferences.sandbox) is what the tests check.
      args: [mainEntry, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: {
        ...process.env,
        FIELDLINE_E2E_HOOKS: '1',
        FIELDLINE_USER_DATA_DIR: path.join(profile, 'userData'),
        FIELDLINE_DATA_DIR: path.join(profile, 'data'),
        // Nothing listens there: the app starts signed out and offline, which is all this needs.
        FIELDLINE_SERVER_URL: 'http://127.0.0.1:9',
      },
    });
    page = await app.firstWindow();
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobals).fieldline !== undefined,
    );
  });

  test.afterAll(async () => {
    await app?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  test('the window is sandboxed and isolated, with no Node in the page', async () => {
    const preferences = await app.evaluate(() =>
      (globalThis as unknown as MainGlobals).fieldlineE2E.webPreferences(),
    );
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    const globals = await page.evaluate(() => ({
      url: (globalThis as unknown as PageGlobals).location.href,
      require: typeof (globalThis as unknown as PageGlobals).require,
      process: typeof (globalThis as unknown as PageGlobals).process,
      module: typeof (globalThis as unknown as PageGlobals).module,
      bridge: Object.keys((globalThis as unknown as PageGlobals).fieldline ?? {}).sort(),
    }));
    // The renderer's module scripts loaded from app:// (same origin, no CORS privilege needed).
    await page.waitForFunction(
      () =>
        ((globalThis as unknown as PageGlobals).document.querySelector('#root')
          ?.childElementCount ?? 0) > 0,
    );
    expect(globals).toEqual({
      url: expect.stringMatching(/^app:\/\/fieldline\//) as unknown as string,
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      bridge: ['invoke', 'subscribe'],
    });
  });

  test('every app:// response carries the CSP, and it holds', async () => {
    const header = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals)
        .fetch('app://fieldline/index.html')
        .then((response) => response.headers.get('content-security-policy')),
    );
    expect(header).toContain("default-src 'self'");
    expect(header).toContain("script-src 'self'");
    expect(header).toContain("frame-ancestors 'none'");
    const blocked = await page.evaluate(() => {
      const script = (globalThis as unknown as PageGlobals).document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      (globalThis as unknown as PageGlobals).document.head.append(script);
      return (globalThis as unknown as PageGlobals).inlineRan === true;
    });
    expect(blocked).toBe(false);
    const remote = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).fetch('https://example.com/').then(
        () => 'fetched',
        () => 'refused',
      ),
    );
    expect(remote).toBe('refused');
  });

  test('window.open and navigation away do nothing', async () => {
    const opened = await page.evaluate(
      () => (globalThis as unknown as PageGlobals).open('https://example.com/') === null,
    );
    expect(opened).toBe(true);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('the bridge reaches the local core: session:get answers; unknown calls are refused', async () => {
    const session = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).fieldline!.invoke('session:get', []),
    );
    expect(session).toEqual({
      ok: true,
      value: { signedIn: false, serverUrl: 'http://127.0.0.1:9' },
    });
    const refused = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).fieldline!.invoke('fs:read', ['/etc/passwd']),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  test('a missed-call alert shows a notification; its click opens the lead', async () => {
    const supported = await app.evaluate(({ Notification }) => Notification.isSupported());
    test.skip(!supported, 'this desktop session has no notification service');
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).received = [];
      (globalThis as unknown as PageGlobals).fieldline!.subscribe((event) =>
        (globalThis as unknown as PageGlobals).received.push(event),
      );
    });
    await app.evaluate(({ Notification }) => {
      const shown: ShownNotification[] = [];
      (globalThis as unknown as MainGlobals).shownNotifications = shown;
      // Record each notification main shows, then show it as usual (called with its own `this`).
      // eslint-disable-next-line @typescript-eslint/unbound-method
      const show = Notification.prototype.show;
      Notification.prototype.show = function (this: Electron.Notification) {
        shown.push(this);
        show.call(this);
      };
    });
    const leadId = '6f1d2c3b-4a59-4e8d-9c7b-0a1b2c3d4e5f';
    await app.evaluate(
      (_electron, alert) =>
        (globalThis as unknown as MainGlobals).fieldlineE2E.emit({ type: 'alert', alert }),
      {
        kind: 'missed_call',
        leadId,
        title: 'Missed call — (555) 010-4477',
        body: 'Texted back automatically.',
        at: new Date().toISOString(),
      },
    );
    const shown = await app.evaluate(() =>
      (globalThis as unknown as MainGlobals).shownNotifications.map((n) => ({
        title: n.title,
        body: n.body,
      })),
    );
    expect(shown).toEqual([
      { title: 'Missed call — (555) 010-4477', body: 'Texted back automatically.' },
    ]);
    await app.evaluate(() =>
      (globalThis as unknown as MainGlobals).shownNotifications[0]!.emit('click'),
    );
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).received))
      .toContainEqual({ type: 'command', command: { type: 'open-lead', leadId } });
  });

  test('a badge event updates the tray count', async () => {
    await app.evaluate(() =>
      (globalThis as unknown as MainGlobals).fieldlineE2E.emit({ type: 'badge', missedUnseen: 3 }),
    );
    expect(
      await app.evaluate(() => (globalThis as unknown as MainGlobals).fieldlineE2E.badge()),
    ).toBe(3);
  });
});
