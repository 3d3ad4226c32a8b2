import { z } from 'zod';
import { memberRoles, memberStatuses } from '../../db/enums.ts';
import { businessSummarySchema, memberSummarySchema } from '../../db/wire/auth.ts';

/**
 * The wire shapes of the accounts API: they validate each request body and document the routes in
 * the OpenAPI document (sync-server/http/router.ts), so the two cannot disagree.
 */

/** Emails are compared lower-cased and trimmed everywhere (the tables' CHECKs insist on it). */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(255))
  .meta({ format: 'email', maxLength: 255, description: 'Trimmed and lower-cased' });

/** Long enough to resist guessing; bounded so nobody posts megabytes into argon2. */
export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');

const deviceFields = {
  deviceId: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('Stable id of the installation; one session per device'),
  deviceName: z.string().trim().min(1).max(255).optional().describe('Shown in the sessions list'),
};

const personName = z.string().trim().min(1).max(255);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const signupBodySchema = z.object({
  businessName: z.string().trim().min(1).max(255),
  ownerName: personName,
  email: emailSchema,
  password: passwordSchema,
  primaryPhone: z
    .string()
    .min(1)
    .max(40)
    .describe('Any common format; stored as E.164 (read in the US when it has no country code)'),
  timezone: z
    .string()
    .max(50)
    .refine(isTimeZone, 'must be an IANA time zone such as America/Chicago')
    .optional()
    .describe('IANA time zone; default America/Chicago'),
  serviceTypes: z
    .array(z.string().trim().min(1).max(50))
    .min(1)
    .max(20)
    .describe('What the business does, e.g. ["plumbing", "drain_cleaning"]'),
  ...deviceFields,
});
export type SignupInput = z.infer<typeof signupBodySchema>;

export const loginBodySchema = z.object({
  email: emailSchema,
  // Not the signup rules: an old or mistyped password must get INVALID_CREDENTIALS, not a 400.
  password: z.string().min(1).max(200),
  ...deviceFields,
});
export type LoginInput = z.infer<typeof loginBodySchema>;

export const refreshBodySchema = z.object({
  refreshToken: z.string().min(1).max(200),
});

export const invitationBodySchema = z.object({
  email: emailSchema,
  role: z.enum(memberRoles),
});
export type InvitationInput = z.infer<typeof invitationBodySchema>;

export const acceptInvitationBodySchema = z.object({
  token: z.string().min(1).max(200),
  name: personName,
  password: passwordSchema,
  ...deviceFields,
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationBodySchema>;

export const memberIdParamsSchema = z.object({ id: z.uuid().describe('The member id') });

export {
  authResultSchema,
  businessSummarySchema,
  memberSummarySchema,
  type AuthResult,
} from '../../db/wire/auth.ts';

export const meSchema = z.object({
  member: memberSummarySchema,
  business: businessSummarySchema,
  sessionId: z.uuid(),
});
export type Me = z.infer<typeof meSchema>;

export const memberSchema = memberSummarySchema.extend({
  status: z.enum(memberStatuses),
  createdAt: z.iso.datetime(),
  lastLoginAt: z.iso.datetime().nullable(),
});
export type MemberView = z.infer<typeof memberSchema>;

export const memberListSchema = z.object({ members: z.array(memberSchema) });

export const invitationSchema = z.object({
  invitationId: z.uuid(),
  token: z.string().describe('Shown once: send it to the invitee'),
  expiresAt: z.iso.datetime(),
});
export type InvitationView = z.infer<typeof invitationSchema>;
