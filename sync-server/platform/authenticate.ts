import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../db/errors.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { platformOperators } from '../../db/postgres/schema/index.ts';
import type { AppDependencies } from '../app.ts';
import { bearerToken } from '../auth/authenticate.ts';
import { type OperatorTokenClaims, verifyOperatorToken } from '../auth/tokens.ts';
import type { PlatformOperator } from './operators.ts';

/**
 * Which operator is calling: a valid operator token (a member's access token never is one) AND the
 * live operator row behind it, so disabling an operator stops their token at once rather than when
 * it expires. One lookup by primary key per request.
 */
export function createOperatorAuthenticator(
  deps: Pick<AppDependencies, 'database' | 'keyring'>,
): (request: FastifyRequest) => Promise<PlatformOperator> {
  return async (request) => {
    const token = bearerToken(
      request.headers.authorization,
      'operator token',
      'Sign in as a platform operator first',
    );
    const claims = await verifyOperatorToken(deps.keyring, token);
    return loadOperator(deps.database.db, claims);
  };
}

/** The operator the token names, if they still exist and are active; the row decides, not the token. */
export async function loadOperator(
  db: AppDatabase,
  claims: OperatorTokenClaims,
): Promise<PlatformOperator> {
  const [row] = await db
    .select({
      id: platformOperators.id,
      email: platformOperators.email,
      name: platformOperators.name,
      status: platformOperators.status,
    })
    .from(platformOperators)
    .where(eq(platformOperators.id, claims.operatorId));
  if (!row) throw new AppError('UNAUTHENTICATED', 'This operator account no longer exists.');
  if (row.status !== 'active') {
    throw new AppError(
      'UNAUTHENTICATED',
      'This operator account is disabled: its tokens no longer work.',
    );
  }
  return { id: row.id, email: row.email, name: row.name };
}
