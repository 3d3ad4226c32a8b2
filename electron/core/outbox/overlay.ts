import type { SyncedTable } from '../../../db/enums.ts';
import { type MutationName, parseMutationArgs } from '../../../db/mutations/catalogue.ts';
import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import { postgresColumns } from '../../../db/replica/tables.ts';
import { quoteIdent, quoteLiteral } from '../../../db/sql-quote.ts';
import { applyEffect, type Identity, type RowRef } from './effects.ts';

/*
 * The optimistic overlay. A replica row that pending mutations change shows the server's version
 * of it (its base, kept in outbox_base_rows) with those mutations applied on top, in order. When
 * the server's version changes (a shape batch carries the row), the batch is applied to the base
 * and the pending mutations are applied again on top: the person's pending edits stay visible over
 * the newest server data. A mutation leaves the overlay only once its own effect has arrived.
 *
 * Everything here runs inside the caller's transaction.
 */

const key = (ref: RowRef): string => `${ref.table}\u0000${ref.id}`;

/** `make(table)` worked out once per table. */
function perTable<T>(make: (table: SyncedTable) => T): (table: SyncedTable) => T {
  const cache = new Map<SyncedTable, T>();
  return (table) => {
    let value = cache.get(table);
    if (value === undefined) {
      value = make(table);
      cache.set(table, value);
    }
    return value;
  };
}

/** SQL for a JSON object of a row's columns, in the replica's own value forms. */
const rowJsonSql = perTable((table) => {
  const pairs = postgresColumns(table).map(
    (column) => `${quoteLiteral(column.name)}, ${quoteIdent(column.name)}`,
  );
  return `json_object(${pairs.join(', ')})`;
});

/** SQL that inserts a row from its base's JSON. */
const restoreSql = perTable((table) => {
  const columns = postgresColumns(table).map((column) => column.name);
  return `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})
          SELECT ${columns.map((c) => `json_extract(row, ${quoteLiteral(`$."${c}"`)})`).join(', ')}
            FROM outbox_base_rows WHERE table_name = ? AND row_id = ? AND row IS NOT NULL`;
});

/** Records a row's current (server) version as its base, unless it has one already. */
export function captureBase(replica: Database, ref: RowRef): void {
  prepared(
    replica,
    `INSERT INTO outbox_base_rows (table_name, row_id, row)
       VALUES (?, ?, (SELECT ${rowJsonSql(ref.table)} FROM ${quoteIdent(ref.table)} WHERE id = ?))
       ON CONFLICT (table_name, row_id) DO NOTHING`,
  ).run(ref.table, ref.id, ref.id);
}

/** Takes a row's current version as its new base (after a server batch was applied to it). */
function recaptureBase(replica: Database, ref: RowRef): void {
  prepared(
    replica,
    `UPDATE outbox_base_rows
          SET row = (SELECT ${rowJsonSql(ref.table)} FROM ${quoteIdent(ref.table)} WHERE id = ?)
        WHERE table_name = ? AND row_id = ?`,
  ).run(ref.id, ref.table, ref.id);
}

/** Puts a row back to its base: the server's version, without any pending effect. */
function restoreBase(replica: Database, ref: RowRef): void {
  prepared(replica, `DELETE FROM ${quoteIdent(ref.table)} WHERE id = ?`).run(ref.id);
  prepared(replica, restoreSql(ref.table)).run(ref.table, ref.id);
}

/** The ids of a table's rows that have a base (rows under pending mutations). */
export function baseRowIds(replica: Database, table: SyncedTable): Set<string> {
  const rows = prepared(replica, 'SELECT row_id FROM outbox_base_rows WHERE table_name = ?').all(
    table,
  ) as { row_id: string }[];
  return new Set(rows.map((row) => row.row_id));
}

export function hasBaseRows(replica: Database, table: SyncedTable): boolean {
  return (
    prepared(replica, 'SELECT 1 FROM outbox_base_rows WHERE table_name = ? LIMIT 1').get(table) !==
    undefined
  );
}

interface StoredMutation {
  mutation_id: number;
  name: MutationName;
  args: string;
}

/**
 * Applies again, in order, every mutation still in the outbox that changes one of `refs`, on top
 * of their bases (which the caller has put back); a row no mutation changes any more loses its
 * base. Mutations whose effects also reach other rows put those back first, so no effect is
 * applied twice.
 */
