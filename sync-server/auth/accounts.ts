import { and, eq, sql } from 'drizzle-orm';
import type { MemberRole, MemberStatus, UserStatus } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import { hashPassword, verifyPassword } from '../../db/passwords.ts';
import { normalizePhone } from '../../db/phone.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { fromDatabaseError } from '../../db/postgres/errors.ts';
import { authRefreshTokens, authSessions, members, users } from '../../db/postgres/schema/index.ts';
import type { Principal } from './principal.ts';
import { enforceLimit, enforceLoginLimits, limitKeys } from './rate-limit.ts';
import type { AuthResult, LoginInput, SignupInput } from './schemas.ts';
import {
  type AuthDependencies,
  type SessionAccount,
  issueTokens,
  revokeSessions,
  sessionEnd,
  startSession,
} from './sessions.ts';
import { hashOpaqueToken, newOpaqueToken } from './tokens.ts';

/**
 * Signing up, in and out, and refreshing: plain functions over the database. They run outside any
 * tenant (no business is known until the credentials are checked), so every query names its rows
 * by email, token hash or session id itself.
 */

export interface RequestOrigin {
  /** The client address, for the per-address rate limits. */
  ip: string;
}

/**
 * An argon2id hash (same parameters as db/passwords.ts) of a random password nobody knows. A login
 * for an unknown email verifies against it, so it costs what a real one does and its timing does not
 * tell which emails have an account. login.test.ts checks the parameters still match.
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,p=1,t=2$HT4dN2znuYMs5JkiG3VN+g$hwYLFpSap1tcFHdZcJGRlVRjVKstt6T+D5JfQaP599Q';

const invalidCredentials = () =>
  new AppError('INVALID_CREDENTIALS', 'The email or password is incorrect.');

const emailTaken = (email: string) =>
  new AppError('EMAIL_TAKEN', `${email} already has a Fieldline login: sign in instead.`);

/** True when `error` is the unique index on a login email (users' or members'). */
export function isEmailConflict(error: unknown): boolean {
  const constraint = fromDatabaseError(error).details?.constraint;
  return constraint === 'users_email_key' || constraint === 'members_email_key';
}

async function emailInUse(db: AppDatabase, email: string): Promise<boolean> {
  const [row] = await db
    .select({ found: sql<number>`1` })
    .from(members)
    .where(eq(members.email, email))
    .unionAll(
      db
        .select({ found: sql<number>`1` })
        .from(users)
        .where(eq(users.email, email)),
    )
    .limit(1);
  return row !== undefined;
}

/** A new business (the seed's `users` row) with its owner as first member, signed in. */
export async function signup(
  db: AppDatabase,
  deps: AuthDependencies,
  input: SignupInput,
  origin: RequestOrigin,
): Promise<AuthResult> {
  const { settings } = deps;
  await enforceLimit(
    db,
    limitKeys.signupByIp(origin.ip),
    settings.LOGIN_LIMIT_PER_IP,
    settings.LOGIN_LIMIT_WINDOW_SECONDS,
    'sign-ups from this address',
  );
  const primaryPhone = normalizePhone(input.primaryPhone);
  // Checked before hashing so a taken email costs no argon2 time; the unique indexes decide races.
  if (await emailInUse(db, input.email)) throw emailTaken(input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [business] = await tx
        .insert(users)
        .values({
          email: input.email,
          passwordHash,
          businessName: input.businessName,
          ownerName: input.ownerName,
          primaryPhone,
          serviceTypes: input.serviceTypes,
          ...(input.timezone === undefined ? {} : { timezone: input.timezone }),
        })
        .returning({ id: users.id, name: users.businessName, status: users.status });
      if (!business) throw new Error('INSERT … RETURNING gave no users row');
      const [owner] = await tx
        .insert(members)
        .values({
          userId: business.id,
          email: input.email,
          passwordHash,
          name: input.ownerName,
          role: 'owner',
        })
        .returning({ id: members.id });
      if (!owner) throw new Error('INSERT … RETURNING gave no members row');
      const account: SessionAccount = {
        member: { id: owner.id, email: input.email, name: input.ownerName, role: 'owner' },
        business: {
          id: business.id,
          name: business.name,
          status: business.status as UserStatus,
          primaryPhone,
        },
      };
      return startSession(tx, deps, account, input);
    });
  } catch (error) {
    if (isEmailConflict(error)) throw emailTaken(input.email);
    throw error;
  }
}

interface LoginAccount extends SessionAccount {
  passwordHash: string;
  memberStatus: MemberStatus;
}

async function findAccountByEmail(
  db: AppDatabase,
  email: string,
): Promise<LoginAccount | undefined> {
  const [row] = await db
    .select({
      memberId: members.id,
      email: members.email,
      name: members.name,
      role: members.role,
      memberStatus: members.status,
      passwordHash: members.passwordHash,
      businessId: users.id,
      businessName: users.businessName,
      businessStatus: users.status,
      businessPhone: users.primaryPhone,
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.email, email));
  if (!row) return undefined;
  return {
    member: { id: row.memberId, email: row.email, name: row.name, role: row.role as MemberRole },
    business: {
      id: row.businessId,
      name: row.businessName,
      status: row.businessStatus as UserStatus,
      primaryPhone: row.businessPhone,
    },
    passwordHash: row.passwordHash,
    memberStatus: row.memberStatus as MemberStatus,
  };
}

