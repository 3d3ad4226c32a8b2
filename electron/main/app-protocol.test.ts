import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  contentTypeOf,
  createAppProtocolHandler,
  isAppUrl,
  resolveRendererPath,
} from './app-protocol.ts';

const root = path.resolve('/srv/fieldline/out/renderer');

describe('resolveRendererPath (the path-traversal guard)', () => {
  it.each<[string, string]>([
    ['app://fieldline/', 'index.html'],
    ['app://fieldline/index.html', 'index.html'],
    ['app://fieldline/assets/index-abc.js', 'assets/index-abc.js'],
    ['app://fieldline/assets/a%20b.css', 'assets/a b.css'],
    ['app://fieldline/index.html?x=1#/leads/1', 'index.html'],
    // The URL parser folds dot segments inside the root: harmless.
    ['app://fieldline/assets/../index.html', 'index.html'],
    // A backslash is a file name character on POSIX; on Windows path.resolve would see a separator
    // and the containment check below still applies.
    ...(path.sep === '/' ? [['app://fieldline/a%5Cb.js', 'a\\b.js'] as [string, string]] : []),
  ])('%s → %s', (url, file) => {
    expect(resolveRendererPath(root, url)).toBe(path.join(root, file));
  });

  it.each([
    // The URL parser clamps plain dot segments at the root: they land inside it.
    ['app://fieldline/../../etc/passwd', 'etc/passwd'],
    ['app://fieldline/%2e%2e/%2e%2e/etc/passwd', 'etc/passwd'],
  ])('keeps %s inside the root', (url, file) => {
    expect(resolveRendererPath(root, url)).toBe(path.join(root, file));
  });

  it.each([
    // Encoded separators only show their dot-dots after decoding: resolved, then refused.
    'app://fieldline/..%2f..%2fetc%2fpasswd',
    'app://fieldline/assets/..%2F..%2F..%2Fsecret',
    'app://fieldline/%2e%2e%5c%2e%2e%5cwindows%5cwin.ini',
    'app://fieldline//etc/passwd/..%2f..%2f..%2f..%2fetc',
    'app://fieldline/%00index.html',
    'app://fieldline/%E0%A4%A', // a malformed escape
    'app://evil/index.html',
    'app://fieldline.evil/index.html',
    'file:///etc/passwd',
    'https://fieldline/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveRendererPath(root, url)).toBeNull();
  });

  it('never resolves outside the root for any encoded dot-dot combination', () => {
    const pieces = ['..', '%2e%2e', '.%2e', '%2e.', '%2E%2E', '..%2f', '..%5c', '%2f', '%5c', 'x'];
    for (const a of pieces) {
      for (const b of pieces) {
        for (const c of pieces) {
          const resolved = resolveRendererPath(root, `app://fieldline/${a}/${b}/${c}/etc/passwd`);
          if (resolved !== null) expect(resolved.startsWith(root + path.sep)).toBe(true);
        }
      }
    }
  });

  it('knows the app’s own URLs', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://fieldline/#/leads/1')).toBe(true);
    expect(isAppUrl('app://fieldline.example.com/')).toBe(false);
    expect(isAppUrl('https://fieldline/')).toBe(false);
    expect(isAppUrl('::')).toBe(false);
  });
});

describe('the app:// handler', () => {
  let dir: string;
  let handler: (request: Request) => Promise<Response>;
  const csp = "default-src 'self'";
  beforeAll(async () => {
    dir = await realpath(await mkdtemp(path.join(tmpdir(), 'fl-protocol-')));
    const rendererRoot = path.join(dir, 'renderer');
    await mkdir(path.join(rendererRoot, 'assets'), { recursive: true });
    await writeFile(
      path.join(rendererRoot, 'index.html'),
      '<!doctype html><title>Fieldline</title>',
    );
    await writeFile(path.join(rendererRoot, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.txt'), 'refresh-token');
    await symlink(path.join(dir, 'secret.txt'), path.join(rendererRoot, 'assets', 'link.txt'));
    handler = createAppProtocolHandler({
      root: rendererRoot,
      csp,
      files: { readFile: (file) => readFile(file), realpath: (file) => realpath(file) },
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves the bundle with its type and the CSP', async () => {
    const page = await handler(new Request('app://fieldline/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(csp);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Fieldline</title>');
    const script = await handler(new Request('app://fieldline/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses traversal, symlinks leading out, missing files and writes', async () => {
    for (const url of [
      'app://fieldline/../secret.txt',
      'app://fieldline/%2e%2e/secret.txt',
      'app://fieldline/assets/link.txt',
      'app://fieldline/assets/missing.js',
      'app://other/index.html',
    ]) {
      const response = await handler(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('refresh-token');
    }
    const post = await handler(
      new Request('app://fieldline/index.html', { method: 'POST', body: 'x' }),
    );
    expect(post.status).toBe(405);
  });

  it('answers client routes without a file with index.html', async () => {
    const response = await handler(new Request('app://fieldline/leads'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Fieldline');
  });

  it('answers HEAD without a body', async () => {
    const response = await handler(new Request('app://fieldline/index.html', { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('types what it serves', () => {
    expect(contentTypeOf('a/b.woff2')).toBe('font/woff2');
    expect(contentTypeOf('a/b.SVG')).toBe('image/svg+xml');
    expect(contentTypeOf('a/b.unknown')).toBe('application/octet-stream');
  });
});
