import type { WorkflowType } from '../../../../db/enums.ts';

/** What each kind of workflow does, in a line. */
export const workflowInfo: Record<WorkflowType, string> = {
  missed_call: 'Texts a missed caller back within a minute',
  offer_quote: 'Sends the quote and follows up until it is answered',
  booking_confirmation: 'Confirms the booking and reminds the day before',
  review_request: 'Asks a happy customer for a Google review',
  amc_offer: 'Offers an annual maintenance contract after a job',
};

/** completed / triggered as a fraction (capped at 1); null before it ever triggered. */
export function completionRate(workflow: { triggered: number; completed: number }): number | null {
  if (workflow.triggered <= 0) return null;
  return Math.min(1, Math.max(0, workflow.completed / workflow.triggered));
}
