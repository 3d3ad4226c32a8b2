import { z } from 'zod';
import { AppError } from '../../db/errors.ts';

/*
 * The business's `missed_call` workflow (workflows.config, JSONB): what to text a caller nobody
 * answered, and when. Validated whenever it is read — a config the desktop or an agent wrote badly
 * is refused with the field named, never half-applied.
 */

type Weekday = 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';
const clock = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time of day as HH:MM (24-hour)');
const openHours = z
  .object({ open: clock, close: clock })
  .refine((hours) => hours.open < hours.close, 'must open before it closes')
  .nullable();

const zone = z.string().refine((name) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/Chicago');

/** The placeholders a missed-call text may use: all are known when the call ends. */
export const missedCallPlaceholders = ['business_name', 'customer_name'] as const;

const template = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(640, 'must be at most 640 characters (four text segments)')
  .superRefine((text, ctx) => {
    for (const [, name] of text.matchAll(/\{([a-z_]+)\}/g)) {
      if (!(missedCallPlaceholders as readonly string[]).includes(name!)) {
        ctx.addIssue({
          code: 'custom',
          message: `uses {${name}}, which a missed-call text cannot fill (use ${missedCallPlaceholders.map((p) => `{${p}}`).join(' or ')})`,
        });
      }
    }
  });

export const missedCallConfigSchema = z.object({
  message_template: template,
  /** After the call ends: a short wait lets someone call back first; 30 s keeps the 60 s promise. */
  delay_seconds: z.number().int().min(0).max(3_600).default(30),
  /** Opening hours per weekday in the business's zone; a day left out or null is closed. */
  business_hours: z
    .object({
      timezone: zone,
      sunday: openHours.optional(),
      monday: openHours.optional(),
      tuesday: openHours.optional(),
      wednesday: openHours.optional(),
      thursday: openHours.optional(),
      friday: openHours.optional(),
      saturday: openHours.optional(),
    })
    .optional(),
  after_hours_template: template.optional(),
  /** Read by the cx agent for inbound texts; a missed call has no words yet. */
  emergency_words: z.array(z.string().trim().min(1).max(40)).max(50).default([]),
  /** Repeated rings within this many hours get one text, not one per ring. */
  once_per_caller_hours: z
    .number()
    .min(0)
    .max(24 * 30)
    .default(24),
});
export type MissedCallConfig = z.infer<typeof missedCallConfigSchema>;

/** Reads a stored config; a bad one is refused naming the field. */
export function parseMissedCallConfig(config: unknown): MissedCallConfig {
  const parsed = missedCallConfigSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || 'config'} ${issue.message}`,
  );
  throw new AppError(
    'VALIDATION_FAILED',
    `The missed_call workflow's config is invalid: ${problems.join('; ')}`,
  );
}

/** The local weekday and minutes after midnight of `at` in `timeZone`. */
function localTime(at: Date, timeZone: string): { day: Weekday; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: part('weekday').toLowerCase() as Weekday,
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

/** Whether the business is open at `at` (no hours configured: always). Close is exclusive. */
export function isOpen(config: MissedCallConfig, at: Date): boolean {
  const hours = config.business_hours;
  if (!hours) return true;
  const { day, minutes } = localTime(at, hours.timezone);
  const today = hours[day];
  if (!today) return false;
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return minutes >= toMinutes(today.open) && minutes < toMinutes(today.close);
}

/** The text for a caller missed at `endedAt`: the after-hours one when the business is closed. */
export function missedCallText(
  config: MissedCallConfig,
  endedAt: Date,
  values: { businessName: string; customerName: string | null },
): string {
  const chosen = isOpen(config, endedAt)
    ? config.message_template
    : (config.after_hours_template ?? config.message_template);
  const filled: Record<(typeof missedCallPlaceholders)[number], string> = {
    business_name: values.businessName,
    // "Hi there" reads better than "Hi ," for a caller whose name nobody knows yet.
    customer_name: values.customerName?.trim().split(/\s+/)[0] ?? 'there',
  };
  return chosen.replace(
    /\{(business_name|customer_name)\}/g,
    (_match, name: keyof typeof filled) => filled[name],
  );
}
