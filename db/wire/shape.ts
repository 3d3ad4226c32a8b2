import { z } from 'zod';

/**
 * The Electric HTTP shape protocol as this system speaks it (GET /v1/shape): what both ends agree
 * on beyond the protocol's own headers.
 */

/** Response header of the first answer of a snapshot: the shape's row count, for progress. */
export const SNAPSHOT_ROWS_HEADER = 'fieldline-snapshot-rows';

export const shapeOperations = ['insert', 'update', 'delete'] as const;
export type ShapeOperation = (typeof shapeOperations)[number];

/**
 * A change message with its values in Postgres text format (strings, NULL as null). Inserts and
 * updates carry the whole row (an update may carry only some columns in Electric's default replica
 * mode; the client handles both); deletes carry the primary key only.
 */
export const shapeChangeMessageSchema = z.object({
  key: z.string(),
  headers: z.looseObject({ operation: z.enum(shapeOperations) }),
  value: z.record(z.string(), z.string().nullable()),
});
export type ShapeChangeMessage = z.infer<typeof shapeChangeMessageSchema>;

/** The error body of every HTTP answer that is not a success (sync-server/errors.ts). */
export const errorBodySchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  requestId: z.string().optional(),
});
