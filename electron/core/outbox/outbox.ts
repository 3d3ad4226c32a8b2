import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SyncedTable } from '../../../db/enums.ts';
import { AppError } from '../../../db/errors.ts';
import { formatHlc, type Hlc, parseHlc, receiveHlc, tickHlc } from '../../../db/hlc.ts';
import {
  type MutationArgs,
  type MutationName,
  parseMutationArgs,
  type PushedMutation,
} from '../../../db/mutations/catalogue.ts';
import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import { logSeqOf, type PushResult } from '../../../db/wire/mutations.ts';
import { applyEffect, type Identity, rowsChangedBy } from './effects.ts';
import { captureBase, dropFromOverlay, ShapeOverlay } from './overlay.ts';

/** What recording an action gave it: its number in the outbox and its clock. */
export interface Recorded {
  mutationId: number;
  hlc: string;
}

export interface OutboxCounts {
  /** Recorded here, not yet acknowledged by the server. */
  pending: number;
  /** Acknowledged, their effect not yet arrived through the shapes. */
  acknowledged: number;
}

export interface OutboxOptions {
  replica: Database;
  identity: Identity;
  /** The tables this desktop syncs: an outcome on any other is not waited for. */
  syncedTables: readonly SyncedTable[];
  now?: () => number;
}

interface StoredRow {
  mutation_id: number;
  name: string;
  args: string;
  hlc: string;
}

/**
 * The desktop's outbox (architecture: the write path). Each action is validated against the
 * mutation catalogue, numbered, clocked, and written to `outbox_mutations` in the same SQLite
 * transaction as its optimistic effect: after a crash or power cut (WAL, synchronous = FULL) the
 * replica holds both or neither. The pusher sends what is pending; the server's answer marks each
 * mutation acknowledged, and its overlay stays until its outcome arrives through the shapes.
 */
export class Outbox {
  readonly replica: Database;
  readonly identity: Identity;
  readonly clientId: string;
  readonly overlay: ShapeOverlay;
  readonly #synced: ReadonlySet<SyncedTable>;
  readonly #now: () => number;
  #lastHlc: Hlc | undefined;

  constructor(options: OutboxOptions) {
    this.replica = options.replica;
    this.identity = options.identity;
    this.#synced = new Set(options.syncedTables);
    this.#now = options.now ?? Date.now;
    const client = this.#loadClient();
    this.clientId = client.clientId;
    this.#lastHlc = client.lastHlc === null ? undefined : parseHlc(client.lastHlc);
    this.overlay = new ShapeOverlay(this.replica, this.identity, (table, seq) =>
      this.#arrived(table, seq),
    );
  }

