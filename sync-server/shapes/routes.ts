import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { syncedTables } from '../../db/enums.ts';
import { SNAPSHOT_ROWS_HEADER } from '../../db/wire/shape.ts';
import { AppError } from '../../db/errors.ts';
import type { AppDependencies } from '../app.ts';
import { requireActiveBusiness } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import type { Authenticate, Router } from '../http/router.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { withTenant } from '../tenancy.ts';
import {
  electricSchema,
  loadTableCatalog,
  type ShapeColumn,
  type TableCatalog,
} from './catalog.ts';
import type { ChangeHub } from './change-hub.ts';
import {
  type HandleParts,
  handleMatches,
  type ShapePosition,
  logOffset,
  mintHandle,
  shapeDefinitionHash,
  snapshotOffset,
} from './offsets.ts';
import {
  type Batch,
  countShapeRows,
  type LogHead,
  MESSAGE_SEPARATOR,
  readChanges,
  readLogHead,
  readSnapshotChunk,
  type ShapeScope,
} from './read.ts';
import { parseShapeRequest, type ShapeRequest } from './request.ts';
import { SharedReads } from './shared-reads.ts';
import { compileWhere, type WhereColumn } from './where.ts';

type ShapeDependencies = AppDependencies & { hub: ChangeHub; authenticate: Authenticate };

/** One read of a shape's change log: the log's head and the changes after a position. */
interface LogRead {
  head: LogHead;
  changes: Batch & { lastSeq: number | undefined };
}

const hubs = new WeakMap<FastifyInstance, ChangeHub>();
const sharedReadsOf = new WeakMap<FastifyInstance, SharedReads<LogRead>>();

/** The change hub serving an app's live requests (tests and benchmarks wait on it). */
export function changeHubOf(app: FastifyInstance): ChangeHub {
  const hub = hubs.get(app);
  if (!hub) throw new Error('this app has no shape routes');
  return hub;
}

/** Log reads run and joined by an app's live requests (the health route reports them). */
export function liveReadCounts(app: FastifyInstance): { started: number; joined: number } {
  return sharedReadsOf.get(app)?.counts ?? { started: 0, joined: 0 };
}

/** A reply of the shape endpoint before it is written: messages plus the protocol headers. */
interface ShapeReply {
  /** Change messages as JSON joined by MESSAGE_SEPARATOR (see read.ts). */
  body: string;
  count: number;
  offset: string;
  upToDate: boolean;
  headSeq: number;
  extraHeaders?: Record<string, string>;
}

/**
 * GET /v1/shape — the Electric HTTP shape protocol for the synced tables of the caller's business,
 * as the official `@electric-sql/client` speaks it. Stateless between requests: the offset says
 * where the client is, the handle which shape it holds; the change log (migration 0004) says what
 * changed since.
 */
export function registerShapeRoutes(
  app: FastifyInstance,
  router: Router,
  deps: ShapeDependencies,
): void {
  hubs.set(app, deps.hub);
  const reads = new SharedReads<LogRead>(() => deps.hub.notifications);
  sharedReadsOf.set(app, reads);
  let catalog: Promise<TableCatalog> | undefined;
  const tables = () => (catalog ??= loadTableCatalog(deps.database.db));

  app.get('/v1/shape', async (request, reply) => {
    const principal = await deps.authenticate(request);
    requireActiveBusiness(principal);
    const catalogNow = await tables();
    const shape = parseShapeRequest(request.query, catalogNow);
    const scope = shapeScope(principal, shape, catalogNow.get(shape.table)?.values() ?? []);
    const definition = shapeDefinitionHash({
      tenant: principal.tenantId,
      table: shape.table,
      where: shape.where ?? null,
      params: [...shape.params].sort(([a], [b]) => a - b),
      columns: shape.columns.map((column) => column.name),
    });
    const schemaHeader = electricSchema(shape.columns);

    const readLog = logReader(deps, scope, definition, reads);
    if (shape.sse && shape.position.kind === 'log') {
      return streamLive(deps, request, reply, shape, scope, readLog, definition, schemaHeader);
    }
    const { handle, answer } = await respond(deps, reply, shape, scope, definition, readLog);
    return sendShapeReply(reply, handle, schemaHeader, answer, shape.live, deps);
  });

  router.document({
    method: 'GET',
    path: '/v1/shape',
    summary:
      'Electric HTTP shape protocol (snapshot, catch-up, live long-poll and SSE) for one synced table of the caller’s business',
    tag: 'sync',
    auth: 'member',
    query: z.object({
      table: z.enum(syncedTables),
      offset: z.string().describe('-1 for a new shape, now, or the electric-offset last received'),
      handle: z.string().optional().describe('The electric-handle last received'),
      live: z.enum(['true', 'false']).optional(),
      live_sse: z.enum(['true', 'false']).optional(),
      cursor: z.string().optional(),
      where: z.string().optional().describe('Narrows the shape: a SQL boolean expression'),
      columns: z.string().optional().describe('Comma-separated columns; must include id'),
    }),
    responses: {
      200: { description: 'A JSON array of change and control messages' },
      400: { description: 'Malformed shape request (SHAPE_INVALID)' },
      401: { description: 'Missing, forged, expired or revoked token' },
      403: { description: 'The business is suspended or cancelled' },
      409: {
        description: 'MUST_REFETCH: the shape must be fetched again from -1 with a new handle',
      },
    },
  });
}

