import { sql } from 'drizzle-orm';
import type { LeadSource } from '../../db/enums.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';

/**
 * The lead a caller's call or text belongs to: the business's newest open lead for that phone
 * (E.164 match), else a new lead. A finished job (completed or lost) is history: calling again is
 * new work, so it gets a new lead. Callers run this inside their transaction, serialised per
 * business and phone so two simultaneous first calls do not make two leads.
 */
export async function leadForCaller(
  tx: Pick<AppDatabase, 'execute'>,
  caller: { businessId: string; phone: string; source: LeadSource },
): Promise<{ id: string; created: boolean }> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`lead:${caller.businessId}:${caller.phone}`}, 0))`,
  );
  const open = await openLeadOf(tx, caller.businessId, caller.phone);
  if (open) return { id: open, created: false };
  const [created] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO leads (user_id, customer_phone, source, status)
        VALUES (${caller.businessId}, ${caller.phone}, ${caller.source}, 'new')
        RETURNING id::text`,
  );
  return { id: created!.id, created: true };
}

/** The business's newest open lead for `phone` (not completed or lost), if it has one. */
export async function openLeadOf(
  tx: Pick<AppDatabase, 'execute'>,
  businessId: string,
  phone: string,
): Promise<string | null> {
  const [open] = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id::text FROM leads
         WHERE user_id = ${businessId} AND customer_phone = ${phone}
           AND status NOT IN ('completed', 'lost')
         ORDER BY created_at DESC LIMIT 1`,
  );
  return open?.id ?? null;
}
