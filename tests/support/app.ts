import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { generateKeySpec, parseKeyring } from '../../db/secrets.ts';
import { buildApp } from '../../sync-server/app.ts';
import { loadConfig, type ServerSettings } from '../../sync-server/config.ts';
import type { TestDatabase } from './databases.ts';

/** The configuration defaults with the test's overrides (values as the environment would give). */
export function testSettings(overrides: Record<string, string> = {}): ServerSettings {
  return loadConfig({ NODE_ENV: 'test', ...overrides });
}

/** The real HTTP app over a test's own database, with a fresh keyring and silent logs. */
export function buildTestApp(
  database: TestDatabase,
  overrides: Record<string, string> = {},
): FastifyInstance {
  return buildApp({
    database: database.handle,
    logger: pino({ level: 'silent' }),
    redisStatus: () => 'disabled',
    keyring: parseKeyring(generateKeySpec('test1')),
    settings: testSettings(overrides),
  });
}
