import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DesktopEvent } from '../../db/wire/desktop-api.ts';
import { loopback } from '../../db/wire/loopback.ts';
import type { DesktopHost } from '../core/host.ts';
import { readStatic } from './static-files.ts';

/** The page may load only itself: no remote script, style, frame or connection. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const MAX_BODY_BYTES = 1024 * 1024;
/** A comment line on the event stream now and then, so idle proxies and sleep don't cut it. */
const KEEPALIVE_MS = 25_000;

export interface LoopbackShellOptions {
  host: Pick<DesktopHost, 'invoke' | 'snapshot'>;
  /** Subscribes to the host's events (the shell made the host with an emit that fans out here). */
  subscribe(listener: (event: DesktopEvent) => void): () => void;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** The per-launch secret; made here when not given. */
  token?: string;
}

export interface LoopbackShell {
  /** Open this: the page takes the token from the fragment. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

const securityHeaders = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * The browser shell: the renderer and the typed desktop API served on 127.0.0.1 only. Anything
 * else on the machine can reach a loopback port, so every API request must carry the per-launch
 * token (compared in constant time), and requests naming another Host are refused (a DNS-rebinding
 * page would send its own name). The static files hold no data and are served without the token.
 */
export async function startLoopbackShell(options: LoopbackShellOptions): Promise<LoopbackShell> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const streams = new Set<ServerResponse>();
  let origin = '';

  const authorized = (request: IncomingMessage): boolean => {
    const given = Buffer.from(request.headers[loopback.tokenHeader] ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const answer = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, {
      ...securityHeaders,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    response.end(JSON.stringify(body));
  };

  const refuse = (response: ServerResponse, status: number, code: string, message: string) =>
    answer(response, status, { ok: false, error: { code, message } });

  async function invoke(request: IncomingMessage, response: ServerResponse, channel: string) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        refuse(response, 413, 'VALIDATION_FAILED', 'A desktop API call is at most 1 MiB.');
        return;
      }
      chunks.push(chunk);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      refuse(response, 400, 'VALIDATION_FAILED', 'The body must be JSON: { "args": [...] }.');
      return;
    }
    const args =
      typeof body === 'object' && body !== null && 'args' in body ? body.args : undefined;
    answer(response, 200, await options.host.invoke(channel, args));
  }

  function events(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      ...securityHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (event: DesktopEvent) => response.write(`data: ${JSON.stringify(event)}\n\n`);
    for (const event of options.host.snapshot()) send(event);
    const unsubscribe = options.subscribe(send);
    const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    streams.add(response);
    request.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
      streams.delete(response);
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (request.headers.host !== new URL(origin).host) {
      refuse(response, 421, 'FORBIDDEN', 'This server answers only on its own loopback address.');
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (!authorized(request)) {
        refuse(response, 401, 'UNAUTHENTICATED', 'The desktop API needs this launch’s token.');
        return;
      }
      const invokePrefix = loopback.invokePath('');
      if (request.method === 'POST' && url.pathname.startsWith(invokePrefix)) {
        await invoke(
          request,
          response,
          decodeURIComponent(url.pathname.slice(invokePrefix.length)),
        );
      } else if (request.method === 'GET' && url.pathname === loopback.eventsPath) {
        events(request, response);
      } else {
        refuse(response, 404, 'NOT_FOUND', `No ${request.method ?? ''} ${url.pathname} here.`);
      }
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'VALIDATION_FAILED', 'Static files are read-only.');
      return;
    }
    // The app routes with the URL's fragment, so every page is index.html.
    const file =
      (await readStatic(options.rendererDir, url.pathname)) ??
      (url.pathname.includes('.') ? null : await readStatic(options.rendererDir, '/'));
    if (!file) {
      refuse(response, 404, 'NOT_FOUND', `${url.pathname} is not part of the app.`);
      return;
    }
    response.writeHead(200, {
      ...securityHeaders,
      'content-type': file.contentType,
      // Vite names built assets by their content hash: cache them; never the page itself.
      'cache-control': url.pathname.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        refuse(response, 500, 'INTERNAL', error instanceof Error ? error.message : String(error));
      } else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
