import path from 'node:path';

/**
 * The renderer is served from a privileged custom scheme instead of `file://`: it gets a real
 * origin (`app://fieldline`), so `'self'` in the CSP means our bundle only, and `file://`'s reach
 * over the whole disk never applies.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'fieldline';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** For `protocol.registerSchemesAsPrivileged` (before `ready`). */
export const appSchemePrivileges = {
  scheme: APP_SCHEME,
  privileges: {
    // A standard scheme has host-based origins and relative URLs resolve as with http.
    standard: true,
    // A secure context (like https), so web APIs that need one work.
    secure: true,
    supportFetchAPI: true,
    // V8 keeps the compiled renderer bundle between launches (standard schemes only): the second
    // and later launches skip parsing and compiling it.
    codeCache: true,
  },
} as const;

/** Whether `url` is a page of the app itself. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    // Compare scheme and host: WHATWG gives non-special schemes an opaque ("null") origin.
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The file of the built renderer that `url` names, or null when it names none: another scheme or
 * host, a malformed escape, a NUL byte, or a path that resolves outside `root` (`..`, encoded
 * `%2e%2e`, encoded separators, an absolute path). Resolve first, then check containment — the
 * only order that also catches what decoding reveals.
 */
export function resolveRendererPath(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const base = path.resolve(root);
  const relativePath = pathname === '/' || pathname === '' ? 'index.html' : pathname;
  const resolved = path.resolve(base, `.${path.sep}${relativePath}`);
  const inside = path.relative(base, resolved);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return resolved;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export const contentTypeOf = (file: string): string =>
  contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

export interface RendererFiles {
  readFile(file: string): Promise<Uint8Array>;
  /** The real path (symlinks resolved), to keep a link inside the bundle from leading out of it. */
  realpath(file: string): Promise<string>;
}

/**
 * The `protocol.handle(APP_SCHEME, …)` handler: the built renderer's files, read-only, with the
 * CSP on every answer (webRequest does not see custom-scheme responses, so the header is set here
 * as well). A path without an extension that names no file gets index.html (client routing).
 */
export function createAppProtocolHandler(options: {
  root: string;
  csp: string;
  files: RendererFiles;
}): (request: Request) => Promise<Response> {
  const root = path.resolve(options.root);
  const headers = (file: string) => ({
    'Content-Type': contentTypeOf(file),
    'Content-Security-Policy': options.csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  const refuse = (status: number, text: string) =>
    new Response(text, {
      status,
      headers: {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Security-Policy': options.csp,
      },
    });

  const read = async (file: string): Promise<Uint8Array | null> => {
    try {
      const real = await options.files.realpath(file);
      const realRoot = await options.files.realpath(root);
      const inside = path.relative(realRoot, real);
      if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
      return await options.files.readFile(real);
    } catch {
      return null;
    }
  };

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'read-only');
    const file = resolveRendererPath(root, request.url);
    if (file === null) return refuse(404, 'not found');
    let served = file;
    let body = await read(file);
    if (body === null && path.extname(file) === '') {
      served = path.join(root, 'index.html');
      body = await read(served);
    }
    if (body === null) return refuse(404, 'not found');
    return new Response(request.method === 'HEAD' ? null : Buffer.from(body), {
      status: 200,
      headers: headers(served),
    });
  };
}
