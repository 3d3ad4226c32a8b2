import { z } from 'zod';
import { conflictOutcomes } from '../enums.ts';
import { errorCodes } from '../errors.ts';
import { mutationArgs, type MutationName } from '../mutations/catalogue.ts';
import {
  agentActionSchema,
  boardSchema,
  callPageSchema,
  dashboardSchema,
  keywordPerformanceSchema,
  campaignPerformanceSchema,
  leadDetailSchema,
  leadFilterSchema,
  leadPageSchema,
  leadSortSchema,
  messageSchema,
  sessionSchema,
  signInSchema,
  threadSummarySchema,
  timelineEntrySchema,
  workflowViewSchema,
} from './desktop-views.ts';
import { syncStatusSchema } from './sync.ts';
import { syncedTables } from '../enums.ts';

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
const none = z.tuple([]);
const page = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500),
};
const byLead = z.tuple([z.object({ leadId: z.uuid() })]);

/**
 * The typed desktop API: every call the renderer can make to the local core, by channel name, with
 * the schema of its arguments and of its result. Electron's IPC and the browser shell's loopback
 * bridge both expose exactly this map; the renderer imports these types and nothing else.
 */
export const desktopApi = {
  'session:get': { args: none, result: sessionSchema },
  /** Signs in against the sync server, opens this business's replica and starts syncing. */
  'session:signIn': { args: z.tuple([signInSchema]), result: sessionSchema },
  /** Stops syncing and forgets the session (the replica and its outbox stay on disk). */
  'session:signOut': { args: none, result: sessionSchema },
  'sync:status': { args: none, result: syncStatusSchema },
  'writes:status': { args: none, result: writeStatusSchema },
  /** Records an action: its optimistic effect shows at once in every local query. */
  'writes:record': { args: z.tuple([actionSchema]), result: recordedSchema },
  'writes:refused': { args: recent, result: z.array(refusedEditSchema) },
  'writes:superseded': { args: recent, result: z.array(supersededEditSchema) },
  /** Makes a superseded edit of this desktop again (the value that lost, as a new edit). */
  'writes:applyAgain': {
    args: z.tuple([z.object({ conflictId: z.uuid() })]),
    result: recordedSchema,
  },
  /** The pipeline as a list: one window of the filtered, sorted leads, and how many match. */
  'leads:list': {
    args: z.tuple([
      z.object({
        filter: leadFilterSchema.default({}),
        sort: leadSortSchema.default({ by: 'created_at', dir: 'desc' }),
        ...page,
      }),
    ]),
    result: leadPageSchema,
  },
  /** The pipeline as a board: per status, how many match and the first `perColumn` of them. */
  'leads:board': {
    args: z.tuple([
      z.object({
        filter: leadFilterSchema.default({}),
        sort: leadSortSchema.default({ by: 'created_at', dir: 'desc' }),
        perColumn: z.number().int().min(1).max(500).default(50),
      }),
    ]),
    result: boardSchema,
  },
  'leads:get': { args: z.tuple([z.object({ id: z.uuid() })]), result: leadDetailSchema.nullable() },
  'leads:timeline': { args: byLead, result: z.array(timelineEntrySchema) },
  /** The distinct service types of the business's leads, for the filter. */
  'leads:serviceTypes': { args: none, result: z.array(z.string()) },
  'inbox:threads': {
    args: z.tuple([
      z.object({ search: z.string().max(200).optional(), limit: page.limit.default(200) }),
    ]),
    result: z.array(threadSummarySchema),
  },
  'inbox:thread': { args: byLead, result: z.array(messageSchema) },
  /** Marks a thread read on this desktop (read state is this device's, not synced). */
  'inbox:markRead': { args: byLead, result: z.object({ unread: z.literal(0) }) },
  /** The call log, missed calls first; `missedOnly` narrows it. */
  'calls:list': {
    args: z.tuple([z.object({ missedOnly: z.boolean().default(false), ...page })]),
    result: callPageSchema,
  },
  /** Marks every missed call seen (clears the tray badge). */
  'calls:markSeen': { args: none, result: z.object({ missedUnseen: z.literal(0) }) },
  'dashboard:get': {
    args: z.tuple([
      z.object({
        month: z
          .string()
          .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
          .optional(),
      }),
    ]),
    result: dashboardSchema,
  },
  'campaigns:list': { args: none, result: z.array(campaignPerformanceSchema) },
  'keywords:list': {
    args: z.tuple([z.object({ campaignId: z.uuid().optional() })]),
    result: z.array(keywordPerformanceSchema),
  },
  'agents:activity': { args: recent, result: z.array(agentActionSchema) },
  'workflows:list': { args: none, result: z.array(workflowViewSchema) },
} as const;

