import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { memberRoles, memberStatuses, sessionRevokeReasons } from '../../enums.ts';
import { checkName, oneOf } from '../../sql-checks.ts';
import { createdAt, id, timestamptz, updatedAt } from './columns.ts';
import { users } from './users.ts';

/**
 * Beyond the seed: the people who log in to a business. The seed's `users` row is the business;
 * each member has their own email, argon2id hash and role. Emails are unique across the product,
 * so a login names exactly one business.
 */
export const members = pgTable(
  'members',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: varchar('email', { length: 255 }).notNull().unique('members_email_key'),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    role: varchar('role', { length: 20 }).notNull(),
    status: varchar('status', { length: 20 }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastLoginAt: timestamptz('last_login_at'),
  },
  (t) => [
    index('idx_members_user_id').on(t.userId),
    check(checkName('members', 'role'), oneOf('role', memberRoles)),
    check(checkName('members', 'status'), oneOf('status', memberStatuses)),
    check(checkName('members', 'email'), sql`"email" = lower("email") AND "email" LIKE '_%@_%'`),
    check(checkName('members', 'password_hash'), sql`"password_hash" LIKE '$argon2id$%'`),
  ],
);

/** An owner's invitation: the token is shown once and stored only as its SHA-256. */
export const memberInvitations = pgTable(
  'member_invitations',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: varchar('email', { length: 255 }).notNull(),
    role: varchar('role', { length: 20 }).notNull(),
    tokenHash: varchar('token_hash', { length: 64 })
      .notNull()
      .unique('member_invitations_token_hash_key'),
    invitedBy: uuid('invited_by').references(() => members.id, { onDelete: 'set null' }),
    expiresAt: timestamptz('expires_at').notNull(),
    acceptedAt: timestamptz('accepted_at'),
    revokedAt: timestamptz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_member_invitations_user_id').on(t.userId),
    // Deleting a member sets invited_by to NULL: without an index that scans every invitation.
    index('idx_member_invitations_invited_by').on(t.invitedBy),
    check(checkName('member_invitations', 'role'), oneOf('role', memberRoles)),
    check(
      checkName('member_invitations', 'email'),
      sql`"email" = lower("email") AND "email" LIKE '_%@_%'`,
    ),
  ],
);

/** One signed-in device of a member; revoking it ends its refresh tokens and access tokens. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: id(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    deviceId: varchar('device_id', { length: 100 }).notNull(),
    deviceName: varchar('device_name', { length: 255 }),
    createdAt: createdAt(),
    lastUsedAt: timestamptz('last_used_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    revokedReason: varchar('revoked_reason', { length: 30 }),
  },
  (t) => [
    index('idx_auth_sessions_member_id').on(t.memberId),
    // Deleting a business cascades through it, and row-level security filters on it.
    index('idx_auth_sessions_user_id').on(t.userId),
    check(
      checkName('auth_sessions', 'revoked_reason'),
      sql`("revoked_at" IS NULL) = ("revoked_reason" IS NULL) AND (${oneOf('revoked_reason', sessionRevokeReasons)})`,
    ),
  ],
);

/**
 * The refresh tokens of a session, newest last. Only the SHA-256 of a token is kept. A token is
 * used once: presenting one that has `used_at` set is reuse, and revokes the session.
 */
export const authRefreshTokens = pgTable(
  'auth_refresh_tokens',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => authSessions.id, { onDelete: 'cascade' }),
    tokenHash: varchar('token_hash', { length: 64 })
      .notNull()
      .unique('auth_refresh_tokens_token_hash_key'),
    createdAt: createdAt(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('idx_auth_refresh_tokens_session_id').on(t.sessionId)],
);

/** Fixed-window attempt counters shared by every server instance (login per IP and per email). */
export const authRateLimits = pgTable('auth_rate_limits', {
  key: varchar('key', { length: 300 }).primaryKey(),
  windowStartedAt: timestamptz('window_started_at').notNull(),
  attempts: integer('attempts').notNull(),
});