export function reapplyPending(replica: Database, identity: Identity, refs: RowRef[]): void {
  const rows = new Map(refs.map((ref) => [key(ref), ref]));
  const mutations = new Map<number, StoredMutation>();
  const pending = (ref: RowRef) =>
    prepared(
      replica,
      `SELECT m.mutation_id, m.name, m.args FROM outbox_rows r
         JOIN outbox_mutations m USING (mutation_id)
        WHERE r.table_name = ? AND r.row_id = ?`,
    ).all(ref.table, ref.id) as StoredMutation[];
  // Closure: rows of the mutations found, and their mutations, until nothing new turns up.
  const queue = [...rows.values()];
  for (let ref = queue.pop(); ref !== undefined; ref = queue.pop()) {
    for (const mutation of pending(ref)) {
      if (mutations.has(mutation.mutation_id)) continue;
      mutations.set(mutation.mutation_id, mutation);
      for (const other of rowsChangedByMutation(replica, mutation.mutation_id)) {
        if (rows.has(key(other))) continue;
        rows.set(key(other), other);
        restoreBase(replica, other);
        queue.push(other);
      }
    }
  }
  const ordered = [...mutations.values()].sort((a, b) => a.mutation_id - b.mutation_id);
  for (const mutation of ordered) {
    const args = parseMutationArgs(mutation.name, JSON.parse(mutation.args));
    // The outbox only holds arguments that were valid when recorded, with this catalogue.
    if (args.success) applyEffect(replica, identity, mutation.name, args.data, 'replay');
  }
  const stillChanged = prepared(
    replica,
    'SELECT 1 FROM outbox_rows WHERE table_name = ? AND row_id = ? LIMIT 1',
  );
  const forget = prepared(
    replica,
    'DELETE FROM outbox_base_rows WHERE table_name = ? AND row_id = ?',
  );
  for (const ref of rows.values()) {
    if (stillChanged.get(ref.table, ref.id) === undefined) forget.run(ref.table, ref.id);
  }
}

/** The rows a mutation of the outbox changes. */
function rowsChangedByMutation(replica: Database, mutationId: number): RowRef[] {
  const rows = prepared(
    replica,
    'SELECT table_name, row_id FROM outbox_rows WHERE mutation_id = ?',
  ).all(mutationId) as { table_name: SyncedTable; row_id: string }[];
  return rows.map((row) => ({ table: row.table_name, id: row.row_id }));
}

/**
 * Takes mutations out of the overlay (their effect has arrived, or the server refused them) and
 * out of the outbox: the rows they changed go back to their base, and what is still pending is
 * applied on top again. `atBase`: rows the caller has already put back to their base.
 */
export function dropFromOverlay(
  replica: Database,
  identity: Identity,
  mutationIds: readonly number[],
  atBase: readonly RowRef[] = [],
): void {
  const refs = new Map(atBase.map((ref) => [key(ref), ref]));
  for (const id of mutationIds) {
    for (const ref of rowsChangedByMutation(replica, id)) {
      if (refs.has(key(ref))) continue;
      refs.set(key(ref), ref);
      restoreBase(replica, ref);
    }
  }
  const remove = prepared(replica, 'DELETE FROM outbox_mutations WHERE mutation_id = ?');
  for (const id of mutationIds) remove.run(id);
  if (refs.size > 0) reapplyPending(replica, identity, [...refs.values()]);
}

/**
 * The overlay's part in applying a shape batch (electron/core/sync/apply.ts), in the batch's
 * transaction: rows under pending mutations go back to their base before the batch, so the server's
 * changes (whole rows, changed columns or deletes) apply to the server's version; after it, the new
 * versions become the bases, mutations whose effect the batch brought leave the overlay, and the
 * rest are applied on top again.
 */
/** Up to this many messages, a batch's rows are looked up in the bases one by one. */
const LOOKUPS_PER_BATCH = 64;

export class ShapeOverlay {
  #touched: RowRef[] = [];

  constructor(
    private readonly replica: Database,
    private readonly identity: Identity,
    /** The mutations whose outcome `table`'s shape has now delivered, at log position `seq`. */
    private readonly arrived: (table: SyncedTable, seq: number | undefined) => number[],
  ) {}

  beforeBatch(table: SyncedTable, messages: readonly unknown[], replaces: boolean): void {
    this.#touched = [];
    if (!hasBaseRows(this.replica, table)) return;
    if (replaces) {
      const based = baseRowIds(this.replica, table);
      // The table is emptied and refilled from the snapshot; every base is taken again after.
      this.#touched = [...based].map((id) => ({ table, id }));
      return;
    }
    // A live batch of a few rows looks each up; a long one reads the (few) bases once.
    const based = messages.length > LOOKUPS_PER_BATCH ? baseRowIds(this.replica, table) : undefined;
    const hasBase = (id: string): boolean =>
      based
        ? based.has(id)
        : prepared(
            this.replica,
            'SELECT 1 FROM outbox_base_rows WHERE table_name = ? AND row_id = ?',
          ).get(table, id) !== undefined;
    const seen = new Set<string>();
    for (const message of messages) {
      const id = (message as { value?: { id?: unknown } } | null)?.value?.id;
      if (typeof id !== 'string' || seen.has(id) || !hasBase(id)) continue;
      seen.add(id);
      const ref = { table, id };
      restoreBase(this.replica, ref);
      this.#touched.push(ref);
    }
  }

  afterBatch(table: SyncedTable, seq: number | undefined): void {
    const touched = this.#touched;
    this.#touched = [];
    for (const ref of touched) recaptureBase(this.replica, ref);
    // The batch's rows are at their new base: dropping puts back the others, then applies what is
    // still pending to all of them, once.
    dropFromOverlay(this.replica, this.identity, this.arrived(table, seq), touched);
  }
}
