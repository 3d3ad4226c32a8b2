import { isAppUrl } from './app-protocol.ts';

/**
 * The renderer's sandbox. Each flag is Electron's secure default made explicit, so that a later
 * edit that loosens one shows up in review: the page gets no Node, its preload runs sandboxed in
 * an isolated world, and it cannot load insecure content, webviews or other pages' code.
 */
export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
  } as const;
}

/** Which pages the window may show: the app's own, plus the dev server when developing. */
export function createNavigationPolicy(options: { devServerUrl?: string | undefined } = {}) {
  const devOrigin = options.devServerUrl ? new URL(options.devServerUrl).origin : null;
  const isAllowed = (url: string): boolean => {
    if (isAppUrl(url)) return true;
    if (devOrigin === null) return false;
    try {
      return new URL(url).origin === devOrigin;
    } catch {
      return false;
    }
  };
  return { isAllowed };
}

/**
 * A link the person may follow in their own browser: https only (no http, file:, javascript:,
 * custom handlers such as ms-msdt: that have been used to run code), and no credentials in the URL.
 */
export function externalLink(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') {
      return null;
    }
    return parsed.toString();
  } catch {
    return null;
  }
}

/** The parts of WebContents the policy hooks into (Electron's, or a fake in tests). */
export interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/**
 * Applies the policy to one WebContents: new windows are never opened (an https link goes to the
 * system browser instead), navigation and redirects away from the app are cancelled, and no
 * webview can be attached.
 */
export function guardWebContents(
  contents: GuardedContents,
  options: {
    isAllowed: (url: string) => boolean;
    openExternal: (url: string) => Promise<void>;
    warn: (message: string) => void;
  },
): void {
  const openOutside = (url: string) => {
    const link = externalLink(url);
    if (link === null) {
      options.warn(`blocked a link that is not https (${schemeOf(url)})`);
      return;
    }
    options.openExternal(link).catch((error: unknown) => {
      options.warn(`could not open a link: ${error instanceof Error ? error.message : 'error'}`);
    });
  };
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (options.isAllowed(url)) return;
    event.preventDefault();
    openOutside(url);
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Only the scheme, for logs: a URL may carry a lead's details or a token in its query. */
function schemeOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'not a URL';
  }
}

/**
 * Whether the app's page may use a web permission. Everything is denied (camera, microphone,
 * geolocation, notifications from the page — main shows those — …) except writing plain text to
 * the clipboard from our own origin, which "copy phone number" needs.
 */
export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  if (permission !== 'clipboard-sanitized-write') return false;
  return requestingUrl !== undefined && isAppUrl(requestingUrl);
}
