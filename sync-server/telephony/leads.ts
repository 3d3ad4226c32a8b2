import { sql } from 'drizzle-orm';
import type { LeadSource } from '../../db/enums.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';

/**
 * The lead a caller's call or text belongs to: the business's newest open lead for that phone
 * (E.164 match), else a new lead. A finished job (completed or lost) is history: calling again is
 * new work, so it gets a new lead. Callers run this inside their transaction: it is serialised per
 * business and phone until that ends, so two simultaneous first calls do not make two leads
 * (`lead_for_caller`, migration 0012, which the inbound-text function shares).
 */
export async function leadForCaller(
  tx: Pick<AppDatabase, 'execute'>,
  caller: { businessId: string; phone: string; source: LeadSource },
): Promise<{ id: string; created: boolean }> {
  const [row] = await queryRows<{ lead_id: string; created: boolean }>(
    tx,
    sql`SELECT lead_id::text, created
          FROM lead_for_caller(${caller.businessId}, ${caller.phone}, ${caller.source})`,
  );
  return { id: row!.lead_id, created: row!.created };
}
