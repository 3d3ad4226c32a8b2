import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../db/postgres/client.ts';
import { insertValid } from '../../tests/schema/fixtures.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { changeHubOf } from './routes.ts';
import {
  getShape,
  type RunningServer,
  type ShapeResponse,
  signedInBusiness,
  startShapeServer,
  syncToUpToDate,
} from '../../tests/support/shape-harness.ts';

describe.each(backends)('GET /v1/shape on %s', (backend) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });

  async function setup(overrides: Record<string, string> = {}) {
    const database: TestDatabase = await createTestDatabase(backend);
    cleanups.push(() => database.close());
    const server: RunningServer = await startShapeServer(database, overrides);
    cleanups.push(() => server.app.close());
    const a = await signedInBusiness(database.db, server.keyring);
    const b = await signedInBusiness(database.db, server.keyring);
    return { database, db: database.db, server, a, b };
  }

  const ids = (messages: { value?: Record<string, unknown> }[]) =>
    messages.map((message) => message.value?.id).sort();

  it('sends the snapshot in key order across chunks, then up-to-date, with the protocol headers', async () => {
    const { db, server, a, b } = await setup({ SHAPE_CHUNK_ROWS: '3' });
    const mine: string[] = [];
    for (let i = 0; i < 7; i += 1) mine.push(await insertValid(db, 'leads', a));
    await insertValid(db, 'leads', b);

    const first = await getShape(server, a.token, { table: 'leads', offset: '-1' });
    expect(first.status).toBe(200);
    expect(first.handle).toMatch(/^[0-9a-f]{16}-1-[0-9a-f]{12}$/);
    expect(first.headers.get('fieldline-snapshot-rows')).toBe('7');
    expect(first.headers.has('electric-up-to-date')).toBe(false);
    expect(first.messages).toHaveLength(3);
    const schema = JSON.parse(first.headers.get('electric-schema') ?? '{}') as Record<
      string,
      Record<string, unknown>
    >;
    expect(schema.id).toEqual({ type: 'uuid', not_null: true, pk_index: 0 });
    expect(schema.quoted_amount).toEqual({ type: 'numeric', precision: 10, scale: 2 });
    expect(schema.customer_phone).toMatchObject({
      type: 'varchar',
      max_length: 20,
      not_null: true,
    });

    const all = await syncToUpToDate(server, a.token, { table: 'leads' });
    expect(all.requests).toBe(3);
    expect(ids(all.messages)).toEqual([...mine].sort());
    expect(all.messages.map((m) => m.value?.id)).toEqual([...mine].sort());
    expect(new Set(all.messages.map((m) => m.headers.operation))).toEqual(new Set(['insert']));
    expect(all.messages[0]?.key).toBe(`"public"."leads"/"${all.messages[0]?.value?.id as string}"`);
    expect(all.messages[0]?.headers.relation).toEqual(['public', 'leads']);
  });

  it('renders values in Postgres text format: money, timestamps in UTC, arrays, JSON, NULL', async () => {
    const { db, server, a } = await setup();
    await insertValid(db, 'leads', a, {
      quoted_amount: '1234.50',
      contacted_at: '2026-03-08 01:59:59.123456-06',
      customer_name: 'O\'Brien "Plumbing" \\ 🛠',
      lost_reason: null,
    });
    await insertValid(db, 'ai_agent_logs', a, {
      action_data: sql`'{"b": [1, 2.50, null], "a": "é"}'::jsonb`,
    });
    const leads = await syncToUpToDate(server, a.token, { table: 'leads' });
    expect(leads.messages[0]?.value).toMatchObject({
      quoted_amount: '1234.50',
      contacted_at: '2026-03-08 07:59:59.123456+00',
      customer_name: 'O\'Brien "Plumbing" \\ 🛠',
      lost_reason: null,
    });
    const logs = await syncToUpToDate(server, a.token, { table: 'ai_agent_logs' });
    expect(logs.messages[0]?.value?.action_data).toBe('{"a": "é", "b": [1, 2.50, null]}');
    const [row] = await queryRows<{ text: string }>(
      db,
      sql`SELECT service_types::text AS text FROM users WHERE id = ${a.userId}`,
    );
    expect(row?.text).toMatch(/^\{.*\}$/);
  });

  it('continues from an offset with inserts, updates and deletes, each row once as it is now', async () => {
    const { db, server, a } = await setup();
    const kept = await insertValid(db, 'leads', a);
    const removed = await insertValid(db, 'leads', a);
    const start = await syncToUpToDate(server, a.token, { table: 'leads' });

    await db.execute(sql`UPDATE leads SET status = 'contacted' WHERE id = ${kept}`);
    await db.execute(sql`UPDATE leads SET status = 'quoted' WHERE id = ${kept}`);
    await db.execute(sql`DELETE FROM leads WHERE id = ${removed}`);
    const added = await insertValid(db, 'leads', a);

    const next = await getShape(server, a.token, {
      table: 'leads',
      offset: start.offset,
      handle: start.handle,
    });
    expect(next.status).toBe(200);
    expect(next.headers.has('electric-up-to-date')).toBe(true);
    const changes = next.messages.filter((m) => m.key !== undefined);
    expect(changes.map((m) => [m.headers.operation, m.value?.id, m.value?.status])).toEqual([
      ['update', kept, 'quoted'],
      ['delete', removed, undefined],
      ['insert', added, 'new'],
    ]);
    expect(next.messages.at(-1)?.headers).toMatchObject({ control: 'up-to-date' });
    expect(next.offset).not.toBe(start.offset);
  });

  it('never shows another business’s rows, whatever the where clause says', async () => {
    const { db, server, a, b } = await setup();
    const mine = await insertValid(db, 'leads', a);
    await insertValid(db, 'leads', b);
    for (const where of [`user_id = '${b.userId}'`, `user_id <> '${a.userId}' OR true`, 'true']) {
      const response = await syncToUpToDate(server, a.token, { table: 'leads', where });
      expect(response.messages.every((m) => m.value?.id === mine)).toBe(true);
    }
    const viaParams = await syncToUpToDate(server, a.token, {
      table: 'leads',
      where: 'user_id = $1',
      'params[1]': b.userId,
    });
    expect(viaParams.messages).toEqual([]);
  });

  it('narrows with where and params, and sends only the columns asked for', async () => {
    const { db, server, a } = await setup();
    const booked = await insertValid(db, 'leads', a, { status: 'booked' });
    await insertValid(db, 'leads', a, { status: 'new' });
    const response = await syncToUpToDate(server, a.token, {
      table: 'leads',
      where: 'status = $1',
      'params[1]': 'booked',
      columns: 'id,status',
    });
    expect(response.messages.map((m) => m.value)).toEqual([{ id: booked, status: 'booked' }]);
    // The where may name a column the shape does not send.
    const bySource = await syncToUpToDate(server, a.token, {
      table: 'leads',
      where: "source = 'missed_call' AND status = 'booked'",
      columns: 'id',
    });
    expect(bySource.messages.map((m) => m.value)).toEqual([{ id: booked }]);
  });

  it('answers malformed requests with 400 SHAPE_INVALID naming the problem', async () => {
    const { server, a } = await setup();
    const cases: [Record<string, string>, RegExp][] = [
      [{ offset: '-1' }, /table/],
      [{ table: 'users', offset: '-1' }, /"users" is not synced/],
      [{ table: 'subscriptions', offset: '-1' }, /"subscriptions" is not synced/],
      [{ table: 'members', offset: '-1' }, /"members" is not synced/],
      [{ table: 'leads' }, /offset/],
      [{ table: 'leads', offset: 'abc' }, /offset "abc"/],
      [{ table: 'leads', offset: '5_0' }, /handle is required/],
      [{ table: 'leads', offset: '-1', live: 'true' }, /live=true/],
      [
        { table: 'leads', offset: '-1', columns: 'id,password_hash' },
        /"password_hash" is not a column/,
      ],
      [{ table: 'leads', offset: '-1', columns: 'status' }, /primary key "id"/],
      [{ table: 'leads', offset: '-1', where: 'nosuch = 1' }, /nosuch/],
      [{ table: 'leads', offset: '-1', where: "status = 'x'; DROP TABLE leads" }, /./],
      [{ table: 'leads', offset: '-1', where: '(SELECT 1) = 1' }, /./],
      [{ table: 'leads', offset: '-1', where: 'status = $2', 'params[1]': 'x' }, /\$2/],
      [{ table: 'leads', offset: '-1', subset__limit: '1' }, /subset/],
    ];
    for (const [params, message] of cases) {
      const response = await getShape(server, a.token, params);
      expect(response.status, JSON.stringify(params)).toBe(400);
      const body = response.body as { code: string; message: string; requestId: string };
      expect(body.code).toBe('SHAPE_INVALID');
      expect(body.message).toMatch(message);
      expect(body.requestId).toBeTruthy();
    }
  });

  it('accepts query parameters it does not know', async () => {
    const { server, a } = await setup();
    const response = await getShape(server, a.token, {
      table: 'leads',
      offset: '-1',
      cursor: '123',
      replica: 'full',
      log: 'full',
      'cache-buster': 'x',
      something_new: 'y',
    });
    expect(response.status).toBe(200);
  });

  it('refuses requests without a valid token, and a suspended or cancelled business with 403', async () => {
    const { db, server, a } = await setup();
    expect((await getShape(server, undefined, { table: 'leads', offset: '-1' })).status).toBe(401);
    expect((await getShape(server, 'not-a-jwt', { table: 'leads', offset: '-1' })).status).toBe(
      401,
    );
    for (const [status, code] of [
      ['suspended', 'BUSINESS_SUSPENDED'],
      ['cancelled', 'BUSINESS_CANCELLED'],
    ] as const) {
      await db.execute(sql`UPDATE users SET status = ${status} WHERE id = ${a.userId}`);
      const response = await getShape(server, a.token, { table: 'leads', offset: '-1' });
      expect(response.status).toBe(403);
      expect((response.body as { code: string }).code).toBe(code);
      expect(response.messages).toEqual([]);
    }
  });

  it('answers 409 with a new handle when the log was pruned past the offset, the epoch changed, or the shape differs', async () => {
    const { db, server, a } = await setup();
    await insertValid(db, 'leads', a);
    const start = await syncToUpToDate(server, a.token, { table: 'leads' });
    await insertValid(db, 'leads', a);
    await insertValid(db, 'leads', a);

    const otherShape = await getShape(server, a.token, {
      table: 'leads',
      where: "status = 'new'",
      offset: start.offset,
      handle: start.handle,
    });
    expect(otherShape.status).toBe(409);
    expect((otherShape.body as { code: string }).code).toBe('MUST_REFETCH');

    await db.execute(sql`UPDATE change_log SET logged_at = now() - interval '2 days'`);
    await db.execute(sql`SELECT prune_change_log('1 day')`);
    const pruned = await getShape(server, a.token, {
      table: 'leads',
      offset: start.offset,
      handle: start.handle,
    });
    expect(pruned.status).toBe(409);
    expect(pruned.handle).toMatch(/^[0-9a-f]{16}-1-/);
    expect(pruned.handle).not.toBe(start.handle);

    const again = await syncToUpToDate(server, a.token, { table: 'leads' });
    expect(again.messages).toHaveLength(3);
    await db.execute(sql`UPDATE sync_heads SET epoch = epoch + 1 WHERE user_id = ${a.userId}`);
    const bumped = await getShape(server, a.token, {
      table: 'leads',
      offset: again.offset,
      handle: again.handle,
    });
    expect(bumped.status).toBe(409);
    expect(bumped.handle).toMatch(/^[0-9a-f]{16}-2-/);
  });

  it('holds a live request until a change commits, then answers with it', async () => {
    const { db, server, a } = await setup({ SHAPE_LONG_POLL_SECONDS: '30' });
    const start = await syncToUpToDate(server, a.token, { table: 'call_logs' });
    const live = longPoll(server, a.token, 'call_logs', start);
    await waitForWaiting(server, 1);
    const callId = await insertValid(db, 'call_logs', a);
    const response = await live;
    expect(response.status).toBe(200);
    expect(response.headers.get('electric-cursor')).toMatch(/^\d+$/);
    expect(response.messages.map((m) => m.value?.id ?? m.headers.control)).toEqual([
      callId,
      'up-to-date',
    ]);
  });

  it('answers every desktop waiting at the same offset when one change commits (one shared read)', async () => {
    const { db, server, a } = await setup({ SHAPE_LONG_POLL_SECONDS: '30' });
    const start = await syncToUpToDate(server, a.token, { table: 'leads' });
    const waiting = [1, 2, 3].map(() => longPoll(server, a.token, 'leads', start));
    await waitForWaiting(server, 3);
    const before = await liveReads(server);
    const first = await insertValid(db, 'leads', a);
    for (const response of await Promise.all(waiting)) {
      expect(response.messages.map((m) => m.value?.id ?? m.headers.control)).toEqual([
        first,
        'up-to-date',
      ]);
    }
    const after = await liveReads(server);
    expect(after.reads - before.reads).toBe(1);
    expect(after.sharedAnswers - before.sharedAnswers).toBe(2);
    // Woken again right after: a read that began before the second commit is not reused.
    const next = (await waiting[0])!;
    const again = [1, 2].map(() =>
      longPoll(server, a.token, 'leads', { offset: next.offset ?? '', handle: start.handle }),
    );
    await waitForWaiting(server, 2);
    const second = await insertValid(db, 'leads', a);
    for (const response of await Promise.all(again)) {
      expect(response.messages[0]?.value?.id).toBe(second);
    }
  });

  it('answers server-sent-event streams and long-polls at one position with one read, a batch per write', async () => {
    const { db, server, a } = await setup({
      SHAPE_SSE_SECONDS: '30',
      SHAPE_LONG_POLL_SECONDS: '30',
    });
    const start = await syncToUpToDate(server, a.token, { table: 'leads' });
    const controller = new AbortController();
    const streams = await Promise.all(
      [1, 2, 3].map(() => openSse(server, a.token, 'leads', start, controller.signal)),
    );
    const polled = longPoll(server, a.token, 'leads', start);
    await waitForWaiting(server, 4);
    const before = await liveReads(server);
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    await db.transaction(async (tx) => {
      for (const id of ids) await insertValid(tx, 'leads', a, { id });
    });
    const received = await Promise.all(streams.map((response) => readEvents(response, 3)));
    const answered = await polled;
    controller.abort();
    for (const events of received) {
      const messages = events.map((data) => JSON.parse(data) as ShapeResponse['messages'][number]);
      expect(
        messages
          .slice(0, 2)
          .map((m) => m.value?.id)
          .sort(),
      ).toEqual([...ids].sort());
      expect(messages[2]?.headers.control).toBe('up-to-date');
    }
    expect(answered.messages.map((m) => m.value?.id ?? m.headers.control).sort()).toEqual(
      [...ids, 'up-to-date'].sort(),
    );
    const after = await liveReads(server);
    expect(after.reads - before.reads).toBe(1);
    expect(after.sharedAnswers - before.sharedAnswers).toBe(3);
  });

  it('ends an idle long-poll with up-to-date at the same position', async () => {
    const { server, a } = await setup({ SHAPE_LONG_POLL_SECONDS: '0.2' });
    const start = await syncToUpToDate(server, a.token, { table: 'sms_logs' });
    const response = await longPoll(server, a.token, 'sms_logs', start);
    expect(response.status).toBe(200);
    expect(response.offset).toBe(start.offset);
    expect(response.messages).toEqual([
      { headers: { control: 'up-to-date', global_last_seen_lsn: start.offset.split('_')[0] } },
    ]);
  });

  it('streams live changes as server-sent events, each batch closed by up-to-date', async () => {
    const { db, server, a } = await setup({ SHAPE_SSE_SECONDS: '30' });
    const start = await syncToUpToDate(server, a.token, { table: 'leads' });
    const controller = new AbortController();
    const response = await openSse(server, a.token, 'leads', start, controller.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('electric-cursor')).toBeTruthy();
    const leadId = await insertValid(db, 'leads', a);
    const events = await readEvents(response, 2);
    controller.abort();
    const parsed = events.map(
      (data) => JSON.parse(data) as { headers: Record<string, unknown>; value?: { id: string } },
    );
    expect(parsed[0]?.value?.id).toBe(leadId);
    expect(parsed[1]?.headers.control).toBe('up-to-date');
    expect(Number(parsed[1]?.headers.global_last_seen_lsn)).toBeGreaterThan(
      Number(start.offset.split('_')[0]),
    );
  });

  it('answers waiting long-polls with up-to-date when the server shuts down', async () => {
    const { server, a } = await setup({ SHAPE_LONG_POLL_SECONDS: '60' });
    const start = await syncToUpToDate(server, a.token, { table: 'workflows' });
    const live = longPoll(server, a.token, 'workflows', start);
    await waitForWaiting(server, 1);
    const closed = server.app.close();
    const response = await live;
    await closed;
    expect(response.status).toBe(200);
    expect(response.messages.at(-1)?.headers.control).toBe('up-to-date');
  });
});

