import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../db/errors.ts';
import { hashPassword, verifyPassword } from '../../db/passwords.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { fromDatabaseError } from '../../db/postgres/errors.ts';
import { platformOperators } from '../../db/postgres/schema/index.ts';
import type { Keyring } from '../../db/secrets.ts';
import { DUMMY_PASSWORD_HASH, type RequestOrigin } from '../auth/accounts.ts';
import { enforceLoginLimits } from '../auth/rate-limit.ts';
import { emailSchema } from '../auth/schemas.ts';
import type { AuthDependencies } from '../auth/sessions.ts';
import { signOperatorToken } from '../auth/tokens.ts';

/**
 * Platform operators: the platform's own staff, who belong to no business. Created from the command
 * line (add-operator.ts), signed in at /v1/platform/auth/login with a token of their own kind.
 */

/** Who an operator is, as routes and answers show them. */
export interface PlatformOperator {
  id: string;
  email: string;
  name: string;
}

/** Stricter than a member's (10): an operator sees every business's numbers. */
export const OPERATOR_PASSWORD_MIN_LENGTH = 12;

export const newOperatorSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1).max(255),
  password: z
    .string()
    .min(
      OPERATOR_PASSWORD_MIN_LENGTH,
      `must be at least ${OPERATOR_PASSWORD_MIN_LENGTH} characters`,
    )
    .max(200, 'must be at most 200 characters'),
});
export type NewOperator = z.input<typeof newOperatorSchema>;

/**
 * A new active operator with an argon2id hash of `password`. The input is validated here, so every
 * caller (the CLI, tests) gets the same rules; VALIDATION_FAILED or EMAIL_TAKEN otherwise.
 */
export async function createOperator(
  db: AppDatabase,
  input: NewOperator,
): Promise<PlatformOperator> {
  const parsed = newOperatorSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new AppError('VALIDATION_FAILED', problems.join('; '), { cause: parsed.error });
  }
  const { email, name, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  try {
    const [row] = await db
      .insert(platformOperators)
      .values({ email, name, passwordHash })
      .returning({
        id: platformOperators.id,
        email: platformOperators.email,
        name: platformOperators.name,
      });
    if (!row) throw new Error('INSERT … RETURNING gave no platform_operators row');
    return row;
  } catch (error) {
    if (fromDatabaseError(error).details?.constraint === 'platform_operators_email_key') {
      throw new AppError('EMAIL_TAKEN', `${email} is already a platform operator.`);
    }
    throw error;
  }
}

export interface OperatorLoginInput {
  email: string;
  password: string;
}

export interface OperatorLoginResult {
  accessToken: string;
  expiresAt: string;
  operator: PlatformOperator;
}

export interface OperatorAuthDependencies {
  keyring: Keyring;
  settings: Pick<
    AuthDependencies['settings'],
    'LOGIN_LIMIT_PER_IP' | 'LOGIN_LIMIT_PER_EMAIL' | 'LOGIN_LIMIT_WINDOW_SECONDS'
  >;
}

const invalidCredentials = () =>
  new AppError('INVALID_CREDENTIALS', 'The email or password is incorrect.');

/**
 * Email and password to an operator token, as a member's login does it: the same two rate limits
 * with the same keys (an address or an email has one budget of guesses for both logins), both spent
 * before the password is looked at; an unknown email, a wrong password and a disabled operator get
 * the same answer after the same argon2 work. A success stamps last_login_at.
 */
export async function loginOperator(
  db: AppDatabase,
  deps: OperatorAuthDependencies,
  input: OperatorLoginInput,
  origin: RequestOrigin,
): Promise<OperatorLoginResult> {
  const { settings } = deps;
  const email = input.email.trim().toLowerCase();
  await enforceLoginLimits(db, settings, origin, email);
  const [row] = await db
    .select({
      id: platformOperators.id,
      email: platformOperators.email,
      name: platformOperators.name,
      status: platformOperators.status,
      passwordHash: platformOperators.passwordHash,
    })
    .from(platformOperators)
    .where(eq(platformOperators.email, email));
  const passwordMatches = await verifyPassword(
    row?.passwordHash ?? DUMMY_PASSWORD_HASH,
    input.password,
  );
  if (!row || !passwordMatches || row.status !== 'active') throw invalidCredentials();
  await db
    .update(platformOperators)
    .set({ lastLoginAt: sql`now()` })
    .where(eq(platformOperators.id, row.id));
  const { token, expiresAt } = await signOperatorToken(deps.keyring, { operatorId: row.id });
  return {
    accessToken: token,
    expiresAt: expiresAt.toISOString(),
    operator: { id: row.id, email: row.email, name: row.name },
  };
}
