import { seedDemoIfEmpty } from '../db/demo/load.ts';
import { databaseTargetFromEnv, openDatabase } from '../db/postgres/client.ts';
import { migratePostgres } from '../db/postgres/migrate.ts';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { loadKeyring } from './keyring.ts';
import { createLogger } from './logger.ts';
import { connectRedis } from './redis.ts';
import { scheduleChangeLogRetention } from './shapes/retention.ts';

/** Connections the kernel may queue before the server accepts them (see listen below). */
const LISTEN_BACKLOG = 8192;

/**
 * `npm start`: migrate the database (embedded PGlite unless DATABASE_URL), load the demo data on
 * first run, and serve. SIGINT/SIGTERM close the server, then the database, then exit.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const keyring = loadKeyring(config, (message) => logger.warn(message));

  const target = databaseTargetFromEnv(config);
  const database = await openDatabase(target);
  logger.info(
    { database: target.kind, ...(target.kind === 'pglite' ? { dataDir: target.dataDir } : {}) },
    'database opened',
  );
  const migration = await migratePostgres(database.db);
  logger.info(migration, 'migrations up to date');
  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(database.db, { password: config.DEMO_PASSWORD });
    logger.info(seeded ? { demo: seeded } : {}, seeded ? 'demo data loaded' : 'existing data kept');
  }

  const redis = connectRedis(config.REDIS_URL, logger);
  const app = buildApp({
    database,
    logger,
    redisStatus: () => redis.status(),
    redis,
    keyring,
    settings: config,
  });
  const address = await app.listen({
    host: config.HOST,
    port: config.PORT,
    // When the server restarts or the network blips, every desktop reconnects its eight live
    // requests at once. Node's default queue of 511 unaccepted connections overflows, and the
    // kernel drops the rest, whose clients retry after 1, 3, 7, 15, 31… seconds. A longer queue
    // (the kernel caps it at net.core.somaxconn) lets a reconnect storm wait its turn instead.
    backlog: LISTEN_BACKLOG,
  });
  const stopRetention = scheduleChangeLogRetention(
    database.db,
    config.CHANGE_LOG_RETENTION_DAYS,
    logger,
  );
  logger.info({ url: address }, `sync server listening on ${address}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stopRetention();
    // app.close() answers waiting live requests, stops accepting and lets in-flight requests
    // finish. A connection that never sends a request (an HTTP client's spare) would hold it until
    // Node's header timeout: past a grace period, close whatever is left.
    const forceClose = setTimeout(() => app.server.closeAllConnections(), 10_000);
    forceClose.unref();
    await app.close();
    clearTimeout(forceClose);
    await redis.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Could not start the sync server${code ? ` [${code}]` : ''}: ${message}\n`);
  process.exit(1);
});
