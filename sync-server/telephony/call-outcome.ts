import type { CallStatus, TwilioCallStatus } from '../../db/enums.ts';

/*
 * How Twilio's callbacks about one inbound call become the seed's call_status. A call to a
 * tracking number is forwarded with <Dial>: the forwarded leg's outcome (DialCallStatus, sent to
 * the Dial action URL) says whether anyone answered; the parent call's own status only says the
 * caller's line ended. Callbacks repeat and arrive in any order, so the outcome is recomputed from
 * everything known so far, never from the last callback alone.
 */

/** What is known of a call so far. */
export interface CallFacts {
  /** The parent call's CallStatus, as far as it has progressed. */
  providerStatus: TwilioCallStatus | null;
  /** The forwarded leg's DialCallStatus, once the Dial action was requested. */
  dialStatus: string | null;
  /** A voicemail was recorded (the caller left a message after the missed forward). */
  hasRecording: boolean;
}

const progress: Record<TwilioCallStatus, number> = {
  queued: 0,
  initiated: 1,
  ringing: 2,
  'in-progress': 3,
  completed: 4,
  busy: 4,
  failed: 4,
  'no-answer': 4,
  canceled: 4,
};

export const isFinalStatus = (status: TwilioCallStatus): boolean => progress[status] === 4;

/**
 * Whether a status callback moves the call forward: a status never goes back (ringing after
 * completed is a late delivery), and a final status is not replaced by another final one.
 */
export function advances(current: TwilioCallStatus | null, next: TwilioCallStatus): boolean {
  if (current === null) return true;
  return progress[next] > progress[current];
}

/** The call's outcome in the seed's terms, or null while nothing decides it yet. */
export function callOutcome(facts: CallFacts): CallStatus | null {
  const missed = (why: CallStatus): CallStatus => (facts.hasRecording ? 'voicemail' : why);
  const dialed =
    facts.dialStatus !== null && Object.hasOwn(dialOutcome, facts.dialStatus)
      ? dialOutcome[facts.dialStatus]
      : undefined;
  if (dialed) return dialed === 'answered' ? dialed : missed(dialed);
  // No Dial outcome (yet): the parent call's end is all there is. A completed call whose forward
  // was never decided ended before anyone answered; a later Dial action refines it.
  const ended = facts.providerStatus ? parentOutcome[facts.providerStatus] : null;
  if (ended) return missed(ended);
  return facts.hasRecording ? 'voicemail' : null;
}

/** The forwarded leg's DialCallStatus → the call's outcome (voicemail aside). */
const dialOutcome: Record<string, CallStatus> = {
  completed: 'answered',
  answered: 'answered',
  busy: 'busy',
  failed: 'failed',
  'no-answer': 'no_answer',
  canceled: 'no_answer',
};

/** The parent call's final CallStatus, when no Dial outcome is known, → a missed call's kind. */
const parentOutcome: Record<TwilioCallStatus, CallStatus | null> = {
  queued: null,
  initiated: null,
  ringing: null,
  'in-progress': null,
  completed: 'no_answer',
  'no-answer': 'no_answer',
  canceled: 'no_answer',
  busy: 'busy',
  failed: 'failed',
};

/** A missed call: the caller reached nobody (they may have left a voicemail). */
export const isMissed = (status: CallStatus | null): boolean =>
  status !== null && status !== 'answered';