/**
 * Email and password to a session on this device. Both rate limits are spent before the password
 * is looked at, so a locked-out guesser learns nothing from their guesses. An unknown email, a wrong
 * password and a disabled member all get the same answer after the same amount of work. A
 * suspended or cancelled business still signs in (to see why it cannot sync).
 */
export async function login(
  db: AppDatabase,
  deps: AuthDependencies,
  input: LoginInput,
  origin: RequestOrigin,
): Promise<AuthResult> {
  const { settings } = deps;
  await enforceLoginLimits(db, settings, origin, input.email);
  const account = await findAccountByEmail(db, input.email);
  const passwordMatches = await verifyPassword(
    account?.passwordHash ?? DUMMY_PASSWORD_HASH,
    input.password,
  );
  if (!account || !passwordMatches || account.memberStatus !== 'active') {
    throw invalidCredentials();
  }
  return db.transaction(async (tx) => {
    await tx
      .update(members)
      .set({ lastLoginAt: sql`now()` })
      .where(eq(members.id, account.member.id));
    // The seed's users.last_login_at is the business's: the latest login of any of its members.
    await tx
      .update(users)
      .set({ lastLoginAt: sql`now()` })
      .where(eq(users.id, account.business.id));
    return startSession(tx, deps, account, input);
  });
}

type RefreshOutcome =
  | { kind: 'rotated'; result: AuthResult }
  | { kind: 'unknown' }
  | { kind: 'reused' }
  | { kind: 'ended' };

/**
 * Exchanges a refresh token for the next one and a new access token. Each token works once: the
 * token row and its session are locked, so two concurrent uses of one token cannot both succeed.
 * A token that was already used means two parties hold it (a stolen copy, or a thief who used it
 * first): the whole session is revoked, so neither can continue and the member signs in again.
 * Each refresh also moves the session's end SESSION_TTL_DAYS ahead: a laptop that syncs now and
 * then stays signed in, one that vanished for longer than that does not.
 */
export async function refresh(
  db: AppDatabase,
  deps: AuthDependencies,
  refreshToken: string,
): Promise<AuthResult> {
  const tokenHash = hashOpaqueToken(refreshToken);
  // The transaction commits a reuse revocation; the error is thrown only after it.
  const outcome = await db.transaction(async (tx): Promise<RefreshOutcome> => {
    const [row] = await tx
      .select({
        tokenId: authRefreshTokens.id,
        used: sql<boolean>`${authRefreshTokens.usedAt} IS NOT NULL`,
        sessionId: authSessions.id,
        sessionLive: sql<boolean>`${authSessions.revokedAt} IS NULL AND ${authSessions.expiresAt} > now()`,
        memberId: members.id,
        email: members.email,
        name: members.name,
        role: members.role,
        memberStatus: members.status,
        businessId: users.id,
        businessName: users.businessName,
        businessStatus: users.status,
        businessPhone: users.primaryPhone,
      })
      .from(authRefreshTokens)
      .innerJoin(authSessions, eq(authSessions.id, authRefreshTokens.sessionId))
      .innerJoin(members, eq(members.id, authSessions.memberId))
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(eq(authRefreshTokens.tokenHash, tokenHash))
      .for('update', { of: [authRefreshTokens, authSessions] });
    if (!row) return { kind: 'unknown' };
    if (row.used) {
      await revokeSessions(tx, eq(authSessions.id, row.sessionId), 'refresh_token_reuse');
      return { kind: 'reused' };
    }
    if (!row.sessionLive || row.memberStatus !== 'active') return { kind: 'ended' };

    await tx
      .update(authRefreshTokens)
      .set({ usedAt: sql`now()` })
      .where(eq(authRefreshTokens.id, row.tokenId));
    const next = newOpaqueToken();
    await tx.insert(authRefreshTokens).values({ sessionId: row.sessionId, tokenHash: next.hash });
    await tx
      .update(authSessions)
      .set({ lastUsedAt: sql`now()`, expiresAt: sessionEnd(deps.settings.SESSION_TTL_DAYS) })
      .where(eq(authSessions.id, row.sessionId));
    const account: SessionAccount = {
      member: { id: row.memberId, email: row.email, name: row.name, role: row.role as MemberRole },
      business: {
        id: row.businessId,
        name: row.businessName,
        status: row.businessStatus as UserStatus,
        primaryPhone: row.businessPhone,
      },
    };
    return { kind: 'rotated', result: await issueTokens(deps, account, row.sessionId, next.token) };
  });
  switch (outcome.kind) {
    case 'rotated':
      return outcome.result;
    case 'unknown':
      throw new AppError('REFRESH_TOKEN_INVALID', 'The refresh token is not valid: sign in again.');
    case 'reused':
      throw new AppError(
        'REFRESH_TOKEN_REUSED',
        'This refresh token was already used, so it may have been copied: the session on this ' +
          'device has been ended. Sign in again.',
      );
    case 'ended':
      throw new AppError('SESSION_REVOKED', 'This session has ended: sign in again.');
  }
}

/** Ends the caller's session: its refresh token and access tokens stop working at once. */
export async function logout(db: AppDatabase, principal: Principal): Promise<void> {
  await revokeSessions(
    db,
    and(eq(authSessions.id, principal.sessionId), eq(authSessions.memberId, principal.memberId)),
    'logout',
  );
}