/** `where` may name any column of the table, not only those the shape sends. */
function shapeScope(
  principal: Principal,
  shape: ShapeRequest,
  tableColumns: Iterable<ShapeColumn>,
): ShapeScope {
  const whereColumns = new Map<string, WhereColumn>();
  for (const column of tableColumns) {
    whereColumns.set(column.name, {
      name: column.name,
      type: column.dims ? `_${column.type}` : column.type,
    });
  }
  return {
    tenantId: principal.tenantId,
    table: shape.table,
    columns: shape.columns,
    where:
      shape.where === undefined
        ? undefined
        : compileWhere(shape.where, shape.params, whereColumns, 't'),
  };
}

/** The 409 of the protocol: the client drops what it has and starts again from -1. */
function mustRefetch(parts: HandleParts, why: string): AppError {
  return new AppError('MUST_REFETCH', `The shape must be fetched again: ${why}`, {
    details: { handle: mintHandle(parts) },
  });
}

/** Refuses a position the log can no longer serve: pruned past it, or from another epoch. */
function checkPosition(shape: ShapeRequest, head: LogHead, parts: HandleParts): void {
  const position = shape.position;
  if (position.kind === 'initial' || position.kind === 'now') return;
  if (shape.handle === undefined || !handleMatches(shape.handle, parts)) {
    throw mustRefetch(parts, 'the handle does not belong to this shape (or its epoch ended)');
  }
  const seq = position.kind === 'log' ? position.seq : position.startSeq;
  if (seq > head.seq) throw mustRefetch(parts, 'the offset is ahead of the server’s log');
  // A snapshot under way continues from the log at its start: that part must still be there too.
  if (seq < head.prunedThrough) {
    throw mustRefetch(parts, 'the change log was pruned past this offset');
  }
}

/** Reads the log after a position: shared with every live request waiting at the same one. */
interface LogReader {
  /** Call on subscribing and on every wake-up; pass the mark to `read`. */
  mark(): number;
  read(from: number, since: number): Promise<LogRead>;
}

function logReader(
  deps: ShapeDependencies,
  scope: ShapeScope,
  definition: string,
  reads: SharedReads<LogRead>,
): LogReader {
  const limit = deps.settings.SHAPE_CHUNK_ROWS;
  return {
    mark: () => reads.mark(),
    read: (from, since) =>
      reads.read(`${definition}|${from}`, since, () =>
        withTenant(deps.database.db, scope.tenantId, async (tx) => {
          const head = await readLogHead(tx, scope.tenantId);
          return { head, changes: await readChanges(tx, scope, from, head.seq, limit) };
        }),
      ),
  };
}

/** Where a batch of log changes leaves the client: at the head, or where a full batch stopped. */
const caughtUp = (changes: LogRead['changes']): boolean =>
  !changes.full || changes.lastSeq === undefined;

function logAnswer({ head, changes }: LogRead): ShapeReply {
  const done = caughtUp(changes);
  return {
    body: changes.body,
    count: changes.count,
    offset: logOffset(done ? head.seq : (changes.lastSeq ?? head.seq)),
    upToDate: done,
    headSeq: head.seq,
  };
}

