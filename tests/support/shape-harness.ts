import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { queryRows } from '../../db/postgres/client.ts';
import { generateKeySpec, type Keyring, parseKeyring } from '../../db/secrets.ts';
import { buildApp } from '../../sync-server/app.ts';
import { signAccessToken } from '../../sync-server/auth/tokens.ts';
import { insertBusiness } from '../schema/fixtures.ts';
import { testSettings } from './app.ts';
import type { TestDatabase } from './databases.ts';

/** A business with an owner signed in on one device, and that device's access token. */
export interface SignedInBusiness {
  userId: string;
  campaignId: string;
  memberId: string;
  sessionId: string;
  token: string;
}

/**
 * Makes a business and its signed-in owner directly in the database (no argon2 hashing, no HTTP),
 * and signs an access token with `keyring`: what a login would have produced.
 */
export async function signedInBusiness(
  db: AppDatabase,
  keyring: Keyring,
  overrides: Record<string, string> = {},
): Promise<SignedInBusiness> {
  const { userId, campaignId } = await insertBusiness(db, overrides);
  const [member] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO members (user_id, email, password_hash, name, role)
        SELECT id, email, password_hash, owner_name, 'owner' FROM users WHERE id = ${userId}
        RETURNING id`,
  );
  const [session] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO auth_sessions (member_id, user_id, device_id, expires_at)
        VALUES (${member!.id}, ${userId}, 'test-device', now() + interval '1 day') RETURNING id`,
  );
  const { token } = await signAccessToken(
    keyring,
    { memberId: member!.id, tenantId: userId, role: 'owner', sessionId: session!.id },
    { ttlSeconds: 900 },
  );
  return { userId, campaignId, memberId: member!.id, sessionId: session!.id, token };
}

/** A sync server on a test database, listening on a free loopback port. */
export interface RunningServer {
  app: FastifyInstance;
  url: string;
  keyring: Keyring;
}

export async function startShapeServer(
  database: TestDatabase,
  overrides: Record<string, string> = {},
  keyring: Keyring = parseKeyring(generateKeySpec('test1')),
): Promise<RunningServer> {
  const app = buildApp({
    database: database.handle,
    logger: pino({ level: 'silent' }),
    redisStatus: () => 'disabled',
    keyring,
    settings: testSettings(overrides),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, keyring };
}

export interface ShapeResponse {
  status: number;
  headers: Headers;
  body: unknown;
  handle: string | null;
  offset: string | null;
  messages: { headers: Record<string, unknown>; key?: string; value?: Record<string, unknown> }[];
}

/** One GET /v1/shape with `params`, as the client would send it. */
export async function getShape(
  server: { url: string },
  token: string | undefined,
  params: Record<string, string>,
  init: RequestInit = {},
): Promise<ShapeResponse> {
  const url = new URL('/v1/shape', server.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const response = await fetch(url, {
    ...init,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  const body: unknown = text === '' ? undefined : JSON.parse(text);
  return {
    status: response.status,
    headers: response.headers,
    body,
    handle: response.headers.get('electric-handle'),
    offset: response.headers.get('electric-offset'),
    messages: Array.isArray(body) ? (body as ShapeResponse['messages']) : [],
  };
}

/** Follows a shape from -1 until up-to-date; returns every message and the final position. */
export async function syncToUpToDate(
  server: { url: string },
  token: string,
  params: Record<string, string>,
): Promise<{
  messages: ShapeResponse['messages'];
  handle: string;
  offset: string;
  requests: number;
}> {
  const messages: ShapeResponse['messages'] = [];
  let handle: string | undefined;
  let offset = '-1';
  for (let requests = 1; requests < 1_000; requests += 1) {
    const response = await getShape(server, token, {
      ...params,
      offset,
      ...(handle === undefined ? {} : { handle }),
    });
    if (response.status !== 200) {
      throw new Error(`shape request failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
    handle = response.handle ?? undefined;
    offset = response.offset ?? offset;
    messages.push(...response.messages.filter((m) => m.key !== undefined));
    if (response.headers.has('electric-up-to-date')) {
      return { messages, handle: handle ?? '', offset, requests };
    }
  }
  throw new Error('shape never reached up-to-date');
}
