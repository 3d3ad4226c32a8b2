import { sql } from 'drizzle-orm';
import type { CallStatus, LeadSource, TwilioCallStatus } from '../../db/enums.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { advances, callOutcome, isMissed } from './call-outcome.ts';
import { leadForCaller } from './leads.ts';
import { type TrackingNumber, trackingNumberFor } from './tracking-numbers.ts';

/** One of Twilio's callbacks about an inbound call, already validated. */
export type CallEvent =
  | { kind: 'status'; status: TwilioCallStatus; sequence: number | null; duration: number | null }
  | { kind: 'dial'; dialStatus: string; dialDuration: number | null }
  | { kind: 'recording'; recordingUrl: string; recordingDuration: number | null };

/** The call a callback is about; the parties are absent from recording callbacks. */
export type CallIdentity =
  | {
      callSid: string;
      /** The caller, E.164. */ from: string;
      /** The number called. */ to: string;
    }
  | { callSid: string; from?: undefined; to?: undefined };

/** What recording a callback did, for the caller of recordCallEvent (the missed-call follow-up). */
export interface CallRecorded {
  callSid: string;
  /** The caller, E.164. */
  callerPhone: string;
  callLogId: string;
  leadId: string;
  businessId: string;
  status: CallStatus;
  /** This callback turned the call into a missed one (it was not known to be missed before). */
  becameMissed: boolean;
  /** The lead was created for this call (the caller was not an open lead of the business). */
  leadCreated: boolean;
  trackingNumber: TrackingNumber;
}

interface StoredCall extends Record<string, unknown> {
  call_log_id: string;
  lead_id: string | null;
  provider_status: TwilioCallStatus;
  last_sequence: number;
  dial_status: string | null;
  call_status: CallStatus;
  has_recording: boolean;
  called_phone: string;
  caller_phone: string;
}

/**
 * Applies one callback about an inbound call in one transaction, serialised per CallSid: the call
 * is one call_logs row (with its Twilio side in provider_calls) in its latest known state, whatever
 * repeats or arrives out of order. The row appears once the outcome is known (answered or missed),
 * with the caller's open lead or a new one. Returns null when the number called is not one of a
 * business's tracking numbers, or nothing is decided yet.
 */
export async function recordCallEvent(
  db: AppDatabase,
  call: CallIdentity,
  event: CallEvent,
): Promise<CallRecorded | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${call.callSid}, 0))`);
    const [stored] = await queryRows<StoredCall>(
      tx,
      sql`SELECT p.call_log_id::text, c.lead_id::text, p.provider_status, p.last_sequence,
                 p.dial_status, c.call_status, c.recording_url IS NOT NULL AS has_recording,
                 c.called_phone, c.caller_phone
            FROM provider_calls p JOIN call_logs c ON c.id = p.call_log_id
           WHERE p.call_sid = ${call.callSid}`,
    );
    if (stored && stored.lead_id === null) return null; // the lead was deleted since
    // A recording callback names no number: the call must be known by then (its Dial action
    // came first, which offered the voicemail).
    const called = call.to ?? stored?.called_phone;
    if (called === undefined) return null;
    const tracking = await trackingNumberFor(tx, called);
    if (!tracking) return null;

    let providerStatus = stored?.provider_status ?? null;
    let lastSequence = stored?.last_sequence ?? -1;
    let dialStatus = stored?.dial_status ?? null;
    let hasRecording = stored?.has_recording ?? false;
    switch (event.kind) {
      case 'status':
        // A replay (same SequenceNumber) or a late, older status changes nothing.
        if (event.sequence !== null && event.sequence <= lastSequence) break;
        if (advances(providerStatus, event.status)) providerStatus = event.status;
        lastSequence = Math.max(lastSequence, event.sequence ?? lastSequence);
        break;
      case 'dial':
        dialStatus = event.dialStatus;
        break;
      case 'recording':
        hasRecording = true;
        break;
    }
    const status = callOutcome({ providerStatus, dialStatus, hasRecording });
    if (status === null) return null;
    const duration = durationOf(event, dialStatus);

    if (!stored) {
      if (call.from === undefined) return null;
      const lead = await leadForCaller(tx, {
        businessId: tracking.businessId,
        phone: call.from,
        source: sourceOf(tracking, status),
      });
      const [created] = await queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO call_logs (user_id, lead_id, caller_phone, called_phone, call_status,
                                   call_direction, call_duration, recording_url,
                                   recording_duration, ended_at)
            VALUES (${tracking.businessId}, ${lead.id}, ${call.from}, ${called}, ${status},
                    'inbound', ${duration ?? 0},
                    ${event.kind === 'recording' ? event.recordingUrl : null},
                    ${event.kind === 'recording' ? event.recordingDuration : null}, now())
            RETURNING id::text`,
      );
      await tx.execute(
        sql`INSERT INTO provider_calls (call_sid, user_id, call_log_id, provider_status,
                                        last_sequence, dial_status)
            VALUES (${call.callSid}, ${tracking.businessId}, ${created!.id},
                    ${providerStatus ?? 'in-progress'}, ${lastSequence}, ${dialStatus})`,
      );
      return {
        callSid: call.callSid,
        callerPhone: call.from,
        callLogId: created!.id,
        leadId: lead.id,
        businessId: tracking.businessId,
        status,
        becameMissed: isMissed(status),
        leadCreated: lead.created,
        trackingNumber: tracking,
      };
    }

    await tx.execute(
      sql`UPDATE provider_calls
             SET provider_status = ${providerStatus ?? stored.provider_status},
                 last_sequence = ${lastSequence}, dial_status = ${dialStatus}
           WHERE call_sid = ${call.callSid}`,
    );
    await tx.execute(
      sql`UPDATE call_logs
             SET call_status = ${status},
                 call_duration = coalesce(${duration}::int, call_duration),
                 recording_url = coalesce(${event.kind === 'recording' ? event.recordingUrl : null}, recording_url),
                 recording_duration = coalesce(${event.kind === 'recording' ? event.recordingDuration : null}::int, recording_duration)
           WHERE id = ${stored.call_log_id}::uuid
             AND (call_status IS DISTINCT FROM ${status}
                  OR ${duration}::int IS NOT NULL OR ${event.kind === 'recording'})`,
    );
    return {
      callSid: call.callSid,
      callerPhone: stored.caller_phone,
      callLogId: stored.call_log_id,
      leadId: stored.lead_id!,
      businessId: tracking.businessId,
      status,
      becameMissed: isMissed(status) && !isMissed(stored.call_status),
      leadCreated: false,
      trackingNumber: tracking,
    };
  });
}

/**
 * The seconds to record: the forwarded leg's when someone answered (the customer's conversation),
 * else the parent call's (ringing and voicemail). A parent duration arriving after an answered
 * Dial does not replace the conversation's.
 */
function durationOf(event: CallEvent, dialStatus: string | null): number | null {
  if (event.kind === 'dial') {
    return event.dialStatus === 'completed' || event.dialStatus === 'answered'
      ? event.dialDuration
      : null;
  }
  if (event.kind === 'status' && dialStatus !== 'completed' && dialStatus !== 'answered') {
    return event.duration;
  }
  return null;
}

/** A new caller's lead source: a missed call is a missed-call lead, else the number's source. */
const sourceOf = (tracking: TrackingNumber, status: CallStatus): LeadSource =>
  isMissed(status) ? 'missed_call' : tracking.leadSource;