/**
 * One non-streaming answer: the next snapshot chunk and/or the changes after the offset. A live
 * request with nothing new waits on the hub until a change commits or the long-poll ends.
 */
async function respond(
  deps: ShapeDependencies,
  reply: FastifyReply,
  shape: ShapeRequest,
  scope: ShapeScope,
  definition: string,
  readLog: LogReader,
): Promise<{ handle: string; answer: ShapeReply }> {
  const subscription = shape.live
    ? await deps.hub.subscribe(scope.tenantId, scope.table)
    : undefined;
  let since = readLog.mark();
  const deadline = Date.now() + deps.settings.SHAPE_LONG_POLL_SECONDS * 1000;
  const aborted = abortSignalOf(reply);
  const position = shape.position;
  const read = async (): Promise<{ head: LogHead; answer: ShapeReply }> => {
    if (position.kind === 'log') {
      const log = await readLog.read(position.seq, since);
      return { head: log.head, answer: logAnswer(log) };
    }
    return withTenant(deps.database.db, scope.tenantId, async (tx) => {
      const head = await readLogHead(tx, scope.tenantId);
      return { head, answer: await readFromStart(tx, position, scope, head, deps) };
    });
  };
  try {
    for (;;) {
      const { head, answer } = await read();
      const parts = { definition, epoch: head.epoch };
      checkPosition(shape, head, parts);
      const handle =
        shape.handle !== undefined && handleMatches(shape.handle, parts)
          ? shape.handle
          : mintHandle(parts);
      const result = { handle, answer };
      if (!subscription || answer.count > 0 || deps.hub.closing) return result;
      if (aborted.aborted || Date.now() >= deadline) return result;
      // Nothing new: wait for a commit to this table. A timeout or shutdown answers up-to-date.
      if ((await subscription.next(deadline, aborted)) !== 'changed') return result;
      since = readLog.mark();
    }
  } finally {
    subscription?.dispose();
  }
}

/** An answer that does not start in the log: `now`, or a snapshot's next chunk. */
async function readFromStart(
  tx: AppDatabase,
  position: Exclude<ShapePosition, { kind: 'log' }>,
  scope: ShapeScope,
  head: LogHead,
  deps: ShapeDependencies,
): Promise<ShapeReply> {
  if (position.kind === 'now') {
    return { body: '', count: 0, offset: logOffset(head.seq), upToDate: true, headSeq: head.seq };
  }
  const limit = deps.settings.SHAPE_CHUNK_ROWS;
  const startSeq = position.kind === 'initial' ? head.seq : position.startSeq;
  const extraHeaders =
    position.kind === 'initial'
      ? { [SNAPSHOT_ROWS_HEADER]: String(await countShapeRows(tx, scope)) }
      : undefined;
  const afterId = position.kind === 'snapshot' ? position.afterId : undefined;
  const chunk = await readSnapshotChunk(tx, scope, afterId, limit);
  if (chunk.full && chunk.lastId !== undefined) {
    return {
      body: chunk.body,
      count: chunk.count,
      offset: snapshotOffset(startSeq, chunk.lastId),
      upToDate: false,
      headSeq: head.seq,
      ...(extraHeaders ? { extraHeaders } : {}),
    };
  }
  // The snapshot is complete (or was already): continue with the log in the same answer.
  const rest = logAnswer({
    head,
    changes: await readChanges(tx, scope, startSeq, head.seq, limit),
  });
  return {
    ...rest,
    body: [chunk.body, rest.body].filter((body) => body !== '').join(MESSAGE_SEPARATOR),
    count: chunk.count + rest.count,
    ...(extraHeaders ? { extraHeaders } : {}),
  };
}

const upToDateMessage = (headSeq: number): string =>
  `{"headers":{"control":"up-to-date","global_last_seen_lsn":"${headSeq}"}}`;

/** Electric's live cache buster: changes every long-poll period. */
const liveCursor = (deps: ShapeDependencies): string =>
  String(Math.floor(Date.now() / (deps.settings.SHAPE_LONG_POLL_SECONDS * 1000)));

function protocolHeaders(
  handle: string,
  schemaHeader: string,
  answer: ShapeReply,
  live: boolean,
  deps: ShapeDependencies,
): Record<string, string> {
  return {
    'electric-handle': handle,
    'electric-offset': answer.offset,
    'electric-schema': schemaHeader,
    ...(live ? { 'electric-cursor': liveCursor(deps) } : {}),
    ...(answer.upToDate ? { 'electric-up-to-date': '' } : {}),
    'cache-control': 'no-store',
    ...answer.extraHeaders,
  };
}

