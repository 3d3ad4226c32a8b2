import { z } from 'zod';
import { AppError } from '../../db/errors.ts';

/**
 * Where a business's change log stood when a value was computed: its `sync_heads` epoch and seq.
 * Both only grow (seq with every captured change, epoch when a TRUNCATE ends every position), so
 * versions compare as (epoch, seq) pairs, epoch first. seq is a bigint column, hence bigint here.
 */
export interface CacheVersion {
  readonly epoch: number;
  readonly seq: bigint;
}

const headSchema = z.object({
  epoch: z.number().int().nonnegative(),
  seq: z.union([
    z.bigint().nonnegative(),
    z.number().int().nonnegative(),
    z.string().regex(/^\d+$/),
  ]),
});

/** A version from a `sync_heads` row as the driver returns it (seq as a string, number or bigint). */
export function cacheVersion(head: { epoch: number; seq: string | number | bigint }): CacheVersion {
  const parsed = headSchema.safeParse(head);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'A cache version needs a whole epoch and seq.', {
      cause: parsed.error,
    });
  }
  return { epoch: parsed.data.epoch, seq: BigInt(parsed.data.seq) };
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer. */
export function compareVersions(a: CacheVersion, b: CacheVersion): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  return a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}

/** `epoch:seq`, as stored next to a cached value. */
export const formatVersion = (version: CacheVersion): string => `${version.epoch}:${version.seq}`;

/** The version stored next to a cached value, or undefined when it is not one. */
export function parseVersion(text: string): CacheVersion | undefined {
  const match = /^(\d{1,15}):(\d+)$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { epoch: Number(match[1]), seq: BigInt(match[2]) };
}
