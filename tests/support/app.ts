import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { generateKeySpec, type Keyring, parseKeyring } from '../../db/secrets.ts';
import { type AppDependencies, buildApp } from '../../sync-server/app.ts';
import type { AuthResult } from '../../sync-server/auth/schemas.ts';
import { loadConfig, type ServerSettings } from '../../sync-server/config.ts';
import type { TestDatabase } from './databases.ts';

/** The configuration defaults with the test's overrides (values as the environment would give). */
export function testSettings(overrides: Record<string, string> = {}): ServerSettings {
  return loadConfig({ NODE_ENV: 'test', ...overrides });
}

/** A fresh single-key keyring (pass the same one to the app and to code signing test tokens). */
export const testKeyring = (keyId = 'test1'): Keyring => parseKeyring(generateKeySpec(keyId));

/** The real HTTP app over a test's own database, with a fresh keyring and silent logs. */
export function buildTestApp(
  database: TestDatabase,
  overrides: Record<string, string> = {},
  keyring: Keyring = testKeyring(),
  extra: Pick<
    AppDependencies,
    'now' | 'textQueuePrefix' | 'observeFollowUp' | 'analyticsCache'
  > = {},
): FastifyInstance {
  return buildApp({
    database: database.handle,
    logger: pino({ level: 'silent' }),
    redisStatus: () => 'disabled',
    keyring,
    settings: testSettings(overrides),
    ...extra,
  });
}

/** `Authorization: Bearer <token>` as inject headers. */
export const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

export const TEST_PASSWORD = 'correct horse battery';

export interface SignedUpBusiness extends AuthResult {
  email: string;
  password: string;
}

/** Signs a new business up through the API (one argon2 hash); its owner is signed in. */
export async function signupBusiness(
  app: FastifyInstance,
  overrides: Record<string, unknown> = {},
): Promise<SignedUpBusiness> {
  const body = {
    businessName: 'Test Plumbing',
    ownerName: 'Pat Owner',
    email: `owner-${randomBytes(4).toString('hex')}@example.com`,
    password: TEST_PASSWORD,
    primaryPhone: '(512) 555-1234',
    serviceTypes: ['plumbing'],
    deviceId: 'owner-laptop',
    ...overrides,
  };
  const response = await app.inject({ method: 'POST', url: '/v1/auth/signup', payload: body });
  if (response.statusCode !== 201) {
    throw new Error(`signup answered ${response.statusCode}: ${response.body}`);
  }
  return {
    ...response.json<AuthResult>(),
    email: String(body.email).trim().toLowerCase(),
    password: String(body.password),
  };
}

/** POST /v1/auth/login as it came back (for tests of refusals). */
export function postLogin(
  app: FastifyInstance,
  credentials: { email: string; password: string; deviceId?: string; deviceName?: string },
  ip = '198.51.100.1',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    remoteAddress: ip,
    payload: { deviceId: 'test-device', ...credentials },
  });
}

/** Signs in (one argon2 verify) and returns the tokens; anything but 200 fails the test. */
export async function loginAs(
  app: FastifyInstance,
  email: string,
  password: string,
  deviceId = 'test-device',
): Promise<AuthResult> {
  const response = await postLogin(app, { email, password, deviceId });
  if (response.statusCode !== 200) {
    throw new Error(`login of ${email} answered ${response.statusCode}: ${response.body}`);
  }
  return response.json<AuthResult>();
}
