import type { LeadStatus } from '../../../db/enums.ts';
import type { LeadSummary } from '../../../db/wire/desktop-views.ts';
import { call, DesktopError } from '../api/client.ts';

/**
 * The pipeline's writes, recorded in the local outbox: they show at once in every local query and
 * reach the server when it can be reached. Each throws a DesktopError when the core refuses.
 */

const now = () => new Date().toISOString();

export function asDesktopError(error: unknown): DesktopError {
  return error instanceof DesktopError ? error : new DesktopError('INTERNAL', String(error));
}

/** Moves a lead; a move to "quoted" also records the amount quoted (based on what was shown). */
export async function moveLead(
  lead: Pick<LeadSummary, 'id' | 'quotedAmount'>,
  to: LeadStatus,
  details: { lostReason?: string; quotedAmount?: string } = {},
): Promise<void> {
  await call('writes:record', {
    name: 'lead.move',
    args: {
      id: lead.id,
      to,
      at: now(),
      ...(to === 'lost' && details.lostReason ? { lostReason: details.lostReason } : {}),
    },
  });
  if (to === 'quoted' && details.quotedAmount && details.quotedAmount !== lead.quotedAmount) {
    await call('writes:record', {
      name: 'lead.update',
      args: {
        id: lead.id,
        set: { quotedAmount: details.quotedAmount },
        base: { quotedAmount: lead.quotedAmount },
      },
    });
  }
}

export async function addNote(leadId: string, body: string): Promise<void> {
  await call('writes:record', {
    name: 'lead.addNote',
    args: { id: crypto.randomUUID(), leadId, body, at: now() },
  });
}

export async function queueText(leadId: string, body: string): Promise<void> {
  await call('writes:record', {
    name: 'text.queue',
    args: { id: crypto.randomUUID(), leadId, body, at: now() },
  });
}
