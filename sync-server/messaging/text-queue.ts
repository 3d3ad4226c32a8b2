import { Queue, Worker } from 'bullmq';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import {
  type Delivery,
  deliverText,
  giveUpText,
  type TextSender,
  TransientSendError,
} from './deliver.ts';
import type { PlannedText } from './text-back.ts';

/** Sends planned texts when they are due; each text is one job, keyed by its idempotency key. */
export interface TextQueue {
  schedule(text: PlannedText): Promise<void>;
  close(): Promise<void>;
}

export interface TextQueueOptions {
  db: AppDatabase;
  sender: TextSender;
  /** Where Twilio posts a text's delivery status (…/v1/webhooks/twilio/sms/status?text=<id>). */
  statusCallback: (smsLogId: string) => string;
  log: { warn(message: string): void; error(message: string, error: unknown): void };
  now?: () => Date;
  /** BullMQ on this Redis; without it, timers in this process over the database's pending rows. */
  redisUrl?: string | undefined;
  /** BullMQ's key prefix (tests give each their own). */
  prefix?: string;
  /** Told of every delivery attempt's outcome (tests wait on it; metrics could count it). */
  onDelivery?: (smsLogId: string, delivery: Delivery | { done: 'gave_up' }) => void;
}

/** Twilio's 5xx (or no answer) is tried once more after this long. */
const RETRY_DELAY_MS = 1_000;
const ATTEMPTS = 2;
const jobSchema = z.object({ smsLogId: z.uuid() });
/** Every job: one more try after Twilio's 5xx, and finished jobs do not pile up in Redis. */
const retries = {
  attempts: ATTEMPTS,
  backoff: { type: 'fixed', delay: RETRY_DELAY_MS },
  removeOnComplete: 1_000,
  removeOnFail: 5_000,
} as const;

export function startTextQueue(options: TextQueueOptions): TextQueue {
  const queue = options.redisUrl
    ? bullTextQueue({ ...options, redisUrl: options.redisUrl })
    : processTextQueue(options);
  // The planned texts are rows; the queue only wakes them. Whatever was pending when the last
  // process stopped (or what a Redis that keeps nothing on disk forgot) is scheduled again; a job
  // still queued under the same key is not added twice.
  const resumed = queryRows<{ sms_log_id: string; send_at: string; idempotency_key: string }>(
    options.db,
    sql`SELECT sms_log_id::text, send_at::text, idempotency_key FROM outbound_texts
         WHERE state = 'pending'`,
  ).then(
    async (rows) => {
      for (const row of rows) {
        await queue.schedule({
          smsLogId: row.sms_log_id,
          sendAt: new Date(row.send_at),
          idempotencyKey: row.idempotency_key,
        });
      }
    },
    (error: unknown) => options.log.error('Resuming planned texts', error),
  );
  return {
    schedule: (text) => queue.schedule(text),
    async close() {
      await resumed;
      await queue.close();
    },
  };
}

const delayUntil = (sendAt: Date, now: Date) => Math.max(0, sendAt.getTime() - now.getTime());

/** One delivery attempt; a quiet-hours "later" is handed back to be scheduled again. */
async function attempt(options: TextQueueOptions, smsLogId: string): Promise<Delivery> {
  const now = options.now?.() ?? new Date();
  const delivery = await deliverText(options.db, options.sender, smsLogId, {
    now,
    statusCallback: options.statusCallback(smsLogId),
  });
  options.onDelivery?.(smsLogId, delivery);
  return delivery;
}

/**
 * BullMQ: the job id is the text's idempotency key, so scheduling it again (a replayed webhook)
 * adds nothing; Twilio's 5xx throws and BullMQ tries once more; after the last try the text fails
 * with the reason. The outbound_texts row stays the truth of whether it was sent.
 */
function bullTextQueue(options: TextQueueOptions & { redisUrl: string }): TextQueue {
  const connection = redisConnection(options.redisUrl);
  const prefix = options.prefix ?? 'fieldline';
  const queue = new Queue('texts', { connection, prefix });
  const worker = new Worker(
    'texts',
    async (job) => {
      const { smsLogId } = jobSchema.parse(job.data);
      const result = await attempt(options, smsLogId);
      if ('later' in result) {
        const now = options.now?.() ?? new Date();
        await queue.add(
          'send',
          { smsLogId },
          {
            ...retries,
            jobId: `${job.id ?? smsLogId}@${result.later.getTime()}`,
            delay: delayUntil(result.later, now),
          },
        );
      }
      return result;
    },
    { connection, prefix, concurrency: 16 },
  );
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < ATTEMPTS || !(error instanceof TransientSendError)) return;
    const parsed = jobSchema.safeParse(job.data);
    if (parsed.success) {
      giveUpText(options.db, parsed.data.smsLogId, error).then(
        () => options.onDelivery?.(parsed.data.smsLogId, { done: 'gave_up' }),
        (failure: unknown) => options.log.error('Marking a text failed', failure),
      );
    }
  });
  worker.on('error', (error) => options.log.error('Text worker', error));
  return {
    async schedule(text) {
      const now = options.now?.() ?? new Date();
      await queue.add(
        'send',
        { smsLogId: text.smsLogId },
        {
          ...retries,
          jobId: text.idempotencyKey.replaceAll(':', '-'),
          delay: delayUntil(text.sendAt, now),
        },
      );
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/** BullMQ's connection for a redis:// or rediss:// URL (its own ioredis; workers must not give up). */
function redisConnection(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db: Number(parsed.pathname.slice(1) || 0),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * Without Redis: a timer per text in this process (scheduled again at start, as for BullMQ).
 */
function processTextQueue(options: TextQueueOptions): TextQueue {
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  let closed = false;

  const run = (smsLogId: string, attemptsLeft: number) => {
    timers.delete(smsLogId);
    const work = attempt(options, smsLogId)
      .then((result) => {
        if ('later' in result) at(smsLogId, result.later, ATTEMPTS);
      })
      .catch(async (error: unknown) => {
        if (error instanceof TransientSendError && attemptsLeft > 1) {
          // On the queue's clock (a test's may be fixed), like every other due time.
          const now = options.now?.() ?? new Date();
          at(smsLogId, new Date(now.getTime() + RETRY_DELAY_MS), attemptsLeft - 1);
        } else if (error instanceof TransientSendError) {
          await giveUpText(options.db, smsLogId, error);
          options.onDelivery?.(smsLogId, { done: 'gave_up' });
        } else {
          options.log.error('Sending a text', error);
        }
      })
      .finally(() => running.delete(work));
    running.add(work);
  };
  const at = (smsLogId: string, sendAt: Date, attemptsLeft: number) => {
    if (closed || timers.has(smsLogId)) return;
    const delay = Math.min(delayUntil(sendAt, options.now?.() ?? new Date()), 2 ** 31 - 1);
    timers.set(
      smsLogId,
      setTimeout(() => run(smsLogId, attemptsLeft), delay),
    );
  };

  return {
    schedule(text) {
      at(text.smsLogId, text.sendAt, ATTEMPTS);
      return Promise.resolve();
    },
    async close() {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
