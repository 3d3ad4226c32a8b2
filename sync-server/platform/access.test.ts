import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Keyring } from '../../db/secrets.ts';
import { bearer, buildTestApp, signupBusiness, testKeyring } from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { signOperatorToken } from '../auth/tokens.ts';
import { addTestOperator, operatorToken } from './testing.ts';

interface Operation {
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { content?: unknown }>;
}

describe.each(backends)('who may call the platform routes on %s', (backend) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await t?.close();
    t = undefined;
  });

  const start = async (keyring: Keyring = testKeyring()) => {
    t = await createTestDatabase(backend);
    app = buildTestApp(t, {}, keyring);
    return { db: t.db, app };
  };
  const getMrr = (headers: Record<string, string> = {}) =>
    (app as FastifyInstance).inject({ method: 'GET', url: '/v1/platform/mrr', headers });

  it('lets an operator in, and refuses no token, a member’s token and a malformed header (401)', async () => {
    const { db, app } = await start();
    const operator = await addTestOperator(db);
    const token = await operatorToken(app, operator.email);
    expect((await getMrr(bearer(token))).statusCode).toBe(200);

    const none = await getMrr();
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const basic = await getMrr({ authorization: `Basic ${token}` });
    expect(basic.statusCode).toBe(401);
    expect(basic.json()).toMatchObject({ code: 'UNAUTHENTICATED' });

    const business = await signupBusiness(app);
    const member = await getMrr(bearer(business.accessToken));
    expect(member.statusCode).toBe(401);
    expect(member.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'The operator token is not valid.',
    });
  });

  it('refuses an operator’s token on member routes (401)', async () => {
    const { db, app } = await start();
    const operator = await addTestOperator(db);
    const token = await operatorToken(app, operator.email);
    for (const url of ['/v1/members', '/v1/me', '/v1/shape?table=leads&offset=-1']) {
      const response = await app.inject({ method: 'GET', url, headers: bearer(token) });
      expect(response.statusCode, url).toBe(401);
      expect(response.json(), url).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'The access token is not valid.',
      });
    }
    const push = await app.inject({
      method: 'POST',
      url: '/v1/mutations',
      headers: bearer(token),
      payload: {},
    });
    expect(push.statusCode).toBe(401);
    expect(push.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses an expired operator token (TOKEN_EXPIRED, 401)', async () => {
    const keyring = testKeyring();
    const { db } = await start(keyring);
    const operator = await addTestOperator(db);
    const { token } = await signOperatorToken(
      keyring,
      { operatorId: operator.id },
      { now: new Date(Date.now() - 3_600_000) },
    );
    const expired = await getMrr(bearer(token));
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('refuses a disabled or deleted operator’s still-valid token at once (401)', async () => {
    const { db, app } = await start();
    const operator = await addTestOperator(db);
    const token = await operatorToken(app, operator.email);
    expect((await getMrr(bearer(token))).statusCode).toBe(200);

    await db.execute(sql`UPDATE platform_operators SET status = 'disabled'`);
    const disabled = await getMrr(bearer(token));
    expect(disabled.statusCode).toBe(401);
    expect(disabled.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'This operator account is disabled: its tokens no longer work.',
    });

    await db.execute(sql`DELETE FROM platform_operators`);
    const deleted = await getMrr(bearer(token));
    expect(deleted.statusCode).toBe(401);
    expect(deleted.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('documents both routes, the MRR one under the operator security scheme', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: Record<string, Record<string, unknown>> };
    }>();
    expect(document.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      operatorAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    });
    const login = document.paths['/v1/platform/auth/login']?.post;
    expect(login?.security).toBeUndefined();
    expect(login?.requestBody).toMatchObject({
      content: {
        'application/json': {
          schema: { required: expect.arrayContaining(['email', 'password']) as unknown },
        },
      },
    });
    expect(login?.responses['200']?.content).toBeDefined();
    expect(Object.keys(login?.responses ?? {})).toEqual(['200', '400', '401', '429']);
    const mrr = document.paths['/v1/platform/mrr']?.get;
    expect(mrr?.security).toEqual([{ operatorAuth: [] }]);
    expect(mrr?.responses['200']?.content).toMatchObject({
      'application/json': {
        schema: {
          properties: {
            asOf: { type: 'string' },
            activeSubscriptions: { type: 'integer' },
            byCurrency: { type: 'array' },
          },
        },
      },
    });
    // Member routes keep the member scheme.
    expect(document.paths['/v1/me']?.get?.security).toEqual([{ bearerAuth: [] }]);
  });
});
