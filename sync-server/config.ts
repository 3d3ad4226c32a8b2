import { z } from 'zod';
import { DEFAULT_DEMO_PASSWORD } from '../db/demo/load.ts';
import { databaseEnvSchema } from '../db/postgres/client.ts';
import { AppError } from '../db/errors.ts';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => ['true', '1', 'yes'].includes(value));

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
    ...databaseEnvSchema.shape,
    REDIS_URL: z.preprocess(
      emptyAsUndefined,
      z
        .url()
        .refine((url) => /^rediss?:\/\//.test(url), 'must be a redis:// or rediss:// URL')
        .optional(),
    ),
    // Prefix of the analytics cache's Redis keys (several deployments, or a benchmark, on one Redis).
    CACHE_KEY_PREFIX: z
      .string()
      .regex(/^[\w.:-]{1,64}$/, 'must be 1-64 letters, digits or . _ : -')
      .default('fieldline:'),
    SECRETS_KEYS: z.preprocess(emptyAsUndefined, z.string().optional()),
    SECRETS_ACTIVE_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
    DEMO_PASSWORD: z.string().min(8).default(DEFAULT_DEMO_PASSWORD),
    SEED_DEMO: z.preprocess(emptyAsUndefined, booleanFlag.optional()),
    // Behind a load balancer: how many proxy hops to trust for the client's address (X-Forwarded-For),
    // which login rate limits key on. 0 (the default) trusts none: the socket's address is the client.
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // Accounts: access tokens are short-lived JWTs; a device's refresh token rotates on every use.
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
    SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(60),
    LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
    LOGIN_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).default(10),
    LOGIN_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
    // The read path (GET /v1/shape).
    SHAPE_CHUNK_ROWS: z.coerce.number().int().min(1).max(100_000).default(2_000),
    SHAPE_LONG_POLL_SECONDS: z.coerce.number().min(0.05).max(120).default(20),
    SHAPE_SSE_SECONDS: z.coerce.number().min(0.05).max(600).default(60),
    CHANGE_LOG_RETENTION_DAYS: z.coerce.number().min(0).default(30),
    // Twilio (calls and texts). Without an account the webhooks answer 503 and nothing is sent.
    TWILIO_ACCOUNT_SID: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^AC[0-9a-f]{32}$/, 'must be a Twilio Account SID (AC followed by 32 hex digits)')
        .optional(),
    ),
    TWILIO_AUTH_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
    // The public address Twilio calls (https://api.example.com): signatures are over the URL Twilio
    // used, which a proxy or load balancer in front changes. Unset, the request's own URL is used.
    TWILIO_WEBHOOK_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    // Another origin for Twilio's REST API (a local Twilio in tests and benchmarks, or a proxy).
    TWILIO_API_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TWILIO_ACCOUNT_SID) !== Boolean(env.TWILIO_AUTH_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.TWILIO_ACCOUNT_SID ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID'],
        message: 'is required with the other Twilio credential',
      });
    }
    if (env.NODE_ENV === 'production' && env.TWILIO_ACCOUNT_SID && !env.TWILIO_WEBHOOK_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_WEBHOOK_BASE_URL'],
        message: 'is required in production with Twilio (the public address Twilio calls back)',
      });
    }
    if (env.NODE_ENV === 'production' && !env.SECRETS_KEYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRETS_KEYS'],
        message: 'is required in production (integration tokens are encrypted with it)',
      });
    }
  });

export type Config = z.infer<typeof envSchema> & {
  /** Demo data goes into the embedded database by default, never into a real one unless asked. */
  seedDemo: boolean;
};

/** What the HTTP app needs from the configuration (tests build it with `loadConfig({...})`). */
export type ServerSettings = Pick<
  Config,
  | 'NODE_ENV'
  | 'TRUST_PROXY_HOPS'
  | 'ACCESS_TOKEN_TTL_SECONDS'
  | 'SESSION_TTL_DAYS'
  | 'LOGIN_LIMIT_PER_IP'
  | 'LOGIN_LIMIT_PER_EMAIL'
  | 'LOGIN_LIMIT_WINDOW_SECONDS'
  | 'SHAPE_CHUNK_ROWS'
  | 'SHAPE_LONG_POLL_SECONDS'
  | 'SHAPE_SSE_SECONDS'
  | 'CHANGE_LOG_RETENTION_DAYS'
  | 'TWILIO_ACCOUNT_SID'
  | 'TWILIO_AUTH_TOKEN'
  | 'TWILIO_WEBHOOK_BASE_URL'
  | 'TWILIO_API_BASE_URL'
  | 'REDIS_URL'
  | 'CACHE_KEY_PREFIX'
>;

/** Reads and validates the environment once at start-up; a bad variable is named in the error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new AppError('CONFIG_INVALID', `Invalid configuration — ${problems.join('; ')}`);
  }
  const config = parsed.data;
  return { ...config, seedDemo: config.SEED_DEMO ?? config.DATABASE_URL === undefined };
}
