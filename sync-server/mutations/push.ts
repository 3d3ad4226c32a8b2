import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../../db/errors.ts';
import { clampHlc, formatHlc, parseHlc } from '../../db/hlc.ts';
import {
  type MutationName,
  parseMutationArgs,
  pushedMutationSchema,
  type PushedMutation,
} from '../../db/mutations/catalogue.ts';
import { fromDatabaseError } from '../../db/postgres/errors.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import type { Principal } from '../auth/principal.ts';
import { logOffset } from '../shapes/offsets.ts';
import { withTenant } from '../tenancy.ts';
import type { MutationResult, PushResult } from '../../db/wire/mutations.ts';
import { applyTogether, type LockedLeads } from './apply-together.ts';
import {
  type Outcome,
  type Prepared,
  type PreparedMutation,
  preparers,
  touchedRows,
} from './appliers.ts';
import type { MutationContext } from './context.ts';
import { queryNamed } from './prepared.ts';
import { planWaves } from './waves.ts';

/** A clock this far ahead of the server's is pulled back to the server's time (db/hlc.ts). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/**
 * Mutations per transaction: bounds how long one push holds the business's change counter
 * (`sync_heads`, locked by the first write until commit, so other writers of the business wait).
 * Applied in waves, a transaction costs a fixed part (a dozen statements) and a part per mutation;
 * 500 (the outbox's batch) amortises the fixed part and holds the counter about a quarter of a
 * second on the benchmark machine (bench/README.md, "mutations").
 */
export const MUTATIONS_PER_TRANSACTION = 500;

export const pushBodySchema = z
  .strictObject({ mutations: z.array(pushedMutationSchema).min(1).max(1000) })
  .superRefine(({ mutations }, ctx) => {
    const [first] = mutations;
    mutations.forEach((mutation, i) => {
      if (first && mutation.clientId !== first.clientId) {
        ctx.addIssue({
          code: 'custom',
          path: ['mutations', i, 'clientId'],
          message: 'one push carries one client’s mutations',
        });
      }
      if (first && mutation.mutationId !== first.mutationId + i) {
        ctx.addIssue({
          code: 'custom',
          path: ['mutations', i, 'mutationId'],
          message: `mutation ids of a push are consecutive: expected ${first.mutationId + i}`,
        });
      }
    });
  });
export type PushBody = z.infer<typeof pushBodySchema>;

export {
  type MutationResult,
  mutationResultSchema,
  type PushResult,
  pushResultSchema,
} from '../../db/wire/mutations.ts';

/** Refusals that are the mutation's fault: recorded as a rejection, and the queue moves on. */
const rejectionCodes = new Set<ErrorCode>([
  'VALIDATION_FAILED',
  'INVALID_PHONE',
  'NOT_FOUND',
  'PIPELINE_FORBIDS',
  'CHECK_VIOLATION',
  'NOT_NULL_VIOLATION',
  'UNIQUE_VIOLATION',
  'FOREIGN_KEY_VIOLATION',
]);

/**
 * Applies a desktop's pushed mutations in order, exactly once each. A mutation and its client's
 * last applied number are written in the same transaction, so a push that is retried, duplicated
 * or cut short (the answer lost after the commit) applies nothing twice: numbers already applied
 * are answered `duplicate`. A push that starts past the next expected number is refused with
 * MUTATION_GAP, naming the number expected. A mutation the rules refuse is recorded in
 * `mutation_rejections` (synced to the desktop) and those after it go on.
 */
export async function pushMutations(
  db: AppDatabase,
  principal: Principal,
  body: PushBody,
  nowMs: () => number = Date.now,
): Promise<PushResult> {
  const clientId = body.mutations[0]?.clientId ?? '';
  const results: MutationResult[] = [];
  let lastMutationId = 0;
  let headSeq = 0;
  for (let start = 0; start < body.mutations.length; start += MUTATIONS_PER_TRANSACTION) {
    const chunk = body.mutations.slice(start, start + MUTATIONS_PER_TRANSACTION);
    const run = (careful: boolean) =>
      withTenant(db, principal.tenantId, (tx) =>
        applyChunk(tx, principal, clientId, chunk, careful, nowMs),
      );
    let done: ChunkResult;
    try {
      done = await run(false);
    } catch (error) {
      // The database refused a statement (a constraint our checks did not foresee) and the
      // transaction is lost: apply the chunk again, this time each mutation behind a savepoint, so
      // the one the database refuses becomes a rejection and the others still apply.
      if (!(error instanceof Error) || error instanceof AppError) throw error;
      done = await run(true);
    }
    results.push(...done.results);
    lastMutationId = done.last;
    headSeq = done.headSeq;
  }
  return { clientId, lastMutationId, results, visibleAt: logOffset(headSeq) };
}

interface ChunkResult {
  last: number;
  results: MutationResult[];
  /** The business's log head as the chunk commits: every effect of it is at or below. */
  headSeq: number;
}

/** A mutation after the client's last applied number, as far as it got before the database. */
type Planned =
  | { mutation: PushedMutation; refusal: AppError }
  | { mutation: PushedMutation; ready: PreparedMutation; clamped: boolean };