function sendShapeReply(
  reply: FastifyReply,
  handle: string,
  schemaHeader: string,
  answer: ShapeReply,
  live: boolean,
  deps: ShapeDependencies,
): FastifyReply {
  const parts = [answer.body, answer.upToDate ? upToDateMessage(answer.headSeq) : ''].filter(
    (part) => part !== '',
  );
  return reply
    .headers(protocolHeaders(handle, schemaHeader, answer, live, deps))
    .type('application/json')
    .send(`[${parts.join(MESSAGE_SEPARATOR)}]`);
}

/**
 * `live_sse=true`: one event per message, and an up-to-date (carrying the log position the client
 * continues from) after each complete batch, until the SSE period ends or the server shuts down.
 */
async function streamLive(
  deps: ShapeDependencies,
  request: FastifyRequest,
  reply: FastifyReply,
  shape: ShapeRequest,
  scope: ShapeScope,
  readLog: LogReader,
  definition: string,
  schemaHeader: string,
): Promise<void> {
  if (shape.position.kind !== 'log') throw new Error('streamLive needs a log position');
  const subscription = await deps.hub.subscribe(scope.tenantId, scope.table);
  const deadline = Date.now() + deps.settings.SHAPE_SSE_SECONDS * 1000;
  const aborted = abortSignalOf(reply);
  let seq = shape.position.seq;
  let since = readLog.mark();
  const read = async (from: number): Promise<LogRead> => {
    const batch = await readLog.read(from, since);
    const parts = { definition, epoch: batch.head.epoch };
    checkPosition({ ...shape, position: { kind: 'log', seq: from } }, batch.head, parts);
    return batch;
  };
  try {
    // The first read happens before the stream opens, so a 409 or 400 is still a normal reply.
    let batch = await read(seq);
    const handle = shape.handle ?? '';
    reply.hijack();
    reply.raw.writeHead(200, {
      ...protocolHeaders(
        handle,
        schemaHeader,
        { body: '', count: 0, offset: logOffset(seq), upToDate: false, headSeq: seq },
        true,
        deps,
      ),
      'content-type': 'text/event-stream',
      connection: 'keep-alive',
      // nginx buffers proxied responses unless told not to; a buffered stream delivers nothing live.
      'x-accel-buffering': 'no',
    });
    // Node holds headers back until the first body write; the client opens the stream on them.
    reply.raw.flushHeaders();
    for (;;) {
      const done = caughtUp(batch.changes);
      const closing = done && (batch.changes.count > 0 || batch.head.seq !== seq);
      const events = sseEvents(batch.changes.body, closing ? batch.head.seq : undefined);
      if (events !== '') reply.raw.write(events);
      if (done) {
        seq = batch.head.seq;
        const reason = await subscription.next(deadline, aborted);
        if (reason !== 'changed') break;
        since = readLog.mark();
      } else {
        seq = batch.changes.lastSeq ?? seq;
      }
      batch = await read(seq);
    }
  } catch (error) {
    if (!reply.sent && !reply.raw.headersSent) throw error;
    request.log.warn({ err: error }, 'live SSE stream ended by an error');
  } finally {
    subscription.dispose();
    if (reply.raw.headersSent && !reply.raw.writableEnded) reply.raw.end();
  }
}

/**
 * A batch as server-sent events, one per message, and an up-to-date at `upToDateSeq` when given:
 * one string, so the batch goes out in one write.
 */
function sseEvents(body: string, upToDateSeq: number | undefined): string {
  // The separator never occurs inside a message (read.ts), so it can become the event boundary.
  const changes =
    body === '' ? '' : `data: ${body.replaceAll(MESSAGE_SEPARATOR, '\n\ndata: ')}\n\n`;
  return upToDateSeq === undefined
    ? changes
    : `${changes}data: ${upToDateMessage(upToDateSeq)}\n\n`;
}

/** Aborts when the client goes away, so a waiting request stops holding its subscription. */
function abortSignalOf(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  // The response's 'close' (not the request's, which fires once a GET's empty body is read) is
  // the connection going away before we answered.
  reply.raw.once('close', () => controller.abort());
  return controller.signal;
}
