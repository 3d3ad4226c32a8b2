import { Agent, request } from 'node:http';

/** What RFC 9211's Cache-Status header said: `fieldline; hit`, `fwd=miss`, `fwd=bypass`, none. */
export type CacheState = 'hit' | 'miss' | 'bypass' | 'none';

export interface Answer {
  status: number;
  cache: CacheState;
  /** From just before the request is written until the last byte of the body, milliseconds. */
  ms: number;
  /** The body's start when the status is not 200, for the error message. */
  error?: string;
}

export function cacheState(header: string | string[] | undefined): CacheState {
  const value = Array.isArray(header) ? header.join(', ') : (header ?? '');
  if (!/\bfieldline\b/.test(value)) return 'none';
  if (/;\s*hit\b/.test(value)) return 'hit';
  if (/fwd=miss\b/.test(value)) return 'miss';
  if (/fwd=bypass\b/.test(value)) return 'bypass';
  return 'none';
}

/**
 * GETs over one keep-alive connection (an Agent with one socket), one request at a time: what a
 * desktop or a dashboard tab does. The body is read to the end but not parsed (the server's time
 * is measured, not this process's JSON.parse).
 */
export class KeepAliveClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly host: string;
  private readonly port: number;

  constructor(base: string) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  get(path: string, token: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const outgoing = request(
        {
          host: this.host,
          port: this.port,
          path,
          agent: this.agent,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          let error = '';
          response.on('data', (chunk: Buffer) => {
            if (status !== 200 && error.length < 500) error += chunk.toString();
          });
          response.once('end', () =>
            resolve({
              status,
              cache: cacheState(response.headers['cache-status']),
              ms: performance.now() - started,
              ...(status === 200 ? {} : { error: error.slice(0, 500) }),
            }),
          );
          response.once('error', reject);
        },
      );
      outgoing.once('error', reject);
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