/**
 * One transaction's part of a push: mutations after the client's last applied number, in order.
 * Usually applied in waves (waves.ts), a few statements for many mutations; `careful`, one by one
 * behind savepoints.
 */
async function applyChunk(
  tx: AppDatabase,
  principal: Principal,
  clientId: string,
  chunk: readonly PushedMutation[],
  careful: boolean,
  nowMs: () => number,
): Promise<ChunkResult> {
  const client = await lockClient(tx, principal, clientId);
  const fresh = afterLastApplied(chunk, clientId, client.lastMutationId);
  const planned = fresh.map((mutation) => plan(principal, client.author, mutation, nowMs()));
  const ready = planned.flatMap((p) => ('ready' in p ? [p.ready] : []));
  const outcomes = careful
    ? await applyOneByOne(tx, principal.tenantId, ready)
    : await applyInWaves(tx, principal.tenantId, ready);

  const results = chunk
    .slice(0, chunk.length - fresh.length)
    .map((mutation): MutationResult => ({ mutationId: mutation.mutationId, status: 'duplicate' }));
  const rejections: Rejection[] = [];
  for (const p of planned) {
    const outcome = 'ready' in p ? outcomes.get(p.ready) : p.refusal;
    if (outcome === undefined) throw new AppError('INTERNAL', 'A mutation was not applied.');
    const { mutationId } = p.mutation;
    if (outcome instanceof AppError) {
      // Only a refusal that is the mutation's fault is its answer; anything else fails the push.
      if (!rejectionCodes.has(outcome.code)) throw outcome;
      rejections.push({ mutation: p.mutation, refusal: outcome });
      results.push({ mutationId, status: 'rejected', code: outcome.code, reason: outcome.message });
    } else {
      results.push({
        mutationId,
        status: 'applied',
        ...(outcome.conflicts > 0 ? { conflicts: outcome.conflicts } : {}),
        ...('ready' in p && p.clamped ? { clamped: true } : {}),
      });
    }
  }
  await recordRejections(tx, principal, rejections);
  const last = fresh.at(-1)?.mutationId ?? client.lastMutationId;
  const headSeq = await markApplied(tx, principal, clientId, last);
  return { last, results, headSeq };
}

/**
 * The chunk's mutations not applied yet: numbers up to the client's last are duplicates (the ids of
 * a push are consecutive, so they come first); the first one after must be the next number.
 */
function afterLastApplied(
  chunk: readonly PushedMutation[],
  clientId: string,
  lastMutationId: number,
): readonly PushedMutation[] {
  const fresh = chunk.filter((mutation) => mutation.mutationId > lastMutationId);
  const [first] = fresh;
  if (first && first.mutationId > lastMutationId + 1) {
    throw new AppError(
      'MUTATION_GAP',
      `Mutation ${first.mutationId} of client ${clientId} arrived before ${lastMutationId + 1}: push from ${lastMutationId + 1}.`,
      { details: { expectedMutationId: lastMutationId + 1 } },
    );
  }
  return fresh;
}

/**
 * The client's row, created on its first push and locked until commit: two pushes of one client
 * are applied one after the other. A client id is bound to the business that first used it.
 */
async function lockClient(
  tx: AppDatabase,
  principal: Principal,
  clientId: string,
): Promise<{ lastMutationId: number; author: string }> {
  const known = await selectClient(tx, principal, clientId);
  if (known) return known;
  await queryNamed(
    tx,
    'mutations.insert_client',
    sql`INSERT INTO mutation_clients (client_id, user_id, member_id)
        VALUES (${clientId}, ${principal.tenantId}, ${principal.memberId})
        ON CONFLICT (client_id) DO NOTHING`,
  );
  const created = await selectClient(tx, principal, clientId);
  if (!created) {
    throw new AppError('FORBIDDEN', `Client id ${clientId} belongs to another business.`);
  }
  return created;
}

/**
 * Locks and reads the client's row, and in the same statement (one round trip) tells the triggers
 * that this transaction applies mutations: the mutation path stamps field clocks itself, with each
 * edit's own clock (migration 0006). Nothing is written before a client row is found.
 */
async function selectClient(
  tx: AppDatabase,
  principal: Principal,
  clientId: string,
): Promise<{ lastMutationId: number; author: string } | undefined> {
  const [row] = await queryNamed<{ last_mutation_id: number; author: string | null }>(
    tx,
    'mutations.select_client',
    sql`SELECT set_config('fieldline.applying_mutations', 'on', true) AS applying,
               c.last_mutation_id,
               (SELECT m.name || ' (' || m.role || ')' FROM members m WHERE m.id = ${principal.memberId}) AS author
          FROM mutation_clients c
         WHERE c.client_id = ${clientId} AND c.user_id = ${principal.tenantId}
           FOR UPDATE OF c`,
  );
  return row && { lastMutationId: row.last_mutation_id, author: row.author ?? principal.memberId };
}

