import { z } from 'zod';
import { syncedTables } from '../enums.ts';
import { errorCodes } from '../errors.ts';

/**
 * How the desktop's read path is doing, as the renderer shows it (the local core computes it; it
 * crosses IPC or the loopback bridge, hence zod). One state per synced table, and one overall.
 */

const instant = z.iso.datetime().describe('UTC ISO 8601');
const count = z.number().int().nonnegative();

export const syncStateSchema = z.discriminatedUnion('state', [
  /** Not started, or stopped (signed out, app closing). */
  z.object({ state: z.literal('stopped') }),
  /** Started; no answer from the server yet. */
  z.object({ state: z.literal('connecting') }),
  /** Downloading a snapshot or catching up: `rowsSynced` of `snapshotRows` (null: not known). */
  z.object({ state: z.literal('syncing'), rowsSynced: count, snapshotRows: count.nullable() }),
  /** Everything the server had is in the replica, and live changes arrive as they commit. */
  z.object({ state: z.literal('up-to-date'), since: instant }),
  /** The server cannot be reached; retrying with backoff. The replica keeps working locally. */
  z.object({ state: z.literal('offline'), since: instant }),
  /** Syncing stopped for a reason a person must act on (sign in again, billing, a bad row). */
  z.object({ state: z.literal('error'), code: z.enum(errorCodes), message: z.string() }),
]);
export type SyncState = z.infer<typeof syncStateSchema>;

export const syncStatusSchema = z.object({
  overall: syncStateSchema,
  tables: z.partialRecord(z.enum(syncedTables), syncStateSchema),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;
