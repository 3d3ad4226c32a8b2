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
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import type { Principal } from '../auth/principal.ts';
import { logOffset } from '../shapes/offsets.ts';
import { readLogHead } from '../shapes/read.ts';
import { withTenant } from '../tenancy.ts';
import { appliers } from './appliers.ts';
import type { MutationContext } from './context.ts';

/** A clock this far ahead of the server's is pulled back to the server's time (db/hlc.ts). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Mutations per transaction: bounds how long one push holds the business's change counter. */
export const MUTATIONS_PER_TRANSACTION = 50;

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

export const mutationResultSchema = z.object({
  mutationId: z.number().int(),
  status: z.enum(['applied', 'rejected', 'duplicate']),
  code: z.string().optional(),
  reason: z.string().optional(),
  conflicts: z.number().int().optional(),
  clamped: z.boolean().optional(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResultSchema = z.object({
  clientId: z.string(),
  /** Every mutation up to this number is durable on the server (applied or rejected). */
  lastMutationId: z.number().int(),
  results: z.array(mutationResultSchema),
  /** The shape offset from which the effects of every acknowledged mutation are visible. */
  visibleAt: z.string(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

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

/** One transaction's part of a push: mutations after the client's last applied number, in order. */
async function applyChunk(
  tx: AppDatabase,
  principal: Principal,
  clientId: string,
  chunk: readonly PushedMutation[],
  careful: boolean,
  nowMs: () => number,
): Promise<ChunkResult> {
  // The mutation path stamps field clocks itself, with each edit's own clock (migration 0006).
  await tx.execute(sql`SELECT set_config('fieldline.applying_mutations', 'on', true)`);
  const client = await lockClient(tx, principal, clientId);
  const results: MutationResult[] = [];
  let last = client.lastMutationId;
  for (const mutation of chunk) {
    if (mutation.mutationId <= last) {
      results.push({ mutationId: mutation.mutationId, status: 'duplicate' });
      continue;
    }
    if (mutation.mutationId > last + 1) {
      throw new AppError(
        'MUTATION_GAP',
        `Mutation ${mutation.mutationId} of client ${clientId} arrived before ${last + 1}: push from ${last + 1}.`,
        { details: { expectedMutationId: last + 1 } },
      );
    }
    results.push(await applyOne(tx, principal, client.author, mutation, nowMs(), careful));
    last = mutation.mutationId;
  }
  await tx.execute(sql`UPDATE mutation_clients SET last_mutation_id = ${last}, updated_at = now()
                        WHERE client_id = ${clientId}`);
  // Read in the chunk's own transaction: its writes hold the business's head until commit, so no
  // later number can belong to them.
  const head = await readLogHead(tx, principal.tenantId);
  return { last, results, headSeq: head.seq };
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
  await tx.execute(sql`INSERT INTO mutation_clients (client_id, user_id, member_id)
                       VALUES (${clientId}, ${principal.tenantId}, ${principal.memberId})
                       ON CONFLICT (client_id) DO NOTHING`);
  const [row] = await queryRows<{ last_mutation_id: number; author: string | null }>(
    tx,
    sql`SELECT c.last_mutation_id,
               (SELECT m.name || ' (' || m.role || ')' FROM members m WHERE m.id = ${principal.memberId}) AS author
          FROM mutation_clients c
         WHERE c.client_id = ${clientId} AND c.user_id = ${principal.tenantId}
           FOR UPDATE OF c`,
  );
  if (!row) {
    throw new AppError('FORBIDDEN', `Client id ${clientId} belongs to another business.`);
  }
  return { lastMutationId: row.last_mutation_id, author: row.author ?? principal.memberId };
}

async function applyOne(
  tx: AppDatabase,
  principal: Principal,
  author: string,
  mutation: PushedMutation,
  nowMs: number,
  careful: boolean,
): Promise<MutationResult> {
  const { mutationId, name } = mutation;
  const reject = async (error: AppError): Promise<MutationResult> => {
    await tx.execute(sql`
      INSERT INTO mutation_rejections (user_id, client_id, mutation_id, member_id, name, args, code, reason)
      VALUES (${principal.tenantId}, ${mutation.clientId}, ${mutationId}, ${principal.memberId},
              ${name}, ${JSON.stringify(mutation.args ?? null)}::jsonb, ${error.code}, ${error.message})`);
    return { mutationId, status: 'rejected', code: error.code, reason: error.message };
  };
  const clock = parseHlc(mutation.hlc);
  if (clock.clientId !== mutation.clientId) {
    return reject(
      new AppError(
        'VALIDATION_FAILED',
        `The clock ${mutation.hlc} is not client ${mutation.clientId}’s.`,
      ),
    );
  }
  const args = parseMutationArgs(name, mutation.args);
  if (!args.success) {
    return reject(
      new AppError(
        'VALIDATION_FAILED',
        `${name}: ${z.prettifyError(args.error).replace(/\n/g, '; ')}`,
      ),
    );
  }
  const accepted = clampHlc(clock, nowMs, MAX_CLOCK_SKEW_MS);
  const ctx: MutationContext = {
    tx,
    tenantId: principal.tenantId,
    memberId: principal.memberId,
    author,
    clientId: mutation.clientId,
    mutationId,
    hlc: formatHlc(accepted.clock),
  };
  try {
    // Appliers refuse before they write (appliers.ts), so a refusal needs no savepoint. Only when
    // the database itself refused something is each mutation put behind one (see pushMutations).
    const applied = careful
      ? await tx.transaction((inner) => applyByName(name, { ...ctx, tx: inner }, args.data))
      : await applyByName(name, ctx, args.data);
    return {
      mutationId,
      status: 'applied',
      ...(applied.conflicts > 0 ? { conflicts: applied.conflicts } : {}),
      ...(accepted.clamped ? { clamped: true } : {}),
    };
  } catch (error) {
    // Outside a savepoint, only a refusal of our own leaves the transaction usable.
    if (!careful && !(error instanceof AppError)) throw error;
    const refusal = fromDatabaseError(error);
    if (!rejectionCodes.has(refusal.code)) throw refusal;
    return reject(refusal);
  }
}

function applyByName(name: MutationName, ctx: MutationContext, args: unknown) {
  // `args` was parsed with this name's schema just before.
  return (
    appliers[name] as (ctx: MutationContext, args: unknown) => Promise<{ conflicts: number }>
  )(ctx, args);
}
