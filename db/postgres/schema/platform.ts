import { sql } from 'drizzle-orm';
import { check, pgTable, varchar } from 'drizzle-orm/pg-core';
import { operatorStatuses } from '../../enums.ts';
import { checkName, oneOf } from '../../sql-checks.ts';
import { createdAt, id, timestamptz, updatedAt } from './columns.ts';

/**
 * Beyond the seed: the platform's own staff, who see numbers across every business (MRR). They
 * belong to no business, sign in at their own endpoint and hold tokens for another audience, so no
 * member's token opens a platform route and no operator's token opens a business's data.
 */
export const platformOperators = pgTable(
  'platform_operators',
  {
    id: id(),
    email: varchar('email', { length: 255 }).notNull().unique('platform_operators_email_key'),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    status: varchar('status', { length: 20 }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastLoginAt: timestamptz('last_login_at'),
  },
  () => [
    check(checkName('platform_operators', 'status'), oneOf('status', operatorStatuses)),
    check(
      checkName('platform_operators', 'email'),
      sql`"email" = lower("email") AND "email" LIKE '_%@_%'`,
    ),
    check(
      checkName('platform_operators', 'password_hash'),
      sql`"password_hash" LIKE '$argon2id$%'`,
    ),
  ],
);
