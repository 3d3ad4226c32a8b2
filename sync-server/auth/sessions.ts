import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { MemberRole, SessionRevokeReason, UserStatus } from '../../db/enums.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { authRefreshTokens, authSessions } from '../../db/postgres/schema/index.ts';
import type { Keyring } from '../../db/secrets.ts';
import type { ServerSettings } from '../config.ts';
import type { AuthResult } from './schemas.ts';
import { newOpaqueToken, signAccessToken } from './tokens.ts';

/** What the account functions need besides the database: the keys and the lifetimes. */
export interface AuthDependencies {
  keyring: Keyring;
  settings: Pick<
    ServerSettings,
    | 'ACCESS_TOKEN_TTL_SECONDS'
    | 'SESSION_TTL_DAYS'
    | 'LOGIN_LIMIT_PER_IP'
    | 'LOGIN_LIMIT_PER_EMAIL'
    | 'LOGIN_LIMIT_WINDOW_SECONDS'
  >;
}

export interface SessionAccount {
  member: { id: string; email: string; name: string; role: MemberRole };
  business: { id: string; name: string; status: UserStatus; primaryPhone: string };
}

export interface Device {
  deviceId: string;
  deviceName?: string | undefined;
}

/** A timestamptz as ISO-8601 UTC with milliseconds, whatever the session's TimeZone/DateStyle. */
export const utcIso = (column: AnyPgColumn | SQL): SQL<string> =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** utcIso of a nullable column: null stays null. */
export const utcIsoOrNull = (column: AnyPgColumn | SQL): SQL<string | null> =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The session's end, `days` from now on the database's clock. */
export const sessionEnd = (days: number): SQL => sql`now() + make_interval(days => ${days})`;

/**
 * Signs a device in: a session (one live one per member and device — signing in again on the same
 * device ends the older one, whose tokens the device has dropped), its first refresh token and an
 * access token. Runs inside the caller's transaction, so a failed sign-up or acceptance leaves no
 * session behind.
 */
export async function startSession(
  tx: AppDatabase,
  deps: AuthDependencies,
  account: SessionAccount,
  device: Device,
): Promise<AuthResult> {
  await revokeSessions(
    tx,
    and(eq(authSessions.memberId, account.member.id), eq(authSessions.deviceId, device.deviceId)),
    'logout',
  );
  const [session] = await tx
    .insert(authSessions)
    .values({
      memberId: account.member.id,
      userId: account.business.id,
      deviceId: device.deviceId,
      deviceName: device.deviceName ?? null,
      expiresAt: sessionEnd(deps.settings.SESSION_TTL_DAYS),
    })
    .returning({ id: authSessions.id });
  if (!session) throw new Error('INSERT … RETURNING gave no session row');
  const refreshToken = newOpaqueToken();
  await tx
    .insert(authRefreshTokens)
    .values({ sessionId: session.id, tokenHash: refreshToken.hash });
  return issueTokens(deps, account, session.id, refreshToken.token);
}

/** The answer of every sign-in and refresh: both tokens, who signed in, and their business. */
export async function issueTokens(
  deps: AuthDependencies,
  account: SessionAccount,
  sessionId: string,
  refreshToken: string,
): Promise<AuthResult> {
  const access = await signAccessToken(
    deps.keyring,
    {
      memberId: account.member.id,
      tenantId: account.business.id,
      role: account.member.role,
      sessionId,
    },
    { ttlSeconds: deps.settings.ACCESS_TOKEN_TTL_SECONDS },
  );
  return {
    accessToken: access.token,
    refreshToken,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    member: account.member,
    business: account.business,
  };
}

/** Ends the live sessions matching `where`; already ended ones keep their first reason. */
export async function revokeSessions(
  db: AppDatabase,
  where: SQL | undefined,
  reason: SessionRevokeReason,
): Promise<number> {
  const revoked = await db
    .update(authSessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(where, isNull(authSessions.revokedAt)))
    .returning({ id: authSessions.id });
  return revoked.length;
}
