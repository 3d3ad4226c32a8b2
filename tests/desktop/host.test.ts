import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LeadDetail, LeadPage, Session } from '../../db/wire/desktop-views.ts';
import { memoryVault } from '../../electron/core/session-vault.ts';
import { TEST_PASSWORD } from '../support/app.ts';
import { createHarness, signUpAt } from '../sync/harness.ts';
import { startHost } from './host-harness.ts';

const upToDate = (event: { status: { overall: { state: string } } }) =>
  event.status.overall.state === 'up-to-date';

describe('the desktop host (the typed API behind both shells)', () => {
  it('signs in, fills the replica, answers the screens and shows an edit as pending until it lands', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Host Plumbing');
    const desktop = startHost(harness, server.url);

    const signedIn = (await desktop.call('session:signIn', {
      email: account.email,
      password: TEST_PASSWORD,
    })) as Session;
    expect(signedIn).toMatchObject({ signedIn: true, business: { name: 'Host Plumbing' } });
    await desktop.next('sync', upToDate);
    expect(await desktop.vault.load()).toMatchObject({ member: { email: account.email } });

    const id = randomUUID();
    const from = desktop.events.length;
    await desktop.call('writes:record', {
      name: 'lead.create',
      args: { id, customerPhone: '(512) 555-0199', customerName: 'Dana Flood', source: 'referral' },
    });
    const changed = await desktop.next('changed', (e) => e.tables.includes('leads'), from);
    expect(changed.tables).toContain('leads');
    const pending = (await desktop.call('leads:get', { id })) as LeadDetail;
    expect(pending).toMatchObject({ customerName: 'Dana Flood', pending: true });

    await desktop.next('writes', (e) => e.status.pending + e.status.acknowledged === 0, from + 1);
    const landed = (await desktop.call('leads:get', { id })) as LeadDetail;
    expect(landed.pending).toBe(false);
    const [row] = await harness.pg.query<{ customer_name: string }>(
      'SELECT customer_name FROM leads WHERE id = $1',
      [id],
    );
    expect(row?.customer_name).toBe('Dana Flood');
    const list = (await desktop.call('leads:list', {
      filter: { search: 'dana' },
      limit: 10,
    })) as LeadPage;
    expect(list.rows.map((lead) => lead.id)).toEqual([id]);
  });

  it('refuses what the renderer must not send, with a code and a message that names the problem', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Strict Plumbing');
    const desktop = startHost(harness, server.url);

    expect(await desktop.host.invoke('leads:list', [{ limit: 10 }])).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    const unknown = await desktop.host.invoke('fs:readFile', ['/etc/passwd']);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(unknown)).toContain('fs:readFile');

    const wrong = await desktop.host.invoke('session:signIn', [
      { email: account.email, password: 'not the password' },
    ]);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });

    await desktop.call('session:signIn', { email: account.email, password: TEST_PASSWORD });
    const badLimit = await desktop.host.invoke('leads:list', [{ limit: 100_000 }]);
    expect(badLimit).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(badLimit)).toContain('limit');
    const badAction = await desktop.host.invoke('writes:record', [
      { name: 'lead.move', args: { id: randomUUID(), to: 'lost', at: new Date().toISOString() } },
    ]);
    expect(badAction).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(badAction)).toContain('lostReason');
  });

  it('says plainly when the server cannot be reached to sign in', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    await server.app.close();
    const desktop = startHost(harness, server.url);
    const answer = await desktop.host.invoke('session:signIn', [
      { email: 'nobody@example.com', password: 'whatever-it-is' },
    ]);
    expect(answer).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
  });

  it('reopens a kept session offline: the replica answers, edits queue, and they sync once the server is back', async () => {
    const harness = await createHarness();
    const first = await harness.startServer();
    const account = await signUpAt(first.url, 'Offline Plumbing');
    const vault = memoryVault();
    const before = startHost(harness, first.url, { vault });
    await before.call('session:signIn', { email: account.email, password: TEST_PASSWORD });
    await before.next('sync', upToDate);
    const id = randomUUID();
    const recorded = before.events.length;
    await before.call('writes:record', {
      name: 'lead.create',
      args: { id, customerPhone: '+15125550123', customerName: 'Lee Drip', source: 'website' },
    });
    await before.next(
      'writes',
      (e) => e.status.pending + e.status.acknowledged === 0,
      recorded + 1,
    );
    await before.host.close();
    const port = first.port;
    await first.app.close();

    // The laptop opens with the server gone: signed in from the vault, reading its replica.
    const after = startHost(harness, first.url, { vault });
    const session = (await after.call('session:get')) as Session;
    expect(session).toMatchObject({ signedIn: true, member: { email: account.email } });
    await after.next('sync', (e) => e.status.overall.state === 'offline');
    expect(await after.call('leads:get', { id })).toMatchObject({ customerName: 'Lee Drip' });
    await after.call('writes:record', {
      name: 'lead.update',
      args: { id, set: { customerName: 'Lee Drip Jr.' }, base: { customerName: 'Lee Drip' } },
    });
    expect(await after.call('writes:status')).toMatchObject({ pending: 1 });

    // The server comes back on the same address: the kept refresh token gets a new access token.
    const rotated = (await vault.load())?.refreshToken;
    const offline = after.events.length;
    await harness.startServer({ port });
    await after.next('writes', (e) => e.status.pending + e.status.acknowledged === 0, offline);
    const [row] = await harness.pg.query<{ customer_name: string }>(
      'SELECT customer_name FROM leads WHERE id = $1',
      [id],
    );
    expect(row?.customer_name).toBe('Lee Drip Jr.');
    expect((await vault.load())?.refreshToken).not.toBe(rotated);
  });

  it('announces live missed calls, new leads and texts, and keeps the missed-call badge', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Alert Plumbing');
    // History the first sync brings is not news: no notice for it.
    await harness.pg.asBusiness(account.tenantId, (query) =>
      query(
        `INSERT INTO leads (user_id, customer_phone, customer_name, source)
         VALUES ($1, '+15125550100', 'Old Lead', 'referral')`,
        [account.tenantId],
      ),
    );
    const desktop = startHost(harness, server.url);
    await desktop.call('session:signIn', { email: account.email, password: TEST_PASSWORD });
    await desktop.next('sync', upToDate);
    await desktop.next('badge', (e) => e.missedUnseen === 0);

    const from = desktop.events.length;
    const [lead] = await harness.pg.asBusiness(account.tenantId, (query) =>
      query<{ id: string }>(
        `INSERT INTO leads (user_id, customer_phone, customer_name, source)
         VALUES ($1, '+15125550142', 'Sam Leak', 'google_ads') RETURNING id`,
        [account.tenantId],
      ),
    );
    const newLead = await desktop.next('alert', (e) => e.alert.kind === 'new_lead', from);
    expect(newLead.alert).toMatchObject({ leadId: lead?.id, title: 'New lead: Sam Leak' });

    await harness.pg.asBusiness(account.tenantId, (query) =>
      query(
        `INSERT INTO call_logs (user_id, lead_id, caller_phone, called_phone, call_status, call_direction)
         VALUES ($1, $2, '+15125550142', '+15125551234', 'no_answer', 'inbound')`,
        [account.tenantId, lead?.id],
      ),
    );
    const missed = await desktop.next('alert', (e) => e.alert.kind === 'missed_call', from);
    expect(missed.alert).toMatchObject({ leadId: lead?.id, title: 'Missed call from Sam Leak' });
    await desktop.next('badge', (e) => e.missedUnseen === 1, from);

    await harness.pg.asBusiness(account.tenantId, (query) =>
      query(
        `INSERT INTO sms_logs (user_id, lead_id, direction, from_phone, to_phone, message_text, status)
         VALUES ($1, $2, 'inbound', '+15125550142', '+15125551234', 'Can you come today?', 'received')`,
        [account.tenantId, lead?.id],
      ),
    );
    const text = await desktop.next('alert', (e) => e.alert.kind === 'inbound_text', from);
    expect(text.alert).toMatchObject({
      leadId: lead?.id,
      title: 'Text from Sam Leak',
      body: 'Can you come today?',
    });
    // The lead arrived once, as a new lead: the call and the text did not announce it again.
    expect(desktop.events.filter((e) => e.type === 'alert')).toHaveLength(3);

    const seen = desktop.events.length;
    await desktop.call('calls:markSeen');
    await desktop.next('badge', (e) => e.missedUnseen === 0, seen);
  });

  it('starts signed out, not broken, when a kept session cannot be reopened', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Broken Disk Plumbing');
    // Where the replicas folder should be, a file: the replica cannot open.
    mkdirSync(join(harness.folder, 'broken'), { recursive: true });
    writeFileSync(join(harness.folder, 'broken', 'replicas'), 'not a folder');
    const errors: string[] = [];
    const desktop = startHost(harness, server.url, {
      name: 'broken',
      vault: memoryVault({
        serverUrl: server.url,
        refreshToken: account.refreshToken,
        member: account.member,
        business: account.business,
      }),
      log: {
        error: (message) => errors.push(message),
        slow: () => undefined,
        warn: () => undefined,
      },
    });
    expect(await desktop.call('session:get')).toMatchObject({ signedIn: false });
    expect(errors).toEqual(['Reopening the kept session failed']);
    expect(await desktop.host.invoke('leads:list', [{ limit: 5 }])).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('signs out: the vault forgets the session and every business call is refused again', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Gone Plumbing');
    const desktop = startHost(harness, server.url);
    await desktop.call('session:signIn', { email: account.email, password: TEST_PASSWORD });
    await desktop.next('sync', upToDate);
    const out = (await desktop.call('session:signOut')) as Session;
    expect(out.signedIn).toBe(false);
    expect(await desktop.vault.load()).toBeNull();
    expect(await desktop.host.invoke('dashboard:get', [{}])).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});
