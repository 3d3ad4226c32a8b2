import { describe, expect, it } from 'vitest';
import { syncedTables } from '../../db/enums.ts';
import type { AppError } from '../../db/errors.ts';
import { type AuthResult, meSchema } from '../../sync-server/auth/schemas.ts';
import { signAccessToken } from '../../sync-server/auth/tokens.ts';
import { bothSides, createHarness, postAuth, signUpAt } from './harness.ts';
import { seedEveryTable } from './rows.ts';

/** A fetch that records each answer's status and the token its request carried. */
function watchingFetch(): {
  fetch: typeof fetch;
  answers: { status: number; token: string | null }[];
} {
  const answers: { status: number; token: string | null }[] = [];
  return {
    answers,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const token = new Headers(init?.headers).get('authorization')?.slice('Bearer '.length);
      answers.push({ status: response.status, token: token ?? null });
      return response;
    },
  };
}

describe('access tokens', () => {
  it('refreshes an expired token once for all eight streams, and syncs on', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Token Plumbing');
    await seedEveryTable(harness.pg, account.tenantId);
    const me = meSchema.parse(
      await (
        await fetch(new URL('/v1/me', server.url), {
          headers: { authorization: `Bearer ${account.accessToken}` },
        })
      ).json(),
    );
    // The token the desktop still holds after a night asleep: genuine, but an hour too old.
    const { token: expired } = await signAccessToken(
      harness.keyring,
      {
        memberId: account.member.id,
        tenantId: account.tenantId,
        role: account.member.role,
        sessionId: me.sessionId,
      },
      { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) },
    );

    let current = expired;
    let refreshToken = account.refreshToken;
    const asked = { plain: 0, refresh: 0 };
    const watched = watchingFetch();
    const client = harness.client({
      server,
      replica: harness.openReplica(),
      fetch: watched.fetch,
      getAccessToken: async ({ refresh }) => {
        if (!refresh) {
          asked.plain += 1;
          return current;
        }
        asked.refresh += 1;
        const answer = await postAuth(server.url, 'refresh', { refreshToken });
        if (answer.status !== 200) throw new Error(`refresh answered ${answer.status}`);
        ({ accessToken: current, refreshToken } = answer.body as AuthResult);
        return current;
      },
    });
    client.start();
    await client.upToDate();

    expect(asked.refresh).toBe(1);
    expect(asked.plain).toBeGreaterThanOrEqual(syncedTables.length);
    const refused = watched.answers.filter((answer) => answer.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((answer) => answer.token === expired)).toBe(true);
    expect(watched.answers.filter((a) => a.status === 200).every((a) => a.token === current)).toBe(
      true,
    );
    expect(current).not.toBe(expired);
  });
});

type Harness = Awaited<ReturnType<typeof createHarness>>;

const endings: [
  string,
  (harness: Harness, serverUrl: string, account: AuthResult) => Promise<void>,
][] = [
  [
    'SESSION_REVOKED',
    async (_harness, serverUrl, account) => {
      const answer = await postAuth(serverUrl, 'logout', undefined, account.accessToken);
      expect(answer.status).toBe(204);
    },
  ],
  [
    'BUSINESS_SUSPENDED',
    async (harness, _serverUrl, account) => {
      await harness.pg.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [
        account.business.id,
      ]);
    },
  ],
];

describe('signed out', () => {
  it.each(endings)('stops every table and tells the app once on %s', async (code, endAccess) => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Ended Plumbing');
    await seedEveryTable(harness.pg, account.tenantId);
    const replica = harness.openReplica();
    const client = harness.client({ server, replica, token: account.accessToken });
    client.start();
    await client.upToDate();
    const before = await bothSides(harness.pg, replica, account.tenantId);
    await client.stop();

    await endAccess(harness, server.url, account);
    const failures: AppError[] = [];
    const restarted = harness.client({
      server,
      replica,
      token: account.accessToken,
      onAuthFailure: (error) => failures.push(error),
    });
    restarted.start();
    await expect(restarted.upToDate()).rejects.toMatchObject({ code });

    expect(failures.map((failure) => failure.code)).toEqual([code]);
    const { overall, tables } = restarted.status();
    expect(overall).toMatchObject({ state: 'error', code });
    for (const table of syncedTables) expect(tables[table]).toMatchObject({ state: 'error', code });
    // Nothing was lost: the replica still has everything it had.
    const after = await bothSides(harness.pg, replica, account.tenantId);
    expect(after.replica).toEqual(before.replica);
  });
});
