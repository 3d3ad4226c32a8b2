import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { createOperator, type PlatformOperator } from './operators.ts';

/** Test helpers for the platform routes (like tests/support/app.ts for members). */

export const OPERATOR_PASSWORD = 'operator password 42';

/** A new active operator (one argon2 hash) whose password is OPERATOR_PASSWORD. */
export function addTestOperator(
  db: AppDatabase,
  overrides: { email?: string; name?: string } = {},
): Promise<PlatformOperator> {
  return createOperator(db, {
    email: overrides.email ?? 'ops@fieldline.test',
    name: overrides.name ?? 'Olive Operator',
    password: OPERATOR_PASSWORD,
  });
}

/** POST /v1/platform/auth/login as it came back (for tests of refusals). */
export function postOperatorLogin(
  app: FastifyInstance,
  credentials: { email: string; password: string },
  ip = '198.51.100.1',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/v1/platform/auth/login',
    remoteAddress: ip,
    payload: credentials,
  });
}

/** Signs an operator in and returns their token; anything but 200 fails the test. */
export async function operatorToken(
  app: FastifyInstance,
  email: string,
  password = OPERATOR_PASSWORD,
): Promise<string> {
  const response = await postOperatorLogin(app, { email, password });
  if (response.statusCode !== 200) {
    throw new Error(`operator login of ${email} answered ${response.statusCode}: ${response.body}`);
  }
  return response.json<{ accessToken: string }>().accessToken;
}
