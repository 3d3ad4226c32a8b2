import { describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy, withContentSecurityPolicy } from './csp.ts';
import {
  createNavigationPolicy,
  externalLink,
  guardWebContents,
  permissionAllowed,
  secureWebPreferences,
  type GuardedContents,
} from './security.ts';

describe('the window’s web preferences', () => {
  it('isolate, sandbox and keep Node out of the page', () => {
    expect(secureWebPreferences('/app/out/preload/index.cjs')).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

/** A WebContents stand-in that records the handlers the policy installs. */
function fakeContents() {
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
  const contents: GuardedContents = {
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
    on: (event: string, listener: (event: { preventDefault(): void }, url: string) => void) => {
      listeners.set(event, listener);
      return contents;
    },
  };
  const fire = (event: string, url = '') => {
    const preventDefault = vi.fn();
    listeners.get(event)?.({ preventDefault }, url);
    return preventDefault.mock.calls.length > 0;
  };
  return { contents, open: (url: string) => openHandler?.({ url }), fire };
}

describe('navigation and window-open policy', () => {
  const setup = (devServerUrl?: string) => {
    const openExternal = vi.fn(() => Promise.resolve());
    const warn = vi.fn();
    const fake = fakeContents();
    guardWebContents(fake.contents, {
      isAllowed: createNavigationPolicy({ devServerUrl }).isAllowed,
      openExternal,
      warn,
    });
    return { ...fake, openExternal, warn };
  };

  it('never opens a window; https links go to the system browser', () => {
    const { open, openExternal } = setup();
    expect(open('https://maps.example.com/?q=1 Main St')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://maps.example.com/?q=1%20Main%20St');
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ms-msdt:/id',
    'app://fieldline/x',
    'https://user:pw@example.com/',
  ])('opens nothing at all for %s', (url) => {
    const { open, openExternal, warn } = setup();
    expect(open(url)).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledOnce();
    // The log names the scheme only, never the URL (it may hold a lead's details).
    expect(JSON.stringify(warn.mock.calls)).not.toContain('example.com');
  });

  it('cancels navigation and redirects away from the app', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-navigate', 'app://fieldline/index.html#/calls')).toBe(false);
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://evil.example/');
    expect(fire('will-redirect', 'http://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('allows the dev server only when one is configured', () => {
    expect(setup().fire('will-navigate', 'http://localhost:5173/')).toBe(true);
    expect(setup('http://localhost:5173').fire('will-navigate', 'http://localhost:5173/x')).toBe(
      false,
    );
    expect(setup('http://localhost:5173').fire('will-navigate', 'http://localhost:5174/')).toBe(
      true,
    );
  });

  it('only accepts https links without credentials as external', () => {
    expect(externalLink('https://fieldline.app/help')).toBe('https://fieldline.app/help');
    expect(externalLink('HTTPS://Fieldline.app')).toBe('https://fieldline.app/');
    expect(externalLink('http://fieldline.app')).toBeNull();
    expect(externalLink('not a url')).toBeNull();
  });
});

describe('permissions', () => {
  it('denies everything but plain-text clipboard writes from the app', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
    ]) {
      expect(permissionAllowed(permission, 'app://fieldline/index.html')).toBe(false);
    }
    expect(permissionAllowed('clipboard-sanitized-write', 'app://fieldline/index.html')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'app://fieldline')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', 'app://fieldline.evil/')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  const strict =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

  it('is strict for the built app', () => {
    expect(contentSecurityPolicy()).toBe(strict);
    expect(contentSecurityPolicy()).not.toContain('unsafe');
  });

  it('opens up to the dev server only in development', () => {
    const dev = contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/' });
    expect(dev).toContain("script-src 'self' http://localhost:5173 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
    expect(dev).toContain("object-src 'none'");
  });

  it('replaces any policy a response brings, whatever its letter case', () => {
    const headers = withContentSecurityPolicy(
      {
        'content-security-policy': ['default-src *'],
        'Content-Security-Policy-Report-Only': "script-src 'unsafe-eval'",
        'Content-Type': 'text/html',
        'set-cookie': ['a=1', 'b=2'],
      },
      strict,
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'set-cookie': ['a=1', 'b=2'],
      'Content-Security-Policy': [strict],
      'X-Content-Type-Options': ['nosniff'],
    });
    expect(withContentSecurityPolicy(undefined, strict)['Content-Security-Policy']).toEqual([
      strict,
    ]);
  });
});
