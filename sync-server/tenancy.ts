import { sql } from 'drizzle-orm';
import type { AppDatabase } from '../db/postgres/client.ts';

export interface TenantTransactionOptions {
  /** Reads that must agree with each other (a log position and the rows behind it). */
  isolationLevel?: 'read committed' | 'repeatable read';
}

/**
 * Runs `work` in one transaction as the business `tenantId`: the role `fieldline_tenant`, whose
 * row-level security policies (migration 0004) show only this business's rows, and UTC so
 * timestamps read back in one form. This is the second layer: queries still filter by tenant
 * themselves. Server paths that are not a tenant's request (login, webhooks) use the database
 * directly.
 */
export async function withTenant<T>(
  db: AppDatabase,
  tenantId: string,
  work: (tx: AppDatabase) => Promise<T>,
  options: TenantTransactionOptions = {},
): Promise<T> {
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`SELECT set_config('fieldline.tenant_id', ${tenantId}, true),
                                  set_config('role', 'fieldline_tenant', true),
                                  set_config('TimeZone', 'UTC', true),
                                  set_config('DateStyle', 'ISO, MDY', true)`);
      return work(tx);
    },
    { isolationLevel: options.isolationLevel ?? 'read committed' },
  );
}
