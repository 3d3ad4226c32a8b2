import { sql } from 'drizzle-orm';
import { AppError } from '../../db/errors.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';

export type AttemptOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one attempt against `key` in a fixed window of `windowSeconds` and says whether it is
 * within `limit`. One upsert statement: the row lock it takes makes concurrent attempts on any
 * number of server instances count one after another, with nothing read first and written later.
 * A window that has ended starts over at this attempt. `now` is the database's clock unless a test
 * moves it.
 */
export async function consumeAttempt(
  db: Pick<AppDatabase, 'execute'>,
  key: string,
  limit: number,
  windowSeconds: number,
  now?: Date,
): Promise<AttemptOutcome> {
  const at = now === undefined ? sql`now()` : sql`${now.toISOString()}::timestamptz`;
  const windowLength = sql`make_interval(secs => ${windowSeconds})`;
  const [row] = await queryRows<{ attempts: number; retry_after: number | string }>(
    db,
    sql`INSERT INTO auth_rate_limits AS r (key, window_started_at, attempts)
        VALUES (${key}, ${at}, 1)
        ON CONFLICT (key) DO UPDATE SET
          window_started_at = CASE WHEN r.window_started_at + ${windowLength} <= ${at}
                                   THEN ${at} ELSE r.window_started_at END,
          attempts = CASE WHEN r.window_started_at + ${windowLength} <= ${at}
                          THEN 1 ELSE r.attempts + 1 END
        RETURNING attempts,
                  ceil(extract(epoch FROM r.window_started_at + ${windowLength} - ${at}))::int
                    AS retry_after`,
  );
  if (!row) throw new AppError('DATABASE_ERROR', 'The rate-limit counter returned no row.');
  if (row.attempts <= limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Number(row.retry_after)) };
}

/** Throws RATE_LIMITED (429 with Retry-After) when the attempt is over the limit. */
export async function enforceLimit(
  db: Pick<AppDatabase, 'execute'>,
  key: string,
  limit: number,
  windowSeconds: number,
  what: string,
): Promise<void> {
  const outcome = await consumeAttempt(db, key, limit, windowSeconds);
  if (outcome.allowed) return;
  throw new AppError(
    'RATE_LIMITED',
    `Too many ${what}: try again in ${outcome.retryAfterSeconds} s.`,
    { details: { retryAfterSeconds: outcome.retryAfterSeconds } },
  );
}

/** Rate-limit keys: one namespace per kind of attempt, emails as the login compares them. */
export const limitKeys = {
  loginByIp: (ip: string) => `login:ip:${ip}`,
  loginByEmail: (email: string) => `login:email:${email.trim().toLowerCase()}`,
  signupByIp: (ip: string) => `signup:ip:${ip}`,
  invitationByIp: (ip: string) => `invitation:ip:${ip}`,
};

export interface LoginLimits {
  LOGIN_LIMIT_PER_IP: number;
  LOGIN_LIMIT_PER_EMAIL: number;
  LOGIN_LIMIT_WINDOW_SECONDS: number;
}

/**
 * Spends one login attempt of the address and one of the email, before any password is looked at,
 * so a locked-out guesser learns nothing from their guesses. Members and platform operators share
 * the budgets: an address or an email has one allowance of guesses for both logins.
 */
export async function enforceLoginLimits(
  db: Pick<AppDatabase, 'execute'>,
  limits: LoginLimits,
  origin: { ip: string },
  email: string,
): Promise<void> {
  await enforceLimit(
    db,
    limitKeys.loginByIp(origin.ip),
    limits.LOGIN_LIMIT_PER_IP,
    limits.LOGIN_LIMIT_WINDOW_SECONDS,
    'login attempts from this address',
  );
  await enforceLimit(
    db,
    limitKeys.loginByEmail(email),
    limits.LOGIN_LIMIT_PER_EMAIL,
    limits.LOGIN_LIMIT_WINDOW_SECONDS,
    'login attempts for this email',
  );
}
