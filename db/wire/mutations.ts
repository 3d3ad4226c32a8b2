import { z } from 'zod';

/** The header of a MUTATION_GAP answer naming the mutation number the server expects next. */
export const EXPECTED_MUTATION_HEADER = 'fieldline-expected-mutation-id';

/**
 * The answer to `POST /v1/mutations`, as the server sends it and the desktop's pusher reads it.
 */
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

/** The log position of a shape offset `<seq>_0`; undefined for a snapshot under way, -1, now. */
export function logSeqOf(offset: string): number | undefined {
  const match = /^(\d{1,15})_0$/.exec(offset);
  return match ? Number(match[1]) : undefined;
}