/** Checks what can be checked without the database, and prepares the mutation's writes. */
function plan(
  principal: Principal,
  author: string,
  mutation: PushedMutation,
  nowMs: number,
): Planned {
  const { mutationId, name } = mutation;
  const clock = parseHlc(mutation.hlc);
  if (clock.clientId !== mutation.clientId) {
    const refusal = new AppError(
      'VALIDATION_FAILED',
      `The clock ${mutation.hlc} is not client ${mutation.clientId}’s.`,
    );
    return { mutation, refusal };
  }
  const args = parseMutationArgs(name, mutation.args);
  if (!args.success) {
    const refusal = new AppError(
      'VALIDATION_FAILED',
      `${name}: ${z.prettifyError(args.error).replace(/\n/g, '; ')}`,
    );
    return { mutation, refusal };
  }
  const accepted = clampHlc(clock, nowMs, MAX_CLOCK_SKEW_MS);
  const ctx: MutationContext = {
    tenantId: principal.tenantId,
    memberId: principal.memberId,
    author,
    clientId: mutation.clientId,
    mutationId,
    hlc: formatHlc(accepted.clock),
  };
  try {
    return {
      mutation,
      ready: { ctx, prepared: prepareByName(name, ctx, args.data) },
      clamped: accepted.clamped,
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { mutation, refusal: error };
  }
}

function prepareByName(name: MutationName, ctx: MutationContext, args: unknown): Prepared {
  // `args` was parsed with this name's schema just before.
  return (preparers[name] as (ctx: MutationContext, args: unknown) => Prepared)(ctx, args);
}

/**
 * Applies the mutations wave by wave: each wave's mutations touch distinct rows and are applied as a
 * set (apply-together.ts), and a mutation comes in a later wave than every earlier one it shares a row
 * with, so each sees what it would see applied one by one in push order.
 */
async function applyInWaves(
  tx: AppDatabase,
  tenantId: string,
  ready: readonly PreparedMutation[],
): Promise<Map<PreparedMutation, Outcome>> {
  const outcomes = new Map<PreparedMutation, Outcome>();
  const locked: LockedLeads = new Map();
  for (const wave of planWaves(ready, touchedRows)) {
    const done = await applyTogether(tx, tenantId, wave, locked);
    wave.forEach((mutation, i) => outcomes.set(mutation, done[i]!));
  }
  return outcomes;
}

/**
 * After the database refused a statement: each mutation on its own, behind a savepoint, so the one
 * the database refuses becomes a rejection and the others still apply.
 */
async function applyOneByOne(
  tx: AppDatabase,
  tenantId: string,
  ready: readonly PreparedMutation[],
): Promise<Map<PreparedMutation, Outcome>> {
  const outcomes = new Map<PreparedMutation, Outcome>();
  for (const mutation of ready) {
    let outcome: Outcome | undefined;
    try {
      // Nothing is kept from one mutation to the next: a savepoint rolled back releases its locks.
      [outcome] = await tx.transaction((inner) =>
        applyTogether(inner, tenantId, [mutation], new Map()),
      );
    } catch (error) {
      const refusal = fromDatabaseError(error);
      if (!rejectionCodes.has(refusal.code)) throw refusal;
      outcome = refusal;
    }
    if (outcome) outcomes.set(mutation, outcome);
  }
  return outcomes;
}

interface Rejection {
  mutation: PushedMutation;
  refusal: AppError;
}

/** The chunk's rejections, code and reason, in one statement (synced to the desktop). */
async function recordRejections(
  tx: AppDatabase,
  principal: Principal,
  rejections: readonly Rejection[],
): Promise<void> {
  if (rejections.length === 0) return;
  const rows = rejections.map(({ mutation, refusal }) => ({
    client_id: mutation.clientId,
    mutation_id: mutation.mutationId,
    name: mutation.name,
    args: mutation.args ?? null,
    code: refusal.code,
    reason: refusal.message,
  }));
  // jsonb_to_recordset reads a JSON null as SQL NULL; the args of a mutation sent without any are
  // the JSON null, as before.
  await queryNamed(
    tx,
    'mutations.record_rejections',
    sql`
    INSERT INTO mutation_rejections (user_id, client_id, mutation_id, member_id, name, args, code, reason)
    SELECT ${principal.tenantId}, x.client_id, x.mutation_id, ${principal.memberId}, x.name,
           coalesce(x.args, 'null'::jsonb), x.code, x.reason
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
             client_id text, mutation_id int, name text, args jsonb, code text, reason text)`,
  );
}

/**
 * Moves the client's last applied number on, and reads the business's log head (readLogHead's seq)
 * in the same statement. In the chunk's own transaction: its writes hold the business's head until
 * commit, so no later number can belong to them.
 */
async function markApplied(
  tx: AppDatabase,
  principal: Principal,
  clientId: string,
  last: number,
): Promise<number> {
  const [row] = await queryNamed<{ head_seq: string | number }>(
    tx,
    'mutations.mark_applied',
    sql`UPDATE mutation_clients SET last_mutation_id = ${last}, updated_at = now()
         WHERE client_id = ${clientId}
     RETURNING (SELECT coalesce(max(h.seq), 0) FROM sync_heads h
                 WHERE h.user_id = ${principal.tenantId}) AS head_seq`,
  );
  return Number(row?.head_seq ?? 0);
}
