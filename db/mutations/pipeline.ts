import type { leadStatuses } from '../enums.ts';

export type LeadStatus = (typeof leadStatuses)[number];

/** The open part of the pipeline, in order. A lead moves forward through it, never back. */
const openOrder: readonly LeadStatus[] = ['new', 'contacted', 'quoted', 'booked', 'completed'];

/** The timestamp column a status stamps when a lead enters it. */
export const statusStamps: Readonly<Partial<Record<LeadStatus, string>>> = {
  contacted: 'contacted_at',
  quoted: 'quoted_at',
  booked: 'booked_at',
  completed: 'completed_at',
  lost: 'lost_at',
};

/**
 * Why the pipeline forbids moving a lead from `from` to `to`, or undefined when it allows it:
 * - forward, skipping steps if need be (a caller who books on the first call goes new → booked);
 * - to lost, with a reason, from any status but completed (a finished job is revenue, not a loss);
 * - reopening a lost lead, into any open status before completed;
 * - never backward, and never out of completed.
 */
export function pipelineForbids(from: LeadStatus, to: LeadStatus): string | undefined {
  if (from === to) return `the lead is already ${to}`;
  if (from === 'completed') return 'a completed job cannot move any more';
  if (to === 'lost') return undefined;
  if (from === 'lost') {
    return to === 'completed' ? 'reopen a lost lead before completing it' : undefined;
  }
  if (openOrder.indexOf(to) < openOrder.indexOf(from)) {
    return `a lead moves forward through the pipeline, not from ${from} back to ${to}`;
  }
  return undefined;
}