  /**
   * Records an action: validates it, applies its optimistic effect and writes it to the outbox, in
   * one transaction. A refusal (VALIDATION_FAILED, NOT_FOUND, PIPELINE_FORBIDS,
   * RECIPIENT_OPTED_OUT, INVALID_PHONE…) writes nothing.
   */
  record<N extends MutationName>(
    name: N,
    input: unknown,
    options: { after?: string } = {},
  ): Recorded {
    const parsed = parseMutationArgs(name, input);
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', `${name}: ${z.prettifyError(parsed.error)}`);
    }
    const args: MutationArgs<N> = parsed.data;
    const run = this.replica.transaction((): Recorded & { clock: Hlc } => {
      const clock = this.#nextClock(name, args, options.after);
      const hlc = formatHlc(clock);
      const changed = rowsChangedBy(name, args);
      for (const ref of changed) captureBase(this.replica, ref);
      applyEffect(this.replica, this.identity, name, args, 'new');
      const { last_mutation_id: mutationId } = prepared(
        this.replica,
        `UPDATE outbox_client SET last_mutation_id = last_mutation_id + 1, last_hlc = ?
          WHERE id = 1 RETURNING last_mutation_id`,
      ).get(hlc) as { last_mutation_id: number };
      prepared(
        this.replica,
        'INSERT INTO outbox_mutations (mutation_id, name, args, hlc) VALUES (?, ?, ?, ?)',
      ).run(mutationId, name, JSON.stringify(args), hlc);
      const changes = prepared(
        this.replica,
        'INSERT INTO outbox_rows (table_name, row_id, mutation_id) VALUES (?, ?, ?)',
      );
      for (const ref of changed) changes.run(ref.table, ref.id, mutationId);
      return { mutationId, hlc, clock };
    });
    // Taken only once committed: a refused action gives out no clock.
    const { mutationId, hlc, clock } = run.immediate();
    this.#lastHlc = clock;
    return { mutationId, hlc };
  }

  /**
   * The next pending mutations in order, as pushed: at most `limit`, about `maxBytes`, numbered
   * after `after` (those up to it are answered, their answer not yet taken in).
   */
  nextBatch(limit: number, maxBytes: number, after = 0): PushedMutation[] {
    const rows = prepared(
      this.replica,
      `SELECT mutation_id, name, args, hlc FROM outbox_mutations
        WHERE status = 'pending' AND mutation_id > ? ORDER BY mutation_id LIMIT ?`,
    ).all(after, limit);
    const batch: PushedMutation[] = [];
    let bytes = 0;
    // The rows' form is the table's own (types and CHECKs of migration 0004), and each mutation's
    // arguments were validated against the catalogue when recorded; the server validates again.
    for (const row of rows as StoredRow[]) {
      bytes += row.args.length + row.hlc.length + 100;
      if (batch.length > 0 && bytes > maxBytes) break;
      batch.push({
        clientId: this.clientId,
        mutationId: row.mutation_id,
        name: row.name as MutationName,
        args: JSON.parse(row.args) as unknown,
        hlc: row.hlc,
      });
    }
    return batch;
  }

  /**
   * Takes the server's answer in: each mutation is marked with its outcome and the table whose shape
   * will bring it; those whose outcome the replica already has leave the overlay at once. Returns
   * the tables still awaited.
   */
  acknowledge(result: PushResult): SyncedTable[] {
    if (result.clientId !== this.clientId) {
      throw new AppError('VALIDATION_FAILED', `The answer is for client ${result.clientId}.`);
    }
    const seq = logSeqOf(result.visibleAt);
    if (seq === undefined) {
      throw new AppError('VALIDATION_FAILED', `visibleAt ${result.visibleAt} is no log position.`);
    }
    return this.replica.transaction((): SyncedTable[] => {
      const mark = prepared(
        this.replica,
        `UPDATE outbox_mutations
            SET status = ?, wait_table = ?, visible_seq = ?,
                acknowledged_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'
          WHERE mutation_id = ? AND status = 'pending'
         RETURNING mutation_id`,
      );
      const tableOf = prepared(
        this.replica,
        'SELECT table_name FROM outbox_rows WHERE mutation_id = ? LIMIT 1',
      );
      const ready: number[] = [];
      const awaited = new Set<SyncedTable>();
      for (const outcome of result.results) {
        const changed = tableOf.get(outcome.mutationId) as { table_name: SyncedTable } | undefined;
        const wait: SyncedTable | undefined =
          outcome.status === 'rejected' ? 'mutation_rejections' : changed?.table_name;
        const marked = mark.get(outcome.status, wait ?? null, seq, outcome.mutationId);
        if (marked === undefined) continue; // already acknowledged by an earlier answer
        if (wait === undefined || !this.#synced.has(wait) || this.#reached(wait, seq)) {
          ready.push(outcome.mutationId);
        } else {
          awaited.add(wait);
        }
      }
      dropFromOverlay(this.replica, this.identity, ready);
      return [...awaited];
    })();
  }

  /**
   * The server expects `expected` next (MUTATION_GAP): it does not have the mutations from there
   * on, acknowledged or not. They become pending again, numbered from `expected` in their order.
   */
  renumberFrom(expected: number): void {
    this.replica.transaction(() => {
      const ids = (
        prepared(
          this.replica,
          'SELECT mutation_id FROM outbox_mutations WHERE mutation_id >= ? ORDER BY mutation_id',
        ).all(expected) as { mutation_id: number }[]
      ).map((row) => row.mutation_id);
      const SHIFT = 1_000_000_000;
      prepared(
        this.replica,
        `UPDATE outbox_mutations
            SET mutation_id = mutation_id + ${SHIFT}, status = 'pending', wait_table = NULL,
                visible_seq = NULL, acknowledged_at = NULL
          WHERE mutation_id >= ?`,
      ).run(expected);
      const move = prepared(
        this.replica,
        'UPDATE outbox_mutations SET mutation_id = ? WHERE mutation_id = ?',
      );
      ids.forEach((id, i) => move.run(expected + i, id + SHIFT));
      prepared(this.replica, 'UPDATE outbox_client SET last_mutation_id = ? WHERE id = 1').run(
        expected + ids.length - 1,
      );
    })();
  }

  counts(): OutboxCounts {
    const row = prepared(
      this.replica,
      `SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
              count(*) FILTER (WHERE status <> 'pending') AS acknowledged
         FROM outbox_mutations`,
    ).get() as { pending: number; acknowledged: number };
    return { pending: row.pending, acknowledged: row.acknowledged };
  }

  /** Tables whose shapes still owe the outcome of acknowledged mutations. */
  awaitedTables(): SyncedTable[] {
    const rows = prepared(
      this.replica,
      `SELECT DISTINCT wait_table FROM outbox_mutations
        WHERE status <> 'pending' AND wait_table IS NOT NULL`,
    ).all() as { wait_table: SyncedTable }[];
    return rows.map((row) => row.wait_table);
  }

  /**
   * The clock of a new action: later than every clock this desktop gave out, than `after` (the
   * clock of an edit the person has seen, for an edit made again), and than the server's last
   * write of the lead it changes — an edit made after seeing someone else's is ordered after it,
   * even when this laptop's wall clock runs behind.
   */
  #nextClock<N extends MutationName>(name: N, args: MutationArgs<N>, after?: string): Hlc {
    let wall = this.#now();
    if (name === 'lead.update' || name === 'lead.move') {
      const row = prepared(this.replica, 'SELECT updated_at FROM leads WHERE id = ?').get(
        (args as { id: string }).id,
      ) as { updated_at: string } | undefined;
      const written = row === undefined ? Number.NaN : Date.parse(row.updated_at);
      if (Number.isFinite(written)) wall = Math.max(wall, written + 1);
    }
    if (after === undefined) return tickHlc(this.#lastHlc, wall, this.clientId);
    return receiveHlc(this.#lastHlc, parseHlc(after), wall, this.clientId);
  }

  /** Acknowledged mutations whose outcome `table`'s shape has delivered (it is at `seq`). */
  #arrived(table: SyncedTable, seq: number | undefined): number[] {
    if (seq === undefined) return [];
    const rows = prepared(
      this.replica,
      `SELECT mutation_id FROM outbox_mutations
        WHERE wait_table = ? AND visible_seq <= ? AND status <> 'pending'`,
    ).all(table, seq) as { mutation_id: number }[];
    return rows.map((row) => row.mutation_id);
  }

  #reached(table: SyncedTable, seq: number): boolean {
    const row = prepared(this.replica, 'SELECT "offset" FROM sync_shapes WHERE table_name = ?').get(
      table,
    ) as { offset: string } | undefined;
    const at = row === undefined ? undefined : logSeqOf(row.offset);
    return at !== undefined && at >= seq;
  }

  #loadClient(): { clientId: string; lastHlc: string | null } {
    prepared(
      this.replica,
      'INSERT INTO outbox_client (id, client_id) VALUES (1, ?) ON CONFLICT (id) DO NOTHING',
    ).run(randomUUID());
    return z
      .object({ client_id: z.string(), last_hlc: z.string().nullable() })
      .transform((row) => ({ clientId: row.client_id, lastHlc: row.last_hlc }))
      .parse(prepared(this.replica, 'SELECT client_id, last_hlc FROM outbox_client').get());
  }
}
