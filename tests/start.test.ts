import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../db/postgres/client.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { listeningUrl, type ServerProcess, startServer } from './support/server-process.ts';

/** What `npm start` promises a newcomer: a working server on the embedded database with demo data. */
describe('npm start', () => {
  const started: ServerProcess[] = [];
  let dataDir: string | undefined;
  let database: TestDatabase | undefined;

  afterEach(async () => {
    for (const server of started.splice(0)) {
      // The whole group: a server still running under tsx is tsx's child, not ours.
      server.kill('SIGKILL');
      if (server.child.exitCode === null) await server.exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await database?.close();
    dataDir = undefined;
    database = undefined;
  });

  const start = (env: Record<string, string>) => {
    const server = startServer({ PORT: '0', LOG_LEVEL: 'info', ...env });
    started.push(server);
    return server;
  };

  it('migrates and seeds the embedded database on first run, keeps it after, and stops cleanly', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fl-start-'));
    const first = start({ DATA_DIR: dataDir });
    const url = await listeningUrl(first);
    const seeded = await first.waitForLog((l) => l.msg === 'demo data loaded');
    expect((seeded.demo as Record<string, number>).users).toBeGreaterThanOrEqual(1);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      database: 'pglite',
      redis: 'disabled',
      analyticsCache: { backend: 'memory', degraded: false, hits: 0, misses: 0, errors: 0 },
      live: { subscribed: 0, waiting: 0, reads: 0, sharedAnswers: 0 },
    });

    // A second server on the same data folder is refused, not allowed to corrupt it.
    const intruder = start({ DATA_DIR: dataDir });
    expect(await intruder.exited).toBe(1);
    expect(intruder.stderr()).toContain('DATA_DIR_IN_USE');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);

    const second = start({ DATA_DIR: dataDir });
    await listeningUrl(second);
    await second.waitForLog((l) => l.msg === 'existing data kept');
    expect(second.logs.some((l) => l.msg === 'demo data loaded')).toBe(false);
  });

  it('uses DATABASE_URL and REDIS_URL instead of the embedded fallbacks, without demo data', async () => {
    database = await createTestDatabase('postgres', { migrated: false });
    dataDir = await mkdtemp(join(tmpdir(), 'fl-start-'));
    const server = start({
      DATA_DIR: dataDir,
      DATABASE_URL: database.url ?? '',
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    const url = await listeningUrl(server);
    await server.waitForLog((l) => l.msg === 'Redis connected.');
    expect(await (await fetch(`${url}/health`)).json()).toEqual({
      status: 'ok',
      database: 'postgres',
      redis: 'up',
      // The analytics cache is in Redis when REDIS_URL is set.
      analyticsCache: { backend: 'redis', degraded: false, hits: 0, misses: 0, errors: 0 },
      live: { subscribed: 0, waiting: 0, reads: 0, sharedAnswers: 0 },
    });
    const [users] = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM users`,
    );
    expect(users?.n).toBe(0);
    expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
  });

  it('refuses a bad environment with a message that names the variable', async () => {
    const server = start({ PORT: 'eighty' });
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toMatch(/CONFIG_INVALID.*PORT/);
  });
});
