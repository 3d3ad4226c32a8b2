/**
 * End-to-end support for the desktop's read path: a real PostgreSQL database of the test's own,
 * the real sync server listening on loopback, accounts made through its HTTP API, SQLite replicas in
 * a temp folder of the test's own, and SyncClients — all torn down when the test finishes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { onTestFinished } from 'vitest';
import { syncedTables, type SyncedTable } from '../../db/enums.ts';
import { toPgText } from '../../db/replica/codec.ts';
import { migrateReplica } from '../../db/replica/migrate.ts';
import { type Database, openReplica } from '../../db/replica/open.ts';
import { postgresColumns } from '../../db/replica/tables.ts';
import type { Keyring } from '../../db/secrets.ts';
import { DUMMY_PASSWORD_HASH } from '../../sync-server/auth/accounts.ts';
import { type AuthResult, authResultSchema } from '../../sync-server/auth/schemas.ts';
import { signAccessToken } from '../../sync-server/auth/tokens.ts';
import {
  type AppliedBatchEvent,
  SyncClient,
  type SyncClientOptions,
} from '../../electron/core/sync/sync-client.ts';
import { buildTestApp, TEST_PASSWORD, testKeyring } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  port: number;
}

export interface Account extends AuthResult {
  email: string;
  tenantId: string;
}

/** SQL straight to PostgreSQL with the `pg` driver: no application code in the way. */
export interface PgSession {
  query<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** One transaction as the business (the tenant role and its row-level security). */
  asBusiness<T>(tenantId: string, work: (query: PgSession['query']) => Promise<T>): Promise<T>;
}

export interface Harness {
  database: TestDatabase;
  keyring: Keyring;
  folder: string;
  pg: PgSession;
  startServer(options?: {
    port?: number;
    settings?: Record<string, string>;
    /** The app's test seams: its clock, the text queue's prefix, observers. */
    app?: Parameters<typeof buildTestApp>[3];
  }): Promise<RunningServer>;
  openReplica(name?: string): Database;
  client(
    options: Omit<SyncClientOptions, 'replica' | 'serverUrl' | 'getAccessToken'> & {
      replica: Database;
      server: { url: string };
      token?: string;
      getAccessToken?: SyncClientOptions['getAccessToken'];
    },
  ): SyncClient;
}

/** Test settings for clients: retries in tens of milliseconds, not seconds. */
export const FAST_BACKOFF = { initialDelayMs: 20, maxDelayMs: 200 };

