import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../db/passwords.ts';
import { queryRows } from '../../db/postgres/client.ts';
import {
  bearer,
  buildTestApp,
  loginAs,
  postLogin,
  signupBusiness,
  TEST_PASSWORD,
} from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { DUMMY_PASSWORD_HASH } from './accounts.ts';

const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

describe.each(backends)('signing up and in on %s', (backend) => {
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
    return { db: t.db, app };
  };

  it('signs a business up, signs its owner in on another device, and tells who is signed in', async () => {
    const { db, app } = await start();
    const business = await signupBusiness(app, {
      businessName: "Pat's Pipes",
      email: '  Pat@Example.COM ',
      primaryPhone: '512.555.1234',
      timezone: 'America/Denver',
      serviceTypes: ['plumbing', 'drain_cleaning'],
    });
    expect(business.member).toMatchObject({ email: 'pat@example.com', role: 'owner' });
    expect(business.business).toMatchObject({ name: "Pat's Pipes", status: 'active' });
    const [stored] = await queryRows<Record<string, unknown>>(
      db,
      sql`SELECT u.email, u.primary_phone, u.timezone, u.service_types, u.password_hash,
                 m.password_hash AS member_hash, m.name, m.user_id = u.id AS same_business
          FROM users u JOIN members m ON m.email = u.email`,
    );
    expect(stored).toMatchObject({
      email: 'pat@example.com',
      primary_phone: '+15125551234',
      timezone: 'America/Denver',
      service_types: ['plumbing', 'drain_cleaning'],
      name: 'Pat Owner',
      same_business: true,
    });
    expect(stored?.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored?.member_hash).toBe(stored?.password_hash);

    const signedIn = await loginAs(app, 'PAT@example.com', TEST_PASSWORD, 'office-pc');
    expect(signedIn.member.id).toBe(business.member.id);
    expect(Date.parse(signedIn.accessTokenExpiresAt) - Date.now()).toBeGreaterThan(800_000);
    const me = await app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: bearer(signedIn.accessToken),
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      member: {
        id: business.member.id,
        email: 'pat@example.com',
        name: 'Pat Owner',
        role: 'owner',
      },
      business: {
        id: business.business.id,
        name: "Pat's Pipes",
        status: 'active',
        primaryPhone: '+15125551234',
      },
      sessionId: expect.any(String) as unknown,
    });
    // Two devices, two live sessions; the login was recorded on the member and the business.
    const [counts] = await queryRows<{ sessions: number; logged_in: boolean }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM auth_sessions WHERE revoked_at IS NULL) AS sessions,
                 (SELECT last_login_at IS NOT NULL FROM members) AND
                 (SELECT last_login_at IS NOT NULL FROM users) AS logged_in`,
    );
    expect(counts).toEqual({ sessions: 2, logged_in: true });
  });

  it('answers a wrong password and an unknown email alike, and refuses a disabled member', async () => {
    const { db, app } = await start();
    const business = await signupBusiness(app);
    const wrong = await postLogin(app, { email: business.email, password: 'not the password' });
    const unknown = await postLogin(app, { email: 'nobody@example.com', password: TEST_PASSWORD });
    for (const response of [wrong, unknown]) expect(response.statusCode).toBe(401);
    expect(withoutRequestId(wrong.json())).toEqual({
      code: 'INVALID_CREDENTIALS',
      message: 'The email or password is incorrect.',
    });
    expect(withoutRequestId(unknown.json())).toEqual(withoutRequestId(wrong.json()));

    await db.execute(sql`UPDATE members SET status = 'disabled'`);
    const disabled = await postLogin(app, { email: business.email, password: TEST_PASSWORD });
    expect(disabled.statusCode).toBe(401);
    expect(withoutRequestId(disabled.json())).toEqual(withoutRequestId(wrong.json()));
    const [sessions] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM auth_sessions`,
    );
    expect(sessions?.n).toBe(1); // only the sign-up's
  });

  it('spends an unknown email on a hash made like a real one (same argon2id parameters)', async () => {
    const parameters = (hash: string) => hash.split('$').slice(1, 4).join('$');
    expect(parameters(DUMMY_PASSWORD_HASH)).toBe(parameters(await hashPassword('x'.repeat(12))));
  });

  it('locks an email out after LOGIN_LIMIT_PER_EMAIL attempts from any address, right password or not', async () => {
    const { app } = await start({ LOGIN_LIMIT_PER_EMAIL: '3', LOGIN_LIMIT_WINDOW_SECONDS: '600' });
    const business = await signupBusiness(app);
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      const guess = await postLogin(app, { email: business.email, password: 'guess-guess' }, ip);
      expect(guess.statusCode).toBe(401);
    }
    const locked = await postLogin(
      app,
      { email: business.email.toUpperCase(), password: TEST_PASSWORD },
      '198.51.100.4',
    );
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Another email is not affected.
    const other = await postLogin(app, { email: 'other@example.com', password: 'guess-guess' });
    expect(other.statusCode).toBe(401);
  });

  it('locks an address out after LOGIN_LIMIT_PER_IP attempts, whatever the emails', async () => {
    const { app } = await start({ LOGIN_LIMIT_PER_IP: '2' });
    const business = await signupBusiness(app);
    const ip = '203.0.113.50';
    for (const email of ['a@example.com', 'b@example.com']) {
      expect((await postLogin(app, { email, password: 'guess-guess' }, ip)).statusCode).toBe(401);
    }
    const locked = await postLogin(app, { email: business.email, password: TEST_PASSWORD }, ip);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The account itself is fine from elsewhere.
    const elsewhere = await postLogin(
      app,
      { email: business.email, password: TEST_PASSWORD },
      '203.0.113.51',
    );
    expect(elsewhere.statusCode).toBe(200);
  });

  it('refuses a taken email (any case), a short password, a bad phone and an unknown zone', async () => {
    const { db, app } = await start({ LOGIN_LIMIT_PER_IP: '5' });
    const business = await signupBusiness(app);
    const signup = (body: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: {
          businessName: 'Another Co',
          ownerName: 'Sam',
          email: 'sam@example.com',
          password: TEST_PASSWORD,
          primaryPhone: '+1 303 555 0142',
          serviceTypes: ['hvac'],
          deviceId: 'd1',
          ...body,
        },
      });
    const taken = await signup({ email: ` ${business.email.toUpperCase()}` });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'EMAIL_TAKEN' });
    const short = await signup({ password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(short.json<{ message: string }>().message).toMatch(/password: must be at least 10/);
    const phone = await signup({ primaryPhone: 'call me' });
    expect(phone.statusCode).toBe(400);
    expect(phone.json()).toMatchObject({ code: 'INVALID_PHONE' });
    const zone = await signup({ timezone: 'Mars/Olympus_Mons' });
    expect(zone.statusCode).toBe(400);
    const [users] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM users`);
    expect(users?.n).toBe(1);
  });

  it('limits sign-ups per address too (each one costs an argon2 hash)', async () => {
    const { app } = await start({ LOGIN_LIMIT_PER_IP: '1' });
    await signupBusiness(app);
    const second = await app.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: {
        businessName: 'Second',
        ownerName: 'Sam',
        email: 'second@example.com',
        password: TEST_PASSWORD,
        primaryPhone: '5125551234',
        serviceTypes: ['plumbing'],
        deviceId: 'd1',
      },
    });
    expect(second.statusCode).toBe(429);
    expect(second.headers['retry-after']).toBeDefined();
  });
});