export type DesktopApi = typeof desktopApi;
export type DesktopChannel = keyof DesktopApi;
export type DesktopArgs<C extends DesktopChannel> = z.infer<DesktopApi[C]['args']>;
export type DesktopResult<C extends DesktopChannel> = z.infer<DesktopApi[C]['result']>;
/** The arguments as a caller writes them (defaults may be left out); handlers get DesktopArgs. */
export type DesktopCallArgs<C extends DesktopChannel> = z.input<DesktopApi[C]['args']>;

/** Every answer of the desktop API, over IPC and over the loopback bridge alike. */
export type DesktopResponse<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: (typeof errorCodes)[number]; message: string } };

export const desktopChannels = Object.keys(desktopApi) as DesktopChannel[];

export function isDesktopChannel(name: unknown): name is DesktopChannel {
  return typeof name === 'string' && Object.hasOwn(desktopApi, name);
}

/** A desktop notice: something the person should see even with the app in the background. */
export const alertSchema = z.object({
  kind: z.enum(['missed_call', 'new_lead', 'inbound_text']),
  leadId: z.uuid().nullable(),
  title: z.string(),
  body: z.string(),
  at: z.string(),
});
export type Alert = z.infer<typeof alertSchema>;

export const desktopScreens = [
  'pipeline',
  'inbox',
  'calls',
  'dashboard',
  'campaigns',
  'agents',
  'workflows',
] as const;
export type DesktopScreen = (typeof desktopScreens)[number];

/**
 * What the desktop shell (Electron's menu, a notification's click) asks the renderer to do. It
 * reaches the renderer's `subscribe` listeners as a `command` event next to the core's events.
 */
export const shellCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open-lead'), leadId: z.uuid() }),
  z.object({ type: z.literal('navigate'), screen: z.enum(desktopScreens) }),
  z.object({ type: z.literal('new-lead') }),
  z.object({ type: z.literal('search') }),
  z.object({ type: z.literal('shortcuts') }),
]);
export type ShellCommand = z.infer<typeof shellCommandSchema>;

/**
 * What the local core tells the renderer (and Electron's main process) without being asked: the
 * renderer re-reads what it shows when the tables under it change, instead of polling.
 */
export const desktopEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session'), session: sessionSchema }),
  z.object({ type: z.literal('sync'), status: syncStatusSchema }),
  z.object({ type: z.literal('writes'), status: writeStatusSchema }),
  z.object({ type: z.literal('changed'), tables: z.array(z.enum(syncedTables)) }),
  z.object({ type: z.literal('alert'), alert: alertSchema }),
  /** Unseen missed calls: the tray badge. */
  z.object({ type: z.literal('badge'), missedUnseen: count }),
  z.object({ type: z.literal('command'), command: shellCommandSchema }),
]);
export type DesktopEvent = z.infer<typeof desktopEventSchema>;

/**
 * How the renderer reaches the local core: Electron's preload exposes one of these as
 * `window.fieldline`; in a plain browser the loopback bridge implements it over HTTP. Arguments are
 * validated by the core, never trusted from here.
 */
export interface DesktopBridge {
  invoke(channel: string, args: readonly unknown[]): Promise<DesktopResponse<unknown>>;
  /** Every DesktopEvent the core emits, from now on; returns the unsubscribe. */
  subscribe(listener: (event: DesktopEvent) => void): () => void;
}
