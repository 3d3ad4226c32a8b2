import { sql } from 'drizzle-orm';
import type { LeadSource } from '../../db/enums.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';

/** One of a business's Twilio numbers: who owns it, where its callers come from, what it rings. */
export interface TrackingNumber {
  id: string;
  businessId: string;
  phoneNumber: string;
  leadSource: LeadSource;
  campaignId: string | null;
  /** The phone to forward calls to: the number's own, else the business's primary phone. */
  forwardTo: string;
  businessName: string;
  businessZone: string;
}

/** The active tracking number `phone` (E.164), or null when no business has it. */
export async function trackingNumberFor(
  db: Pick<AppDatabase, 'execute'>,
  phone: string,
): Promise<TrackingNumber | null> {
  const [row] = await queryRows<Record<string, string | null>>(
    db,
    sql`SELECT t.id::text, t.user_id::text AS business_id, t.phone_number, t.lead_source,
               t.campaign_id::text, coalesce(t.forward_to, u.primary_phone) AS forward_to,
               u.business_name, u.timezone
          FROM tracking_numbers t JOIN users u ON u.id = t.user_id
         WHERE t.phone_number = ${phone} AND t.active AND u.status = 'active'`,
  );
  if (!row) return null;
  return {
    id: row.id!,
    businessId: row.business_id!,
    phoneNumber: row.phone_number!,
    leadSource: row.lead_source as LeadSource,
    campaignId: row.campaign_id ?? null,
    forwardTo: row.forward_to!,
    businessName: row.business_name!,
    businessZone: row.timezone!,
  };
}
