import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/postgres/client.ts';
import {
  bearer,
  buildTestApp,
  postLogin,
  signupBusiness,
  TEST_PASSWORD,
} from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { requireActiveBusiness } from './authenticate.ts';
import type { Principal } from './principal.ts';
import type { AuthResult } from './schemas.ts';

interface Invitation {
  invitationId: string;
  token: string;
  expiresAt: string;
}

describe.each(backends)('members and invitations on %s', (backend) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await t?.close();
    t = undefined;
  });

  const start = async () => {
    t = await createTestDatabase(backend);
    app = buildTestApp(t);
    return { db: t.db, app };
  };
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
    (app as FastifyInstance).inject({
      method,
      url,
      headers: bearer(token),
      ...(payload ? { payload } : {}),
    });
  const invite = (token: string, email: string, role = 'dispatcher') =>
    call('POST', '/v1/members/invitations', token, { email, role });
  const accept = (token: string, name = 'Dana Dispatch') =>
    (app as FastifyInstance).inject({
      method: 'POST',
      url: '/v1/auth/accept-invitation',
      payload: { token, name, password: 'dispatch-password', deviceId: 'front-desk' },
    });

  it('invites a dispatcher who joins the business, once; a non-owner cannot manage members', async () => {
    const { db, app } = await start();
    const owner = await signupBusiness(app);
    const invited = await invite(owner.accessToken, ' Dana@Example.com ');
    expect(invited.statusCode).toBe(201);
    const invitation = invited.json<Invitation>();
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const [stored] = await queryRows<{ email: string; token_hash: string; invited_by: string }>(
      db,
      sql`SELECT email, token_hash, invited_by FROM member_invitations`,
    );
    expect(stored).toMatchObject({ email: 'dana@example.com', invited_by: owner.member.id });
    expect(stored?.token_hash).not.toBe(invitation.token);

    const joined = await accept(invitation.token);
    expect(joined.statusCode).toBe(201);
    const dana = joined.json<AuthResult>();
    expect(dana.member).toMatchObject({ email: 'dana@example.com', role: 'dispatcher' });
    expect(dana.business).toEqual(owner.business);
    expect((await call('GET', '/v1/me', dana.accessToken)).statusCode).toBe(200);

    const again = await accept(invitation.token, 'Someone Else');
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'INVITATION_INVALID' });
    expect((await accept('made-up-token')).json()).toMatchObject({ code: 'INVITATION_INVALID' });

    const list = await call('GET', '/v1/members', dana.accessToken);
    expect(list.statusCode).toBe(200);
    expect(
      list.json<{ members: { email: string; role: string; status: string }[] }>().members,
    ).toEqual([
      expect.objectContaining({ email: owner.email, role: 'owner', status: 'active' }),
      expect.objectContaining({ email: 'dana@example.com', role: 'dispatcher', status: 'active' }),
    ]);

    for (const response of [
      await invite(dana.accessToken, 'tech@example.com', 'technician'),
      await call('DELETE', `/v1/members/${owner.member.id}`, dana.accessToken),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('keeps only the latest invitation of an email, refuses expired ones and emails that have a login', async () => {
    const { db, app } = await start();
    const owner = await signupBusiness(app);
    const first = (
      await invite(owner.accessToken, 'tech@example.com', 'technician')
    ).json<Invitation>();
    const second = (
      await invite(owner.accessToken, 'tech@example.com', 'technician')
    ).json<Invitation>();
    expect((await accept(first.token)).json()).toMatchObject({ code: 'INVITATION_INVALID' });

    await db.execute(
      sql`UPDATE member_invitations SET expires_at = now() - interval '1 minute'
          WHERE id = ${second.invitationId}`,
    );
    expect((await accept(second.token)).json()).toMatchObject({ code: 'INVITATION_INVALID' });

    const taken = await invite(owner.accessToken, owner.email.toUpperCase());
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'EMAIL_TAKEN' });

    // An invitation outstanding when its email signs up elsewhere cannot make a second login.
    const third = (await invite(owner.accessToken, 'later@example.com')).json<Invitation>();
    await signupBusiness(app, { email: 'later@example.com' });
    const clash = await accept(third.token);
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'EMAIL_TAKEN' });
    const [pending] = await queryRows<{ accepted: boolean }>(
      db,
      sql`SELECT accepted_at IS NOT NULL AS accepted FROM member_invitations
          WHERE id = ${third.invitationId}`,
    );
    expect(pending?.accepted).toBe(false);
  });

  it('disables a member: their sessions end and they cannot sign in; an owner cannot disable themself', async () => {
    const { db, app } = await start();
    const owner = await signupBusiness(app);
    const invitation = (await invite(owner.accessToken, 'dana@example.com')).json<Invitation>();
    const dana = (await accept(invitation.token)).json<AuthResult>();

    const disabled = await call(
      'DELETE',
      `/v1/members/${dana.member.id.toUpperCase()}`,
      owner.accessToken,
    );
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ id: dana.member.id, status: 'disabled' });
    const refused = await call('GET', '/v1/me', dana.accessToken);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'SESSION_REVOKED' });
    const [session] = await queryRows<{ revoked_reason: string }>(
      db,
      sql`SELECT revoked_reason FROM auth_sessions WHERE member_id = ${dana.member.id}`,
    );
    expect(session?.revoked_reason).toBe('member_disabled');
    const login = await postLogin(app, {
      email: 'dana@example.com',
      password: 'dispatch-password',
    });
    expect(login.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });

    const self = await call('DELETE', `/v1/members/${owner.member.id}`, owner.accessToken);
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await call('GET', '/v1/me', owner.accessToken)).statusCode).toBe(200);
  });

  it("answers another business's member id exactly like a missing one, and leaves that member alone", async () => {
    const { app } = await start();
    const mine = await signupBusiness(app);
    const theirs = await signupBusiness(app);
    const missingId = randomUUID();
    const foreign = await call('DELETE', `/v1/members/${theirs.member.id}`, mine.accessToken);
    const missing = await call('DELETE', `/v1/members/${missingId}`, mine.accessToken);
    for (const response of [foreign, missing]) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(foreign.json<{ message: string }>().message.replace(theirs.member.id, '<id>')).toBe(
      missing.json<{ message: string }>().message.replace(missingId, '<id>'),
    );
    expect((await call('GET', '/v1/me', theirs.accessToken)).statusCode).toBe(200);
    expect(
      (await postLogin(app, { email: theirs.email, password: TEST_PASSWORD })).statusCode,
    ).toBe(200);

    // Each business lists only its own members (the tenant role's row-level security as well).
    const list = await call('GET', '/v1/members', mine.accessToken);
    expect(list.json<{ members: { id: string }[] }>().members.map((m) => m.id)).toEqual([
      mine.member.id,
    ]);

    const notUuid = await call('DELETE', '/v1/members/42', mine.accessToken);
    expect(notUuid.statusCode).toBe(400);
    expect(notUuid.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('lets a suspended or cancelled business sign in but not manage members', async () => {
    const { db, app } = await start();
    const owner = await signupBusiness(app);
    for (const [status, code] of [
      ['suspended', 'BUSINESS_SUSPENDED'],
      ['cancelled', 'BUSINESS_CANCELLED'],
    ] as const) {
      await db.execute(sql`UPDATE users SET status = ${status}`);
      const me = await call('GET', '/v1/me', owner.accessToken);
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ business: { status } });
      for (const response of [
        await call('GET', '/v1/members', owner.accessToken),
        await invite(owner.accessToken, 'new@example.com'),
      ]) {
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ code });
      }
    }
  });
});

describe('requireActiveBusiness', () => {
  const principal = (businessStatus: Principal['businessStatus']): Principal => ({
    memberId: randomUUID(),
    tenantId: randomUUID(),
    role: 'owner',
    sessionId: randomUUID(),
    businessStatus,
  });

  it('passes an active business and explains a suspended or cancelled one', () => {
    expect(() => requireActiveBusiness(principal('active'))).not.toThrow();
    expect(() => requireActiveBusiness(principal('suspended'))).toThrow(
      expect.objectContaining({
        code: 'BUSINESS_SUSPENDED',
        message: expect.stringMatching(
          /suspended: syncing .* paused until billing is resolved/,
        ) as unknown,
      }),
    );
    expect(() => requireActiveBusiness(principal('cancelled'))).toThrow(
      expect.objectContaining({ code: 'BUSINESS_CANCELLED' }),
    );
  });
});
