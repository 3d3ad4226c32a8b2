import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The file a URL path names inside `root`, or null when it would leave it: `..`, encoded
 * separators, NUL and absolute paths all resolve outside and are refused.
 */
export function fileInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = resolve(base, relative);
  return file === base || !file.startsWith(base + sep) ? null : file;
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** Reads a file of the built renderer; null when it is not there (or not a file). */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  const file = fileInside(root, urlPath);
  if (!file) return null;
  try {
    const body = await readFile(file);
    return { body, contentType: contentTypes[extname(file)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
