import { z } from 'zod';
import {
  callStatuses,
  leadSources,
  leadStatuses,
  leadUrgencies,
  pipelineStages,
} from '../enums.ts';
import { clientIdSchema, hlcSchema } from '../hlc.ts';

/**
 * The catalogue of mutations: every change a desktop can make, by name, with the schema of its
 * arguments. The desktop validates with it before writing its outbox, the server again before
 * applying: one definition, so the two can never disagree on what a mutation is.
 *
 * Ids of new rows are made by the desktop (UUIDs), so an offline desktop can refer to a lead it
 * created before the server has seen it, and a retried create is recognisably the same row.
 * Times of actions (`at`) are the desktop's: a job booked offline on Tuesday was booked on Tuesday.
 */

const uuid = z.uuid({ version: 'v4', message: 'expected a UUID' });
const shortText = (max: number) => z.string().trim().min(1).max(max);
/** Money as decimal text with at most two places, never a binary float: "450", "450.00". */
const money = z
  .string()
  .regex(/^\d{1,8}(\.\d{1,2})?$/, 'an amount is a non-negative decimal such as "450.00"');
const phone = z.string().trim().min(1).max(40); // normalised to E.164 where it is applied
const email = z.email({ message: 'expected an email address' }).max(255);
const at = z.iso.datetime({
  offset: true,
  precision: undefined,
  message: 'expected an ISO 8601 time',
});

/** The lead fields an update may set, by argument name, and the column each is stored in. */
export const leadFieldColumns = {
  customerName: 'customer_name',
  customerPhone: 'customer_phone',
  customerEmail: 'customer_email',
  customerAddress: 'customer_address',
  serviceType: 'service_type',
  urgency: 'urgency',
  description: 'description',
  quotedAmount: 'quoted_amount',
  actualAmount: 'actual_amount',
  pipelineStage: 'pipeline_stage',
} as const;
export type LeadField = keyof typeof leadFieldColumns;

const leadFieldValues = {
  customerName: shortText(255).nullable(),
  customerPhone: phone,
  customerEmail: email.nullable(),
  customerAddress: shortText(1000).nullable(),
  serviceType: shortText(100).nullable(),
  urgency: z.enum(leadUrgencies).nullable(),
  description: shortText(5000).nullable(),
  quotedAmount: money.nullable(),
  actualAmount: money.nullable(),
  pipelineStage: z.enum(pipelineStages).nullable(),
} satisfies Record<LeadField, z.ZodType>;

const leadFields = z.strictObject(leadFieldValues).partial();

export const mutationArgs = {
  /** A lead taken on the desktop (a walk-in, a call to a technician's own phone). */
  'lead.create': z.strictObject({
    id: uuid,
    customerPhone: phone,
    customerName: shortText(255).optional(),
    customerEmail: email.optional(),
    customerAddress: shortText(1000).optional(),
    serviceType: shortText(100).optional(),
    urgency: z.enum(leadUrgencies).optional(),
    description: shortText(5000).optional(),
    source: z.enum(leadSources),
  }),
  /**
   * Sets some fields of a lead. `base` holds the values the desktop showed when the person edited
   * them: when the server's value is no longer that, someone else edited the field meanwhile, and
   * the clocks decide (the loser is recorded as a conflict).
   */
  'lead.update': z
    .strictObject({ id: uuid, set: leadFields, base: leadFields.optional() })
    .refine((args) => Object.keys(args.set).length > 0, 'set at least one field'),
  /** Moves a lead through the pipeline (pipeline.ts says which moves are allowed). */
  'lead.move': z
    .strictObject({
      id: uuid,
      to: z.enum(leadStatuses),
      at,
      lostReason: shortText(500).optional(),
    })
    .refine((args) => args.to !== 'lost' || args.lostReason !== undefined, {
      message: 'a lead is lost for a reason: give lostReason',
      path: ['lostReason'],
    }),
  /** A call the technician or dispatcher made from the desktop. */
  'call.logOutbound': z.strictObject({
    id: uuid,
    leadId: uuid.optional(),
    toPhone: phone,
    status: z.enum(callStatuses),
    durationSeconds: z.number().int().min(0).max(86_400),
    at,
  }),
  /** A note on a lead (the `lead_notes` table). */
  'lead.addNote': z.strictObject({ id: uuid, leadId: uuid, body: shortText(5000), at }),
  /** A text to a lead, queued: the server sends it when the mutation arrives. */
  'text.queue': z.strictObject({ id: uuid, leadId: uuid, body: shortText(1600), at }),
} as const;

export type MutationName = keyof typeof mutationArgs;
export const mutationNames = Object.keys(mutationArgs) as MutationName[];
export type MutationArgs<N extends MutationName> = z.infer<(typeof mutationArgs)[N]>;

/** One mutation as pushed: the desktop numbers its own, 1, 2, 3… without gaps. */
export const pushedMutationSchema = z.strictObject({
  clientId: clientIdSchema,
  mutationId: z.number().int().positive(),
  name: z.enum(mutationNames as [MutationName, ...MutationName[]]),
  args: z.unknown(),
  hlc: hlcSchema,
});
export type PushedMutation = z.infer<typeof pushedMutationSchema>;

/** Validates a mutation's arguments against its name's schema. */
export function parseMutationArgs<N extends MutationName>(
  name: N,
  args: unknown,
): z.ZodSafeParseResult<MutationArgs<N>> {
  return mutationArgs[name].safeParse(args) as z.ZodSafeParseResult<MutationArgs<N>>;
}
