import { z } from 'zod';
import { memberRoles, userStatuses } from '../enums.ts';

/**
 * The accounts API's answers as both ends read them: the sync server writes and documents them
 * (sync-server/auth), the desktop's local core reads them when it signs in and refreshes.
 */

export const memberSummarySchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(memberRoles),
});

export const businessSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(userStatuses),
  /** The business's own number (E.164): the desktop shows it, and it is the sender of its texts. */
  primaryPhone: z.string(),
});

export const authResultSchema = z.object({
  accessToken: z.string().describe('JWT for `Authorization: Bearer`; short-lived'),
  refreshToken: z.string().describe('Single use: each refresh returns the next one'),
  accessTokenExpiresAt: z.iso.datetime(),
  member: memberSummarySchema,
  business: businessSummarySchema,
});
export type AuthResult = z.infer<typeof authResultSchema>;
