import { connect, createServer, type Server, type Socket } from 'node:net';
import { pino, type Logger } from 'pino';

/** Test helpers for the analytics cache: a clock that moves only when told, captured logs. */

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function fakeClock(start = 1_750_000_000_000) {
  let at = start;
  return {
    now: () => at,
    advance: (ms: number) => {
      at += ms;
    },
  };
}

interface LogLine {
  level: number;
  msg: string;
}

/** A pino logger whose lines are kept, to count what was said. */
export function capturedLogger(): {
  logger: Logger;
  count: (level: 'info' | 'warn', text: string) => number;
} {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  const levels = { info: 30, warn: 40 };
  return {
    logger,
    count: (level, text) =>
      lines.filter((line) => line.level === levels[level] && line.msg.includes(text)).length,
  };
}

/** A TCP server on a free loopback port; `stop` also cuts every open connection. */
export async function tcpServer(
  onConnection: (socket: Socket, track: (socket: Socket) => void) => void,
  port = 0,
): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((socket) => {
    track(socket);
    onConnection(socket, track);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return {
    port: address.port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A TCP proxy in front of the test Redis. `stop` is an outage (connections cut, port closed),
 * `restart` the recovery on the same port; `freeze` makes it swallow everything while keeping the
 * connections open: a Redis that hangs after the client saw it ready.
 */
export async function redisProxy(): Promise<{
  port: number;
  freeze: () => void;
  stop: () => Promise<void>;
  restart: () => Promise<void>;
}> {
  const target = new URL(REDIS_URL);
  let frozen = false;
  const forward = (inbound: Socket, track: (socket: Socket) => void) => {
    const outbound = connect(Number(target.port || 6379), target.hostname);
    track(outbound);
    inbound.on('data', (chunk) => frozen || outbound.write(chunk));
    outbound.on('data', (chunk) => frozen || inbound.write(chunk));
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  };
  let server = await tcpServer(forward);
  const port = server.port;
  return {
    port,
    freeze: () => {
      frozen = true;
    },
    stop: () => server.stop(),
    restart: async () => {
      server = await tcpServer(forward, port);
    },
  };
}