describe('GET /v1/shape across server instances (postgres)', () => {
  it('wakes a live request on one instance when a change commits through another', async () => {
    const database = await createTestDatabase('postgres');
    const other = await createTestDatabase('postgres');
    try {
      const first = await startShapeServer(database, { SHAPE_LONG_POLL_SECONDS: '30' });
      // A second instance: its own connection pool and LISTEN connection to the same database.
      const secondHandle = await openDatabase({ kind: 'postgres', url: database.url ?? '' });
      const second = await startShapeServer(
        { ...database, handle: secondHandle, db: secondHandle.db },
        { SHAPE_LONG_POLL_SECONDS: '30' },
        first.keyring,
      );
      try {
        const a = await signedInBusiness(database.db, first.keyring);
        const start = await syncToUpToDate(first, a.token, { table: 'financials' });
        const live = longPoll(first, a.token, 'financials', start);
        await waitForWaiting(first, 1);
        const id = await insertValid(secondHandle.db, 'financials', a);
        const response = await live;
        expect(response.messages.map((m) => m.value?.id ?? m.headers.control)).toEqual([
          id,
          'up-to-date',
        ]);
        // And the second instance serves the same position.
        const fromSecond = await getShape(second, a.token, {
          table: 'financials',
          offset: start.offset,
          handle: start.handle,
        });
        expect(fromSecond.messages[0]?.value?.id).toBe(id);
      } finally {
        await second.app.close();
        await first.app.close();
        await secondHandle.close();
      }
    } finally {
      await database.close();
      await other.close();
    }
  });
});

