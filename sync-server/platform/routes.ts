import { z } from 'zod';
import type { AppDependencies } from '../app.ts';
import { emailSchema } from '../auth/schemas.ts';
import type { Router } from '../http/router.ts';
import { monthlyRecurringRevenue } from './mrr.ts';
import { loginOperator } from './operators.ts';

/** The wire shapes of /v1/platform: they validate requests and document the routes. */
export const operatorLoginBodySchema = z.object({
  email: emailSchema,
  // Any length: a wrong password must get INVALID_CREDENTIALS, not a 400 that tells the rules.
  password: z.string().min(1).max(200),
});

export const operatorSummarySchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
});

export const operatorLoginResultSchema = z.object({
  accessToken: z
    .string()
    .describe('Operator token (JWT, audience fieldline-platform) for `Authorization: Bearer`'),
  expiresAt: z.iso.datetime().describe('15 minutes after sign-in; then sign in again'),
  operator: operatorSummarySchema,
});

export const mrrSchema = z.object({
  asOf: z.iso.datetime().describe('When the numbers were read (the database clock, UTC)'),
  activeSubscriptions: z.number().int().describe('Active subscriptions in every currency'),
  byCurrency: z
    .array(
      z.object({
        currency: z.string().regex(/^[A-Z]{3}$/),
        mrr: z
          .string()
          .regex(/^\d+\.\d{2}$/)
          .describe('Sum of the active subscriptions’ amounts, exact decimal text: "1234.50"'),
        activeSubscriptions: z.number().int(),
      }),
    )
    .describe('One entry per currency (amounts in different currencies do not add), by currency'),
});

const unauthenticated = {
  401: {
    description:
      'No operator token, an expired one (TOKEN_EXPIRED), a member access token, or a disabled ' +
      'operator (UNAUTHENTICATED)',
  },
};

/**
 * /v1/platform: the platform operators' own sign-in and the numbers across every business. Every
 * answer is parsed with its documented schema before it is sent.
 */
export function registerPlatformRoutes(
  router: Router,
  deps: Pick<AppDependencies, 'database' | 'keyring' | 'settings'>,
): void {
  const { db } = deps.database;
  const auth = { keyring: deps.keyring, settings: deps.settings };

  router.route(
    {
      method: 'POST',
      path: '/v1/platform/auth/login',
      summary: 'Sign a platform operator in: a 15-minute operator token',
      tag: 'platform',
      auth: 'none',
      body: operatorLoginBodySchema,
      responses: {
        200: { description: 'Signed in', schema: operatorLoginResultSchema },
        400: { description: 'The body is not valid (VALIDATION_FAILED)' },
        401: {
          description: 'Wrong email or password, or a disabled operator (INVALID_CREDENTIALS)',
        },
        429: {
          description:
            'Too many attempts (RATE_LIMITED), counted with member logins; Retry-After says when',
        },
      },
    },
    async ({ body, request }) =>
      operatorLoginResultSchema.parse(await loginOperator(db, auth, body, { ip: request.ip })),
  );

  router.route(
    {
      method: 'GET',
      path: '/v1/platform/mrr',
      summary: 'Monthly recurring revenue and active subscriptions across every business',
      tag: 'platform',
      auth: 'operator',
      responses: {
        200: { description: 'MRR per currency, as of now', schema: mrrSchema },
        ...unauthenticated,
      },
    },
    async () => mrrSchema.parse(await monthlyRecurringRevenue(db)),
  );
}
