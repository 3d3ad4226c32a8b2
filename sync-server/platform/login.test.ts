import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/postgres/client.ts';
import { buildTestApp, postLogin, signupBusiness } from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { createOperator } from './operators.ts';
import { OPERATOR_PASSWORD, postOperatorLogin } from './testing.ts';

const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

describe.each(backends)('platform operator login on %s', (backend) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await t?.close();
    t = undefined;
  });

  const start = async (env: Record<string, string> = {}) => {
    t = await createTestDatabase(backend);
    app = buildTestApp(t, env);
    const operator = await createOperator(t.db, {
      email: ' Ops@Fieldline.TEST ',
      name: 'Olive Operator',
      password: OPERATOR_PASSWORD,
    });
    return { db: t.db, app, operator };
  };

  it('signs an operator in with a 15-minute token and stamps last_login_at', async () => {
    const { db, app, operator } = await start();
    expect(operator).toEqual({
      id: expect.any(String) as unknown,
      email: 'ops@fieldline.test',
      name: 'Olive Operator',
    });
    const [before] = await queryRows<{ hash: string; last_login_at: string | null }>(
      db,
      sql`SELECT password_hash AS hash, last_login_at FROM platform_operators`,
    );
    expect(before?.hash).toMatch(/^\$argon2id\$/);
    expect(before?.last_login_at).toBeNull();

    const response = await postOperatorLogin(app, {
      email: 'OPS@fieldline.test',
      password: OPERATOR_PASSWORD,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ accessToken: string; expiresAt: string }>();
    expect(body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) as unknown,
      expiresAt: expect.any(String) as unknown,
      operator,
    });
    const lifetime = Date.parse(body.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(880_000);
    expect(lifetime).toBeLessThanOrEqual(900_000);
    const [after] = await queryRows<{ stamped: boolean }>(
      db,
      sql`SELECT last_login_at > now() - interval '1 minute' AS stamped FROM platform_operators`,
    );
    expect(after?.stamped).toBe(true);
  });

  it('answers a wrong password, an unknown email and a disabled operator alike (401)', async () => {
    const { db, app, operator } = await start();
    const wrong = await postOperatorLogin(app, {
      email: operator.email,
      password: 'not it at all',
    });
    const unknown = await postOperatorLogin(app, {
      email: 'nobody@fieldline.test',
      password: OPERATOR_PASSWORD,
    });
    await db.execute(sql`UPDATE platform_operators SET status = 'disabled'`);
    const disabled = await postOperatorLogin(app, {
      email: operator.email,
      password: OPERATOR_PASSWORD,
    });
    expect(withoutRequestId(wrong.json())).toEqual({
      code: 'INVALID_CREDENTIALS',
      message: 'The email or password is incorrect.',
    });
    for (const response of [wrong, unknown, disabled]) {
      expect(response.statusCode).toBe(401);
      expect(withoutRequestId(response.json())).toEqual(withoutRequestId(wrong.json()));
    }
    const [row] = await queryRows<{ last_login_at: string | null }>(
      db,
      sql`SELECT last_login_at FROM platform_operators`,
    );
    expect(row?.last_login_at).toBeNull();
  });

  it("does not sign a business's owner in as an operator, nor an operator in as a member", async () => {
    const { app, operator } = await start();
    const business = await signupBusiness(app);
    const owner = await postOperatorLogin(app, {
      email: business.email,
      password: business.password,
    });
    expect(owner.statusCode).toBe(401);
    expect(owner.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const asMember = await postLogin(app, { email: operator.email, password: OPERATOR_PASSWORD });
    expect(asMember.statusCode).toBe(401);
    expect(asMember.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('locks an email out after LOGIN_LIMIT_PER_EMAIL attempts, right password or not (429)', async () => {
    const { app, operator } = await start({ LOGIN_LIMIT_PER_EMAIL: '3' });
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      const guess = await postOperatorLogin(
        app,
        { email: operator.email, password: 'guess-guess' },
        ip,
      );
      expect(guess.statusCode).toBe(401);
    }
    const locked = await postOperatorLogin(
      app,
      { email: operator.email.toUpperCase(), password: OPERATOR_PASSWORD },
      '198.51.100.4',
    );
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
  });

  it("counts an address's member and operator login attempts together (the same keys)", async () => {
    const { app, operator } = await start({ LOGIN_LIMIT_PER_IP: '2' });
    const ip = '203.0.113.50';
    const member = await postLogin(app, { email: 'a@example.com', password: 'guess-guess' }, ip);
    expect(member.statusCode).toBe(401);
    const guess = await postOperatorLogin(app, { email: 'b@example.com', password: 'guess' }, ip);
    expect(guess.statusCode).toBe(401);
    const locked = await postOperatorLogin(
      app,
      { email: operator.email, password: OPERATOR_PASSWORD },
      ip,
    );
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'RATE_LIMITED' });
    const elsewhere = await postOperatorLogin(
      app,
      { email: operator.email, password: OPERATOR_PASSWORD },
      '203.0.113.51',
    );
    expect(elsewhere.statusCode).toBe(200);
  });

  it('refuses a second operator with the same email (any case) and a short password', async () => {
    const { db } = await start();
    await expect(
      createOperator(db, {
        email: 'OPS@fieldline.test',
        name: 'Twin',
        password: OPERATOR_PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    await expect(
      createOperator(db, { email: 'new@fieldline.test', name: 'New', password: 'eleven char' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/password must be at least 12/) as unknown,
    });
    const [count] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM platform_operators`,
    );
    expect(count?.n).toBe(1);
  });
});
