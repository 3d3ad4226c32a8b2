import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../db/errors.ts';

/**
 * Where a shape request starts, decoded from the Electric `offset` the client echoes back.
 * Offsets are opaque to the client (it only sends back what it last received), so ours carry
 * everything needed to continue without server-side state:
 * - `-1`: a new shape; start a snapshot.
 * - `now`: skip the snapshot, start at the current end of the log.
 * - `<seq>_0`: every change of the business's log up to `seq` is reflected; continue after it.
 * - `<seq>_<n>` with n > 0: a snapshot that began at log position `seq` is under way, and its rows
 *   up to the key whose 128-bit value is n - 1 were sent (snapshots walk rows in key order).
 */
export type ShapePosition =
  | { kind: 'initial' }
  | { kind: 'now' }
  | { kind: 'log'; seq: number }
  | { kind: 'snapshot'; startSeq: number; afterId: string };

const OFFSET = /^(\d{1,15})_(\d{1,40})$/;

export function parseOffset(offset: string): ShapePosition {
  if (offset === '-1') return { kind: 'initial' };
  if (offset === 'now') return { kind: 'now' };
  const match = OFFSET.exec(offset);
  if (!match) {
    throw new AppError(
      'SHAPE_INVALID',
      `offset "${offset.slice(0, 60)}" is not an offset this server gave out (expected -1, now or <number>_<number>)`,
    );
  }
  const seq = Number(match[1]);
  const part = BigInt(match[2] ?? '0');
  if (part === 0n) return { kind: 'log', seq };
  if (part > 1n << 128n) throw new AppError('SHAPE_INVALID', `offset "${offset}" is out of range`);
  return { kind: 'snapshot', startSeq: seq, afterId: uuidFromBigInt(part - 1n) };
}

export const logOffset = (seq: number): string => `${seq}_0`;

export const snapshotOffset = (startSeq: number, lastId: string): string =>
  `${startSeq}_${(uuidToBigInt(lastId) + 1n).toString()}`;

function uuidToBigInt(id: string): bigint {
  return BigInt(`0x${id.replaceAll('-', '')}`);
}

function uuidFromBigInt(value: bigint): string {
  const hex = value.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A shape handle: `<definition>-<epoch>-<nonce>`. The definition part binds it to one business,
 * table, where, params and columns; the epoch to the business's sync epoch (bumping it sends every
 * desktop back to a snapshot); the nonce makes every handle new, as the client requires after a 409.
 */
export interface HandleParts {
  definition: string;
  epoch: number;
}

export function shapeDefinitionHash(definition: unknown): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 16);
}

export const mintHandle = (parts: HandleParts): string =>
  `${parts.definition}-${parts.epoch}-${randomBytes(6).toString('hex')}`;

/** True when the handle was minted for this definition in this epoch. */
export function handleMatches(handle: string, parts: HandleParts): boolean {
  const match = /^([0-9a-f]{16})-(\d{1,9})-[0-9a-f]{12}$/.exec(handle);
  return match !== null && match[1] === parts.definition && Number(match[2]) === parts.epoch;
}
