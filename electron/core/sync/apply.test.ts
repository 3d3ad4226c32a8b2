import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { migrateReplica } from '../../../db/replica/migrate.ts';
import { type Database, openReplica } from '../../../db/replica/open.ts';
import { applyShapeBatch, BULK_LOAD_FROM_ROWS, resetShape } from './apply.ts';
import { leadText } from '../../../tests/support/lead-text.ts';
import { readShapeState } from './shape-state.ts';

let dir: string;
let replica: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fl-apply-'));
  replica = openReplica(join(dir, 'replica.sqlite'));
  migrateReplica(replica);
});
afterEach(() => {
  replica.close();
  rmSync(dir, { recursive: true, force: true });
});

const BUSINESS = '0b7f3f7e-1a2b-4c3d-8e9f-001122334455';
const LEAD = '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f';
const OTHER = '7a2d3b2f-9e1c-4d5b-8b68-3c2f4d5e6f70';

/** A whole leads row in Postgres text format, as the server sends it. */
const leadRow = (id: string, overrides: Record<string, string | null> = {}) =>
  leadText(id, BUSINESS, { quoted_amount: '450', ...overrides });

const change = (
  operation: 'insert' | 'update' | 'delete',
  value: Record<string, string | null>,
) => ({ key: `"public"."leads"/"${value.id}"`, headers: { operation }, value });

const position = (offset: string, extra: object = {}) => ({ handle: 'h-1', offset, ...extra });

const lead = (id: string) =>
  replica.prepare('SELECT * FROM leads WHERE id = ?').get(id) as
    Record<string, unknown> | undefined;
const leadCount = () =>
  (replica.prepare('SELECT count(*) AS n FROM leads').get() as { n: number }).n;

