import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { DesktopEvent, DesktopResponse } from '../../db/wire/desktop-api.ts';
import { CONTENT_SECURITY_POLICY, startLoopbackShell } from './loopback-server.ts';
import { fileInside } from './static-files.ts';

/** A shell over a host that answers every call with what it was asked (the shell's own tests). */
async function shellWith() {
  const folder = mkdtempSync(join(tmpdir(), 'fl-shell-'));
  mkdirSync(join(folder, 'assets'));
  writeFileSync(join(folder, 'index.html'), '<!doctype html><title>Fieldline</title>');
  writeFileSync(join(folder, 'assets/app-1234.js'), 'console.log(1)');
  writeFileSync(join(folder, '..', 'secret.txt'), 'not for the page');
  const listeners = new Set<(event: DesktopEvent) => void>();
  const calls: { channel: unknown; args: unknown }[] = [];
  const shell = await startLoopbackShell({
    host: {
      invoke: (channel, args) => {
        calls.push({ channel, args });
        return Promise.resolve({ ok: true, value: { channel, args } } as DesktopResponse<unknown>);
      },
      snapshot: () => [{ type: 'badge', missedUnseen: 3 }],
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    rendererDir: folder,
  });
  onTestFinished(async () => {
    await shell.close();
    rmSync(folder, { recursive: true, force: true });
    rmSync(join(folder, '..', 'secret.txt'), { force: true });
  });
  const publish = (event: DesktopEvent) => {
    for (const listener of listeners) listener(event);
  };
  const auth = { authorization: `Bearer ${shell.token}` };
  return { shell, calls, publish, auth };
}

/** A raw request, so the Host header and unnormalised paths go out as written. */
function raw(
  url: string,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the browser shell (loopback bridge)', () => {
  it('answers the API only with this launch’s token', async () => {
    const { shell, auth, calls } = await shellWith();
    const post = (headers: Record<string, string>) =>
      fetch(`${shell.origin}/api/invoke/leads%3Alist`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ args: [{ limit: 5 }] }),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${shell.token}x` })).status).toBe(401);
    expect((await post({ authorization: shell.token })).status).toBe(401);
    expect(calls).toEqual([]);
    const ok = await post(auth);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      ok: true,
      value: { channel: 'leads:list', args: [{ limit: 5 }] },
    });
    expect(shell.url).toBe(`${shell.origin}/#token=${shell.token}`);
  });

  it('refuses another Host (a DNS-rebinding page), bad JSON and oversized bodies', async () => {
    const { shell, auth } = await shellWith();
    const rebinding = await raw(shell.origin, {
      path: '/api/invoke/session%3Aget',
      method: 'POST',
      headers: { ...auth, host: 'evil.example:80', 'content-type': 'application/json' },
      body: '{"args":[]}',
    });
    expect(rebinding.status).toBe(421);
    const bad = await fetch(`${shell.origin}/api/invoke/session%3Aget`, {
      method: 'POST',
      headers: auth,
      body: '{"args": [',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const huge = await fetch(`${shell.origin}/api/invoke/session%3Aget`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ args: ['x'.repeat(1024 * 1024 + 10)] }),
    });
    expect(huge.status).toBe(413);
  });

  it('serves the built renderer with a strict CSP and never a file outside it', async () => {
    const { shell } = await shellWith();
    const page = await fetch(`${shell.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Fieldline</title>');
    const asset = await fetch(`${shell.origin}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/a%00.js']) {
      const answer = await raw(shell.origin, { path });
      expect({ path, status: answer.status, leaked: answer.body.includes('not for') }).toEqual({
        path,
        status: 404,
        leaked: false,
      });
    }
  });

  it('streams the host’s current state first, then every event', async () => {
    const { shell, auth, publish } = await shellWith();
    const response = await fetch(`${shell.origin}/api/events`, { headers: auth });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const frames: string[] = [];
    const nextFrame = async () => {
      while (frames.length === 0) {
        const { value } = await reader.read();
        frames.push(...(value ?? '').split('\n\n').filter((f) => f.startsWith('data: ')));
      }
      return JSON.parse(frames.shift()!.slice(6)) as DesktopEvent;
    };
    expect(await nextFrame()).toEqual({ type: 'badge', missedUnseen: 3 });
    publish({ type: 'changed', tables: ['leads'] });
    expect(await nextFrame()).toEqual({ type: 'changed', tables: ['leads'] });
    await reader.cancel();
  });
});

describe('fileInside', () => {
  it('keeps every path inside the root', () => {
    const root = '/srv/app';
    expect(fileInside(root, '/')).toBe('/srv/app/index.html');
    expect(fileInside(root, '/assets/a.js?v=1')).toBe('/srv/app/assets/a.js');
    expect(fileInside(root, '/../etc/passwd')).toBeNull();
    expect(fileInside(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(fileInside(root, '/assets/..%2f..%2fetc/passwd')).toBeNull();
    expect(fileInside(root, '/%E0%A4%A')).toBeNull();
    expect(fileInside(root, '/a\0b')).toBeNull();
    expect(fileInside('/srv/app', '/../app-other/x.js')).toBeNull();
  });
});
