import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/postgres/client.ts';
import type { Keyring } from '../../db/secrets.ts';
import {
  bearer,
  buildTestApp,
  loginAs,
  signupBusiness,
  testKeyring,
} from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import type { AuthResult } from './schemas.ts';
import { signAccessToken } from './tokens.ts';

/** The session id an access token names (its payload is plain base64url JSON). */
const sessionOf = (accessToken: string): string =>
  (
    JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as {
      sid: string;
    }
  ).sid;

describe.each(backends)('sessions and access tokens on %s', (backend) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await t?.close();
    t = undefined;
  });

  const start = async (env: Record<string, string> = {}, keyring: Keyring = testKeyring()) => {
    t = await createTestDatabase(backend);
    app = buildTestApp(t, env, keyring);
    return { db: t.db, app };
  };
  const me = (accessToken: string) =>
    (app as FastifyInstance).inject({ method: 'GET', url: '/v1/me', headers: bearer(accessToken) });
  const refresh = (refreshToken: string) =>
    (app as FastifyInstance).inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken },
    });

  it('rotates the refresh token: the new pair works, an unknown token is refused', async () => {
    const { db, app } = await start();
    const first = await signupBusiness(app);
    const rotated = await refresh(first.refreshToken);
    expect(rotated.statusCode).toBe(200);
    const second = rotated.json<AuthResult>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(sessionOf(second.accessToken)).toBe(sessionOf(first.accessToken));
    expect(second.member).toEqual(first.member);
    expect((await me(second.accessToken)).statusCode).toBe(200);
    expect((await refresh(second.refreshToken)).statusCode).toBe(200);

    const unknown = await refresh('not-a-token-we-issued');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    // Only hashes are stored: no issued token appears in the table.
    const stored = await queryRows<{ token_hash: string }>(
      db,
      sql`SELECT token_hash FROM auth_refresh_tokens`,
    );
    expect(stored).toHaveLength(3);
    for (const { token_hash } of stored) {
      expect(token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect([first.refreshToken, second.refreshToken]).not.toContain(token_hash);
    }
  });

  it("revokes a device's session when a rotated refresh token comes back, and only that device's", async () => {
    const { db, app } = await start();
    const laptop = await signupBusiness(app, { deviceId: 'laptop' });
    const office = await loginAs(app, laptop.email, laptop.password, 'office-pc');

    const next = (await refresh(laptop.refreshToken)).json<AuthResult>();
    const reused = await refresh(laptop.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });

    // Whoever holds the newer pair is out too: the thief or the owner, nobody can tell which.
    const afterRevocation = await refresh(next.refreshToken);
    expect(afterRevocation.statusCode).toBe(401);
    expect(afterRevocation.json()).toMatchObject({ code: 'SESSION_REVOKED' });
    for (const accessToken of [next.accessToken, laptop.accessToken]) {
      const response = await me(accessToken);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'SESSION_REVOKED' });
    }
    const [session] = await queryRows<{ revoked_reason: string }>(
      db,
      sql`SELECT revoked_reason FROM auth_sessions WHERE id = ${sessionOf(laptop.accessToken)}`,
    );
    expect(session?.revoked_reason).toBe('refresh_token_reuse');

    // The member's other device carries on.
    expect((await me(office.accessToken)).statusCode).toBe(200);
    expect((await refresh(office.refreshToken)).statusCode).toBe(200);
  });

  it('lets exactly one of two concurrent uses of a refresh token rotate it', async () => {
    const { app } = await start();
    const business = await signupBusiness(app);
    const answers = await Promise.all([
      refresh(business.refreshToken),
      refresh(business.refreshToken),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401]);
    expect(answers.find((a) => a.statusCode === 401)?.json()).toMatchObject({
      code: 'REFRESH_TOKEN_REUSED',
    });
  });

  it('ends the session at logout: its access and refresh tokens stop working', async () => {
    const { db, app } = await start();
    const business = await signupBusiness(app);
    const out = await app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: bearer(business.accessToken),
    });
    expect(out.statusCode).toBe(204);
    expect((await me(business.accessToken)).json()).toMatchObject({ code: 'SESSION_REVOKED' });
    expect((await refresh(business.refreshToken)).json()).toMatchObject({
      code: 'SESSION_REVOKED',
    });
    const [session] = await queryRows<{ revoked_reason: string }>(
      db,
      sql`SELECT revoked_reason FROM auth_sessions`,
    );
    expect(session?.revoked_reason).toBe('logout');
  });

  it('ends the older session when the same device signs in again', async () => {
    const { app } = await start();
    const first = await signupBusiness(app, { deviceId: 'laptop' });
    const again = await loginAs(app, first.email, first.password, 'laptop');
    expect((await me(first.accessToken)).json()).toMatchObject({ code: 'SESSION_REVOKED' });
    expect((await me(again.accessToken)).statusCode).toBe(200);
  });

  it('says what is wrong with a missing or malformed Authorization header', async () => {
    const { app } = await start();
    const business = await signupBusiness(app);
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /Sign in first/],
      [{ authorization: `Basic ${business.accessToken}` }, /must be "Bearer/],
      [{ authorization: 'Bearer' }, /must be "Bearer/],
      [{ authorization: 'Bearer not.a.jwt' }, /not a JWT/],
    ];
    for (const [headers, message] of cases) {
      const response = await app.inject({ method: 'GET', url: '/v1/me', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(response.json<{ message: string }>().message).toMatch(message);
    }
  });

  it('refuses forged, unsigned and expired tokens with 401 and the right code', async () => {
    const keyring = testKeyring('test1');
    const { app } = await start({ ACCESS_TOKEN_TTL_SECONDS: '30' }, keyring);
    const business = await signupBusiness(app);
    expect(Date.parse(business.accessTokenExpiresAt) - Date.now()).toBeLessThanOrEqual(30_000);
    const claims = {
      memberId: business.member.id,
      tenantId: business.business.id,
      role: business.member.role,
      sessionId: sessionOf(business.accessToken),
    };
    // Control: a token we sign ourselves with the app's keyring is accepted.
    const genuine = await signAccessToken(keyring, claims, { ttlSeconds: 30 });
    expect((await me(genuine.token)).statusCode).toBe(200);

    const forged = await signAccessToken(testKeyring('test1'), claims, { ttlSeconds: 30 });
    const [, payload] = genuine.token.split('.');
    const none = `${Buffer.from('{"alg":"none","kid":"test1","typ":"at+jwt"}').toString('base64url')}.${payload}.`;
    const expired = await signAccessToken(keyring, claims, {
      ttlSeconds: 30,
      now: new Date(Date.now() - 600_000),
    });
    const cases: [string, string][] = [
      [forged.token, 'UNAUTHENTICATED'],
      [none, 'UNAUTHENTICATED'],
      [expired.token, 'TOKEN_EXPIRED'],
    ];
    for (const [token, code] of cases) {
      const response = await me(token);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code });
    }
  });

  it('refuses a token whose claims do not match its session', async () => {
    const keyring = testKeyring();
    const { app } = await start({}, keyring);
    const one = await signupBusiness(app);
    const other = await signupBusiness(app);
    // Validly signed, but naming one business's session with another's member.
    const mixed = await signAccessToken(
      keyring,
      {
        memberId: other.member.id,
        tenantId: other.business.id,
        role: 'owner',
        sessionId: sessionOf(one.accessToken),
      },
      { ttlSeconds: 60 },
    );
    const response = await me(mixed.token);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses the tokens of a disabled or deleted member, even before they expire', async () => {
    const { db, app } = await start();
    const one = await signupBusiness(app);
    const two = await signupBusiness(app);
    // Straight in the database: the authenticator itself must look at the member.
    await db.execute(sql`UPDATE members SET status = 'disabled' WHERE id = ${one.member.id}`);
    const disabled = await me(one.accessToken);
    expect(disabled.statusCode).toBe(401);
    expect(disabled.json()).toMatchObject({ code: 'SESSION_REVOKED' });
    expect((await refresh(one.refreshToken)).json()).toMatchObject({ code: 'SESSION_REVOKED' });

    await db.execute(sql`DELETE FROM members WHERE id = ${two.member.id}`);
    const deleted = await me(two.accessToken);
    expect(deleted.statusCode).toBe(401);
    expect(deleted.json()).toMatchObject({ code: 'SESSION_REVOKED' });
    expect((await refresh(two.refreshToken)).json()).toMatchObject({
      code: 'REFRESH_TOKEN_INVALID',
    });
  });
});
