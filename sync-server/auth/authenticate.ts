import { eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { MemberRole, UserStatus } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { authSessions, members, users } from '../../db/postgres/schema/index.ts';
import type { AppDependencies } from '../app.ts';
import type { Principal } from './principal.ts';
import { type AccessTokenClaims, verifyAccessToken } from './tokens.ts';

/**
 * Who is calling: a valid access token AND the live session behind it. The token alone would keep
 * working for up to ACCESS_TOKEN_TTL_SECONDS after a logout, a reuse revocation or a disabled
 * member; one indexed lookup per request closes that window.
 */
export function createAuthenticator(
  deps: Pick<AppDependencies, 'database' | 'keyring' | 'settings'>,
): (request: FastifyRequest) => Promise<Principal> {
  return async (request) => {
    const token = bearerToken(request.headers.authorization);
    const claims = await verifyAccessToken(deps.keyring, token);
    return loadPrincipal(deps.database.db, claims);
  };
}

/** The token of an `Authorization: Bearer` header; a missing or other header is UNAUTHENTICATED. */
export function bearerToken(
  header: string | undefined,
  token = 'access token',
  signIn = 'Sign in first',
): string {
  if (header === undefined || header.trim() === '') {
    throw new AppError(
      'UNAUTHENTICATED',
      `${signIn}: send the ${token} as "Authorization: Bearer <token>".`,
    );
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(header.trim());
  if (!match?.[1]) {
    throw new AppError(
      'UNAUTHENTICATED',
      `The Authorization header must be "Bearer <${token}>" (one token, no other scheme).`,
    );
  }
  return match[1];
}

const sessionEnded = (why: string) =>
  new AppError('SESSION_REVOKED', `This session has ended (${why}): sign in again.`);

/** The session, its member and their business in one query; the live row, not the token, decides. */
export async function loadPrincipal(
  db: AppDatabase,
  claims: AccessTokenClaims,
): Promise<Principal> {
  const [row] = await db
    .select({
      memberId: authSessions.memberId,
      tenantId: authSessions.userId,
      revoked: sql<boolean>`${authSessions.revokedAt} IS NOT NULL`,
      expired: sql<boolean>`${authSessions.expiresAt} <= now()`,
      memberTenantId: members.userId,
      memberStatus: members.status,
      role: members.role,
      businessStatus: users.status,
    })
    .from(authSessions)
    .innerJoin(members, eq(members.id, authSessions.memberId))
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(eq(authSessions.id, claims.sessionId));
  // Sessions go with their member (ON DELETE CASCADE): no row is a deleted member or session.
  if (!row) throw sessionEnded('it no longer exists');
  if (
    row.memberId !== claims.memberId ||
    row.tenantId !== claims.tenantId ||
    row.memberTenantId !== claims.tenantId
  ) {
    throw new AppError('UNAUTHENTICATED', 'The access token does not match its session.');
  }
  if (row.revoked) throw sessionEnded('signed out or revoked');
  if (row.expired) throw sessionEnded('expired');
  if (row.memberStatus !== 'active') throw sessionEnded('this member was disabled');
  return {
    memberId: row.memberId,
    tenantId: row.tenantId,
    // The member's current role, not the one in the token: a change applies at once.
    role: row.role as MemberRole,
    sessionId: claims.sessionId,
    businessStatus: row.businessStatus as UserStatus,
  };
}

/**
 * Authentication lets a suspended or cancelled business sign in and see why; the routes that work
 * on its data (sync, member management) call this to refuse them with a reason a person can act on.
 */
export function requireActiveBusiness(principal: Principal): void {
  switch (principal.businessStatus) {
    case 'active':
      return;
    case 'suspended':
      throw new AppError(
        'BUSINESS_SUSPENDED',
        'This business is suspended: syncing and account changes are paused until billing is ' +
          'resolved. The owner can update the payment method to resume.',
      );
    case 'cancelled':
      throw new AppError(
        'BUSINESS_CANCELLED',
        'This business has been cancelled: its data can no longer be synced or changed. ' +
          'Contact support to reactivate it.',
      );
  }
}