/** A long-poll (`live=true`) on `table` from a position the shape is up to date at. */
const longPoll = (
  server: { url: string },
  token: string,
  table: string,
  at: { offset: string; handle: string },
): Promise<ShapeResponse> =>
  getShape(server, token, { table, offset: at.offset, handle: at.handle, live: 'true' });

/** Opens a live server-sent-events stream on `table` from a position the shape is up to date at. */
async function openSse(
  server: { url: string },
  token: string,
  table: string,
  at: { offset: string; handle: string },
  signal: AbortSignal,
): Promise<Response> {
  const url = new URL('/v1/shape', server.url);
  const query = { table, offset: at.offset, handle: at.handle, live: 'true', live_sse: 'true' };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal,
  });
}

/** The server's count of change-log reads, and of answers that shared another's read. */
async function liveReads(server: RunningServer): Promise<{ reads: number; sharedAnswers: number }> {
  const health = await server.app.inject({ method: 'GET', url: '/health' });
  return health.json<{ live: { reads: number; sharedAnswers: number } }>().live;
}

/** Resolves once the server holds `count` live requests blocked waiting for a change. */
const waitForWaiting = (server: RunningServer, count: number): Promise<void> =>
  changeHubOf(server.app).whenBlocked(count);

/** Reads `count` SSE data lines from a streaming response. */
async function readEvents(response: Response, count: number): Promise<string[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: string[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      for (const line of block.split('\n')) {
        if (line.startsWith('data: ')) events.push(line.slice(6));
      }
      boundary = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}
