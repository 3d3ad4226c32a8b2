/**
 * A whole `leads` row in Postgres text format, as the server sends it in a shape message: every
 * column, with `overrides` on top. For tests that feed the replica's apply path directly.
 */
export function leadText(
  id: string,
  businessId: string,
  overrides: Record<string, string | null> = {},
): Record<string, string | null> {
  return {
    id,
    user_id: businessId,
    customer_phone: '+15125550101',
    customer_name: null,
    customer_email: null,
    customer_address: null,
    source: 'missed_call',
    service_type: null,
    urgency: null,
    description: null,
    status: 'new',
    pipeline_stage: null,
    quoted_amount: null,
    actual_amount: null,
    ghl_contact_id: null,
    ghl_opportunity_id: null,
    created_at: '2026-11-27 11:37:41.123456-06',
    updated_at: '2026-11-27 11:37:41.123456-06',
    contacted_at: null,
    quoted_at: null,
    booked_at: null,
    completed_at: null,
    lost_at: null,
    lost_reason: null,
    sms_opted_out_at: null,
    ...overrides,
  };
}