export async function createHarness(): Promise<Harness> {
  const database = await createTestDatabase('postgres');
  const keyring = testKeyring();
  const folder = mkdtempSync(join(tmpdir(), 'fl-sync-'));
  const connection = new pg.Client({ connectionString: database.url });
  await connection.connect();
  // Values read back in UTC, as the replica's codec writes them back (toPgText).
  await connection.query(`SET TIME ZONE 'UTC'`);

  const closers: (() => Promise<unknown> | void)[] = [];
  onTestFinished(async () => {
    for (const close of closers.reverse()) await close();
    await connection.end();
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const query: PgSession['query'] = async <T extends Record<string, unknown>>(
    text: string,
    params: unknown[] = [],
  ) => (await connection.query<T>(text, params)).rows;

  const harness: Harness = {
    database,
    keyring,
    folder,
    pg: {
      query,
      async asBusiness(tenantId, work) {
        await connection.query('BEGIN');
        try {
          await connection.query(
            `SELECT set_config('fieldline.tenant_id', $1, true), set_config('role', 'fieldline_tenant', true)`,
            [tenantId],
          );
          const result = await work(query);
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          await connection.query('ROLLBACK');
          throw error;
        }
      },
    },
    async startServer({ port = 0, settings = {}, app: seams = {} } = {}) {
      const app = buildTestApp(database, settings, keyring, seams);
      const unused = unusedConnections(app);
      const url = await app.listen({ host: '127.0.0.1', port });
      let closed = false;
      const close = app.close.bind(app);
      app.close = (async () => {
        if (closed) return;
        closed = true;
        const closing = close();
        unused.closeAll();
        await closing;
      }) as typeof app.close;
      closers.push(() => app.close());
      return { app, url, port: Number(new URL(url).port) };
    },
    openReplica(name = 'replica.sqlite') {
      const replica = openReplica(join(folder, name));
      migrateReplica(replica);
      closers.push(() => {
        replica.close();
      });
      return replica;
    },
    client({ server, token, getAccessToken, ...options }) {
      const client = new SyncClient({
        backoff: FAST_BACKOFF,
        ...options,
        serverUrl: server.url,
        getAccessToken:
          getAccessToken ??
          (() => (token ? Promise.resolve(token) : Promise.reject(new Error('no token')))),
      });
      closers.push(() => client.stop());
      return client;
    },
  };
  return harness;
}

/**
 * Connections a client opened but never sent a request on. undici opens one when an aborted
 * request's socket goes (a client stopping, a server closing), and Node's server.close() does not
 * count such a connection as idle: Fastify's close would wait for the headers timeout (about 70 s).
 * Closing, the test server drops them, and any that arrive while it closes.
 */
function unusedConnections(app: FastifyInstance): { closeAll(): void } {
  const unused = new Set<Socket>();
  let closing = false;
  app.server.on('connection', (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (request: IncomingMessage) => unused.delete(request.socket));
  return {
    closeAll() {
      closing = true;
      for (const socket of unused) socket.destroy();
    },
  };
}

/** POST /v1/auth/signup over HTTP, as the desktop's sign-up screen does. */
export async function signUpAt(serverUrl: string, businessName: string): Promise<Account> {
  const email = `owner-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const response = await fetch(new URL('/v1/auth/signup', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      businessName,
      ownerName: 'Pat Owner',
      email,
      password: TEST_PASSWORD,
      primaryPhone: '(512) 555-1234',
      serviceTypes: ['plumbing'],
      deviceId: 'owner-laptop',
    }),
  });
  if (response.status !== 201)
    throw new Error(`signup: ${response.status} ${await response.text()}`);
  const result = authResultSchema.parse(await response.json());
  return { ...result, email, tenantId: result.business.id };
}

/** POST /v1/auth/login over HTTP: the desktop signing in on another device. */
export async function logInAt(
  serverUrl: string,
  account: Pick<Account, 'email'>,
  deviceId: string,
): Promise<AuthResult> {
  const answer = await postAuth(serverUrl, 'login', {
    email: account.email,
    password: TEST_PASSWORD,
    deviceId,
  });
  if (answer.status !== 200)
    throw new Error(`login: ${answer.status} ${JSON.stringify(answer.body)}`);
  return authResultSchema.parse(answer.body);
}

/** POST /v1/auth/<path> with a JSON body; the parsed answer and its status. */
export async function postAuth(
  serverUrl: string,
  path: 'login' | 'refresh' | 'logout',
  body: unknown,
  token?: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL(`/v1/auth/${path}`, serverUrl), {
    method: 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** A fetch that records every URL it was asked for. */
export function recordingFetch(): { fetch: typeof fetch; urls: URL[]; snapshots(): number } {
  const urls: URL[] = [];
  return {
    urls,
    fetch: (input, init) => {
      urls.push(new URL(input instanceof Request ? input.url : input.toString()));
      return fetch(input, init);
    },
    snapshots: () => urls.filter((url) => url.searchParams.get('offset') === '-1').length,
  };
}

/**
 * Resolves once `condition` holds, checking it now and after every batch the client applies and
 * every status change (no polling, no sleeps). Rejects if syncing stops with an error.
 */
export function until(client: SyncClient, condition: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const offApplied = client.onApplied(() => check());
    const offStatus = client.onStatus((status) => {
      if (status.overall.state === 'error') {
        stop();
        reject(new Error(`sync failed: ${status.overall.code}: ${status.overall.message}`));
      } else check();
    });
    const stop = () => {
      offApplied();
      offStatus();
    };
    const check = () => {
      try {
        if (!condition()) return;
      } catch (error) {
        stop();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      stop();
      resolve();
    };
    check();
  });
}

/** Every applied batch, from now on. */
export function recordApplied(client: SyncClient): AppliedBatchEvent[] {
  const events: AppliedBatchEvent[] = [];
  client.onApplied((event) => events.push(event));
  return events;
}

export type TextRow = Record<string, string | null>;

const quote = (name: string) => `"${name}"`;

/** The business's rows of `table` as Postgres prints each value (in UTC), by id. */
export async function serverRows(
  session: PgSession,
  table: SyncedTable,
  tenantId: string,
): Promise<TextRow[]> {
  const columns = postgresColumns(table).map((column) => column.name);
  return session.query<TextRow>(
    `SELECT ${columns.map((c) => `${quote(c)}::text AS ${quote(c)}`).join(', ')}
       FROM ${quote(table)} WHERE user_id = $1 ORDER BY id`,
    [tenantId],
  );
}

/** The replica's rows of `table` written back in Postgres text format (codec toPgText), by id. */
export function replicaRows(replica: Database, table: SyncedTable): TextRow[] {
  const columns = postgresColumns(table);
  const rows = replica.prepare(`SELECT * FROM ${quote(table)} ORDER BY id`).all() as Record<
    string,
    string | number | null
  >[];
  return rows.map((row) =>
    Object.fromEntries(columns.map((c) => [c.name, toPgText(c.type, row[c.name] ?? null)])),
  );
}

/** Asserts-ready snapshot of both sides, every synced table. */
export async function bothSides(
  session: PgSession,
  replica: Database,
  tenantId: string,
  tables: readonly SyncedTable[] = syncedTables,
): Promise<{ server: Record<string, TextRow[]>; replica: Record<string, TextRow[]> }> {
  const server: Record<string, TextRow[]> = {};
  const local: Record<string, TextRow[]> = {};
  for (const table of tables) {
    server[table] = await serverRows(session, table, tenantId);
    local[table] = replicaRows(replica, table);
  }
  return { server, replica: local };
}

export const replicaHas = (replica: Database, table: SyncedTable, id: string): boolean =>
  replica.prepare(`SELECT 1 FROM ${quote(table)} WHERE id = ?`).get(id) !== undefined;

export const replicaValue = (
  replica: Database,
  table: SyncedTable,
  id: string,
  column: string,
): unknown =>
  (
    replica.prepare(`SELECT ${quote(column)} AS v FROM ${quote(table)} WHERE id = ?`).get(id) as
      { v: unknown } | undefined
  )?.v;

export const replicaCount = (replica: Database, table: SyncedTable): number =>
  (replica.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;

/** The number of every quickAccount business (signUpAt's, as stored). */
const QUICK_BUSINESS_PHONE = '+15125551234';

/**
 * A business, its owner and a signed-in session written with plain SQL, and an access token signed
 * with the test keyring: what signUpAt gives, without the argon2 hash (for tests that need hundreds
 * of businesses; signUpAt is the one that goes through the API).
 */
export async function quickAccount(harness: Harness, businessName: string): Promise<Account> {
  const email = `owner-${randomUUID()}@example.com`;
  const [row] = await harness.pg.query<{ business: string; member: string; session: string }>(
    `WITH business AS (
       INSERT INTO users (email, password_hash, business_name, owner_name, primary_phone, service_types)
       VALUES ($1, $2, $3, 'Pat Owner', $4, ARRAY['plumbing']) RETURNING id
     ), owner AS (
       INSERT INTO members (user_id, email, password_hash, name, role)
       SELECT id, $1, $2, 'Pat Owner', 'owner' FROM business RETURNING id, user_id
     )
     INSERT INTO auth_sessions (member_id, user_id, device_id, expires_at)
     SELECT id, user_id, 'owner-laptop', now() + interval '1 day' FROM owner
     RETURNING user_id AS business, member_id AS member, id AS session`,
    [email, DUMMY_PASSWORD_HASH, businessName, QUICK_BUSINESS_PHONE],
  );
  if (!row) throw new Error('quickAccount: nothing inserted');
  const access = await signAccessToken(
    harness.keyring,
    { memberId: row.member, tenantId: row.business, role: 'owner', sessionId: row.session },
    { ttlSeconds: 3600 },
  );
  return {
    accessToken: access.token,
    refreshToken: 'unused',
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    member: { id: row.member, email, name: 'Pat Owner', role: 'owner' },
    business: {
      id: row.business,
      name: businessName,
      status: 'active',
      primaryPhone: QUICK_BUSINESS_PHONE,
    },
    email,
    tenantId: row.business,
  };
}