describe('applyShapeBatch', () => {
  it('upserts inserts and updates, deletes deletes, stores values in the replica form', () => {
    const applied = applyShapeBatch(
      replica,
      'leads',
      [change('insert', leadRow(LEAD)), change('insert', leadRow(OTHER))],
      position('5_0', { snapshotRows: 2, upToDate: true }),
    );
    expect(applied).toMatchObject({ upserted: 2, deleted: 0 });
    expect(lead(LEAD)).toMatchObject({
      quoted_amount: '450.00',
      created_at: '2026-11-27T17:37:41.123456Z',
      customer_name: null,
    });

    applyShapeBatch(
      replica,
      'leads',
      [
        // An insert of a row the replica has (a resumed snapshot) lands the same.
        change('insert', leadRow(LEAD, { status: 'contacted' })),
        change('update', leadRow(LEAD, { status: 'quoted', quoted_amount: '0.1' })),
        change('delete', { id: OTHER }),
      ],
      position('9_0'),
    );
    expect(lead(LEAD)).toMatchObject({ status: 'quoted', quoted_amount: '0.10' });
    expect(lead(OTHER)).toBeUndefined();
  });

  it('applies an update that carries only some columns to those columns', () => {
    applyShapeBatch(replica, 'leads', [change('insert', leadRow(LEAD))], position('1_0'));
    applyShapeBatch(
      replica,
      'leads',
      [change('update', { id: LEAD, status: 'booked', booked_at: '2026-11-28 09:00:00+00' })],
      position('2_0'),
    );
    expect(lead(LEAD)).toMatchObject({
      status: 'booked',
      booked_at: '2026-11-28T09:00:00.000000Z',
      quoted_amount: '450.00',
      customer_phone: '+15125550101',
    });
  });

  it('saves handle, offset and progress with the rows', () => {
    applyShapeBatch(
      replica,
      'leads',
      [change('insert', leadRow(LEAD))],
      position('3_100', { snapshotRows: 2 }),
    );
    expect(readShapeState(replica, 'leads')).toEqual({
      table: 'leads',
      handle: 'h-1',
      offset: '3_100',
      rowsSynced: 1,
      snapshotRows: 2,
      upToDateAt: null,
    });
    applyShapeBatch(
      replica,
      'leads',
      [change('insert', leadRow(OTHER)), change('delete', { id: LEAD })],
      position('4_0', { upToDate: true }),
    );
    const state = readShapeState(replica, 'leads');
    expect(state).toMatchObject({ offset: '4_0', rowsSynced: 3, snapshotRows: 2 });
    expect(state?.upToDateAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // An empty batch still moves the position (the log moved on elsewhere).
    applyShapeBatch(replica, 'leads', [], { handle: 'h-2', offset: '7_0' });
    expect(readShapeState(replica, 'leads')).toMatchObject({
      handle: 'h-2',
      offset: '7_0',
      rowsSynced: 3,
      upToDateAt: state?.upToDateAt,
    });
    expect(readShapeState(replica, 'call_logs')).toBeUndefined();
  });

  it.each([
    [
      'a value the codec refuses',
      { quoted_amount: '450.005' },
      'VALIDATION_FAILED',
      /quoted_amount/,
    ],
    ['a missing NOT NULL value', { source: null }, 'NOT_NULL_VIOLATION', /leads\.source/],
  ])('rolls back every row and the position on %s', (_case, bad, code, message) => {
    applyShapeBatch(replica, 'leads', [change('insert', leadRow(LEAD))], position('1_0'));
    const before = readShapeState(replica, 'leads');
    let failure: unknown;
    try {
      applyShapeBatch(
        replica,
        'leads',
        [
          change('update', leadRow(LEAD, { status: 'contacted' })),
          change('insert', leadRow(OTHER, bad)),
        ],
        position('2_0'),
      );
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code, message: expect.stringMatching(message) as string });
    expect(lead(LEAD)).toMatchObject({ status: 'new' });
    expect(lead(OTHER)).toBeUndefined();
    expect(readShapeState(replica, 'leads')).toEqual(before);
  });

  it('refuses values that are not Postgres text, and columns the replica does not have', () => {
    expect(() =>
      applyShapeBatch(
        replica,
        'leads',
        [{ key: 'k', headers: { operation: 'insert' }, value: { id: LEAD, quoted_amount: 450 } }],
        position('1_0'),
      ),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() =>
      applyShapeBatch(
        replica,
        'leads',
        [change('insert', { ...leadRow(LEAD), password_hash: 'x' })],
        position('1_0'),
      ),
    ).toThrow(/leads\.password_hash/);
    expect(leadCount()).toBe(0);
    expect(readShapeState(replica, 'leads')).toBeUndefined();
  });

  it('stores a row as Postgres committed it, even where this version would not allow a value; the desktop’s own writes are still checked', () => {
    // A newer server may allow a status this version does not know yet: its rows still arrive.
    applyShapeBatch(
      replica,
      'leads',
      [change('insert', leadRow(LEAD, { status: 'on_hold' }))],
      position('1_0'),
    );
    expect(lead(LEAD)).toMatchObject({ status: 'on_hold' });
    // A large batch (run without the CHECKs from the start) the same.
    const many = Array.from({ length: 150 }, () => randomUUID());
    applyShapeBatch(
      replica,
      'leads',
      many.map((id, n) => change('insert', leadRow(id, n === 77 ? { status: 'on_hold' } : {}))),
      position('2_0'),
    );
    expect(lead(many[77]!)).toMatchObject({ status: 'on_hold' });
    expect(leadCount()).toBe(151);
    expect(() =>
      replica.prepare(`UPDATE leads SET status = 'archived' WHERE id = ?`).run(LEAD),
    ).toThrow(/leads_status_check/);
    expect(lead(LEAD)).toMatchObject({ status: 'on_hold' });
  });

  it('prepares each statement once per connection', () => {
    const prepare = vi.spyOn(replica, 'prepare');
    const batch = (offset: string, ids: string[]) =>
      applyShapeBatch(
        replica,
        'leads',
        ids.map((id) => change('insert', leadRow(id))),
        position(offset),
      );
    batch('1_0', [LEAD]);
    const afterFirst = prepare.mock.calls.length;
    batch('2_0', [OTHER, LEAD]);
    expect(prepare.mock.calls.length).toBe(afterFirst);
  });
});

