import { z } from 'zod';
import { conflictOutcomes } from '../enums.ts';
import { errorCodes } from '../errors.ts';
import { mutationArgs, type MutationName } from '../mutations/catalogue.ts';
import { syncStatusSchema } from './sync.ts';

const count = z.number().int().nonnegative();

/** The write path as the renderer shows it: what waits to be pushed, and how pushing goes. */
export const pushStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('idle') }),
  z.object({ state: z.literal('pushing') }),
  z.object({
    state: z.literal('retrying'),
    attempt: z.number().int().positive(),
    code: z.enum(errorCodes),
    message: z.string(),
  }),
  z.object({ state: z.literal('error'), code: z.enum(errorCodes), message: z.string() }),
  z.object({ state: z.literal('stopped') }),
]);

export const writeStatusSchema = z.object({
  /** Recorded on this desktop, not yet acknowledged by the server. */
  pending: count,
  /** Acknowledged; their outcome not yet arrived through the shapes. */
  acknowledged: count,
  push: pushStateSchema,
});
export type WriteStatus = z.infer<typeof writeStatusSchema>;

/** One action for the outbox: a mutation of the catalogue by name, with its arguments. */
const action = <N extends MutationName>(name: N) =>
  z.object({ name: z.literal(name), args: mutationArgs[name] });

export const actionSchema = z.discriminatedUnion('name', [
  action('lead.create'),
  action('lead.update'),
  action('lead.move'),
  action('call.logOutbound'),
  action('lead.addNote'),
  action('text.queue'),
]);
export type Action = z.infer<typeof actionSchema>;

export const recordedSchema = z.object({
  mutationId: z.number().int().positive(),
  hlc: z.string(),
});

/** An edit of this desktop the server refused (mutation_rejections), with its reason. */
export const refusedEditSchema = z.object({
  mutationId: z.number().int(),
  name: z.string(),
  args: z.unknown(),
  code: z.string(),
  reason: z.string(),
  at: z.string(),
});
export type RefusedEdit = z.infer<typeof refusedEditSchema>;

/** An edit of this desktop that another edit superseded (field_conflicts), to show and redo. */
export const supersededEditSchema = z.object({
  id: z.string(),
  table: z.string(),
  rowId: z.string(),
  field: z.string(),
  outcome: z.enum(conflictOutcomes),
  /** Overtaken: the value that stands. Overwritten: this desktop's value, which replaced… */
  keptValue: z.string().nullable(),
  keptBy: z.string().nullable(),
  keptHlc: z.string(),
  /** Overtaken: this desktop's value, which lost. Overwritten: the value it replaced unseen. */
  supersededValue: z.string().nullable(),
  supersededBy: z.string().nullable(),
  supersededMutationId: z.number().int().nullable(),
  at: z.string(),
});
export type SupersededEdit = z.infer<typeof supersededEditSchema>;

const recent = z.tuple([z.object({ limit: z.number().int().min(1).max(1000).default(100) })]);

/**
 * The typed desktop API: every call the renderer can make to the local core, by channel name, with
 * the schema of its arguments and of its result. Electron's IPC and the browser shell's loopback
 * bridge both expose exactly this map; the renderer imports these types and nothing else.
 */
export const desktopApi = {
  'sync:status': { args: z.tuple([]), result: syncStatusSchema },
  'writes:status': { args: z.tuple([]), result: writeStatusSchema },
  /** Records an action: its optimistic effect shows at once in every local query. */
  'writes:record': { args: z.tuple([actionSchema]), result: recordedSchema },
  'writes:refused': { args: recent, result: z.array(refusedEditSchema) },
  'writes:superseded': { args: recent, result: z.array(supersededEditSchema) },
  /** Makes a superseded edit of this desktop again (the value that lost, as a new edit). */
  'writes:applyAgain': {
    args: z.tuple([z.object({ conflictId: z.uuid() })]),
    result: recordedSchema,
  },
} as const;

export type DesktopApi = typeof desktopApi;
export type DesktopChannel = keyof DesktopApi;
export type DesktopArgs<C extends DesktopChannel> = z.infer<DesktopApi[C]['args']>;
export type DesktopResult<C extends DesktopChannel> = z.infer<DesktopApi[C]['result']>;