describe('resetShape', () => {
  it('empties the table and forgets its position, in one go, and nothing else', () => {
    applyShapeBatch(replica, 'leads', [change('insert', leadRow(LEAD))], position('1_0'));
    applyShapeBatch(replica, 'call_logs', [], position('1_0'));
    resetShape(replica, 'leads');
    expect(leadCount()).toBe(0);
    expect(readShapeState(replica, 'leads')).toBeUndefined();
    expect(readShapeState(replica, 'call_logs')).toMatchObject({ offset: '1_0' });
  });
});

describe('bulk loading a large snapshot', () => {
  const indexNames = () =>
    replica
      .prepare<[], { name: string }>(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads' ORDER BY name`,
      )
      .all()
      .map((row) => row.name);
  const usesIndex = (name: string) =>
    JSON.stringify(
      replica.prepare('EXPLAIN QUERY PLAN SELECT id FROM leads WHERE customer_phone = ?').all('+1'),
    ).includes(name);

  it('sets the table’s secondary indexes aside while it loads, and builds them when it is up to date', () => {
    const all = indexNames();
    expect(usesIndex('idx_leads_customer_phone')).toBe(true);
    const snapshot = { snapshotRows: BULK_LOAD_FROM_ROWS };
    applyShapeBatch(
      replica,
      'leads',
      [change('insert', leadRow(LEAD))],
      position('0_a', snapshot),
      { replaces: true },
    );
    expect(indexNames()).toEqual(['sqlite_autoindex_leads_1']);
    applyShapeBatch(replica, 'leads', [change('insert', leadRow(OTHER))], position('0_b'));
    expect(indexNames()).toEqual(['sqlite_autoindex_leads_1']);
    applyShapeBatch(replica, 'leads', [], position('0_inf', { upToDate: true }));
    expect(indexNames()).toEqual(all);
    expect(usesIndex('idx_leads_customer_phone')).toBe(true);
    expect(leadCount()).toBe(2);
  });

  it('keeps the indexes of a small snapshot, or of one whose size the server did not say', () => {
    const all = indexNames();
    for (const snapshotRows of [BULK_LOAD_FROM_ROWS - 1, null]) {
      applyShapeBatch(
        replica,
        'leads',
        [change('insert', leadRow(LEAD))],
        position('0_a', { snapshotRows }),
        { replaces: true },
      );
      expect(indexNames()).toEqual(all);
    }
  });

  it('replaces what the table had, and a failed first batch leaves rows, position and indexes as they were', () => {
    const all = indexNames();
    applyShapeBatch(replica, 'leads', [change('insert', leadRow(LEAD))], position('5_0'));
    const saved = readShapeState(replica, 'leads');
    expect(() =>
      applyShapeBatch(
        replica,
        'leads',
        [change('insert', leadRow(OTHER, { quoted_amount: 'lots' }))],
        position('0_a', { snapshotRows: BULK_LOAD_FROM_ROWS }),
        { replaces: true },
      ),
    ).toThrow(/quoted_amount/);
    expect(lead(LEAD)).toBeDefined();
    expect(readShapeState(replica, 'leads')).toEqual(saved);
    expect(indexNames()).toEqual(all);

    applyShapeBatch(
      replica,
      'leads',
      [change('insert', leadRow(OTHER))],
      position('0_a', { snapshotRows: 1 }),
      { replaces: true },
    );
    expect(lead(LEAD)).toBeUndefined();
    expect(lead(OTHER)).toBeDefined();
    expect(readShapeState(replica, 'leads')).toMatchObject({ offset: '0_a', rowsSynced: 1 });
  });

  it('resetShape builds again the indexes of a snapshot that will not finish', () => {
    const all = indexNames();
    applyShapeBatch(
      replica,
      'leads',
      [change('insert', leadRow(LEAD))],
      position('0_a', { snapshotRows: BULK_LOAD_FROM_ROWS }),
      { replaces: true },
    );
    resetShape(replica, 'leads');
    expect(indexNames()).toEqual(all);
    expect(leadCount()).toBe(0);
  });
});
