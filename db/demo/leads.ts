import type {
  CallStatus,
  Direction,
  LeadSource,
  LeadStatus,
  LeadUrgency,
  PipelineStage,
  WorkflowType,
} from '../enums.ts';
import { type Business, centsToMoney, displayMoney, fill } from './business.ts';
import {
  callerAreaCodes,
  confirmationReplies,
  emergencyWords,
  lostReasons,
  missedCallReplies,
  quoteReplies,
  reviewReplies,
  smsFailures,
} from './catalog.ts';
import { weightTable } from './random.ts';
import { DAY, HOUR, MINUTE, iso, weekday } from './time.ts';
import type { TrackingLines } from './tracking.ts';
import type { CallLogRow, DemoData, LeadRow, SmsLogRow } from './types.ts';
import {
  type WorkflowCounters,
  amcActive,
  amcPlans,
  emptyWorkflowCounters,
  reviewLink,
  templates,
} from './workflows.ts';

/**
 * One lead's life, simulated: how it arrived (a missed call, an ad call or form, a referral, the
 * website), the calls and texts around it, and how far it got — contacted, quoted, booked,
 * completed, or lost with a reason — before the clock stops at `asOf`. Every stage is stamped
 * after the previous one, and every row that would lie in the future is left out.
 */

/** What the day-by-day roll-ups and the agents need to know about what happened. */
export interface Ledger {
  generated: number[];
  contacted: number[];
  quoted: number[];
  booked: number[];
  completed: number[];
  lost: number[];
  /** Cents. */
  revenue: number[];
  lostReasons: { day: number; reason: string }[];
  textBacks: {
    leadId: string;
    callId: string;
    smsId: string;
    at: number;
    afterHours: boolean;
    error: string | null;
  }[];
  replies: {
    leadId: string;
    smsId: string;
    at: number;
    text: string;
    emergencyWords: string[];
  }[];
  reviewRequests: { leadId: string; smsId: string; at: number; error: string | null }[];
  amcOffers: { leadId: string; smsId: string; at: number; error: string | null }[];
  workflows: Record<WorkflowType, WorkflowCounters>;
}

export const emptyLedger = (days: number): Ledger => ({
  generated: new Array<number>(days).fill(0),
  contacted: new Array<number>(days).fill(0),
  quoted: new Array<number>(days).fill(0),
  booked: new Array<number>(days).fill(0),
  completed: new Array<number>(days).fill(0),
  lost: new Array<number>(days).fill(0),
  revenue: new Array<number>(days).fill(0),
  lostReasons: [],
  textBacks: [],
  replies: [],
  reviewRequests: [],
  amcOffers: [],
  workflows: emptyWorkflowCounters(),
});

interface PlannedCall {
  at: number;
  end: number;
  direction: Direction;
  status: CallStatus;
  duration: number;
}

interface PlannedText {
  at: number;
  direction: Direction;
  text: string;
  /** Index of the planned text this one answers. */
  replyTo?: number;
  error?: string;
  kind?: WorkflowType;
  afterHours?: boolean;
}

const missedStatuses = weightTable<CallStatus>([
  ['no_answer', 55],
  ['voicemail', 35],
  ['busy', 10],
]);
const unansweredStatuses = weightTable<CallStatus>([
  ['no_answer', 50],
  ['voicemail', 40],
  ['busy', 7],
  ['failed', 3],
]);
const lossAfterContact: Record<LeadUrgency, number> = { high: 0.07, medium: 0.14, low: 0.24 };
const bookingRate: Record<LeadUrgency, number> = { high: 0.82, medium: 0.6, low: 0.45 };
const weekdayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const monthNames = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

export function pipelineStageFor(
  status: LeadStatus,
  quotedAt: number | undefined,
  asOf: number,
  quoteAnswered: boolean,
): PipelineStage {
  switch (status) {
    case 'new':
      return 'lead';
    case 'contacted':
      return 'opportunity';
    case 'quoted':
      // A quote the customer has answered, or that has sat for two days, is being negotiated.
      return quoteAnswered || (quotedAt !== undefined && asOf - quotedAt > 2 * DAY)
        ? 'negotiation'
        : 'proposal';
    case 'booked':
    case 'completed':
    case 'lost':
      return 'closed';
  }
}

export class LeadSimulator {
  private readonly recordingPrefix: string;
  private readonly reviewLink: string;

  constructor(
    private readonly business: Business,
    private readonly data: DemoData,
    private readonly ledger: Ledger,
    /** The business's tracking numbers: a lead calls and texts the one of its source. */
    private readonly lines: TrackingLines,
  ) {
    this.recordingPrefix = `https://api.twilio.com/2010-04-01/Accounts/${business.accountSid}/Recordings/RE`;
    this.reviewLink = reviewLink(business);
  }

  private get rng() {
    return this.business.rng;
  }

  private seconds(min: number, max: number): number {
    return this.rng.int(min, max) * 1000;
  }

  /** Outbound call attempts until one is answered (or three are not). */
  private reach(
    start: number,
    urgency: LeadUrgency,
    calls: PlannedCall[],
  ): { contactedAt: number | undefined; lastTry: number } {
    const { rng } = this;
    const answerRates = [0.6, 0.45, 0.35];
    let at = urgency === 'high' ? start : this.business.nextOpen(start);
    for (let attempt = 0; attempt < answerRates.length; attempt++) {
      if (rng.chance(answerRates[attempt] ?? 0)) {
        const duration = rng.int(90, 600);
        calls.push({
          at,
          end: at + duration * 1000,
          direction: 'outbound',
          status: 'answered',
          duration,
        });
        return { contactedAt: at + this.seconds(5, 20), lastTry: at };
      }
      const status = rng.weighted(unansweredStatuses);
      const duration = status === 'voicemail' ? rng.int(20, 45) : 0;
      calls.push({
        at,
        end: at + (status === 'failed' ? 1 : rng.int(15, 30) + duration) * 1000,
        direction: 'outbound',
        status,
        duration,
      });
      if (attempt === answerRates.length - 1) return { contactedAt: undefined, lastTry: at };
      const wait =
        urgency === 'high'
          ? rng.int(20, 90) * MINUTE
          : rng.int(3, 26) * HOUR + rng.int(0, 59) * MINUTE;
      at = this.business.nextOpen(at + wait);
    }
    return { contactedAt: undefined, lastTry: at };
  }

  /** An answered inbound call that opens a lead: the caller is talking to the office at once. */
  private answeredInbound(at: number, calls: PlannedCall[]): number {
    const ring = this.rng.int(4, 18);
    const duration = this.rng.int(60, 540);
    calls.push({
      at,
      end: at + (ring + duration) * 1000,
      direction: 'inbound',
      status: 'answered',
      duration,
    });
    return at + ring * 1000;
  }

  simulate(day: number, source: LeadSource): void {
    const business = this.business;
    const { rng, profile, asOf } = business;
    const service = business.pickService(day);
    const urgency = rng.weighted(service.urgency);
    const description = rng.pick(service.template.descriptions);
    const returning = business.customers.length >= 20 && rng.chance(0.12);
    const customer = returning ? rng.pick(business.customers) : business.customer();
    const created = business.leadTime(day, urgency === 'high');
    const calls: PlannedCall[] = [];
    const texts: PlannedText[] = [];
    const high = urgency === 'high';

    let contactedAt: number | undefined;
    let lastTry = created;
    let nameKnown = returning || source !== 'missed_call';

    switch (source) {
      case 'missed_call': {
        const status = rng.weighted(missedStatuses);
        const ring = rng.int(12, 35);
        const message = status === 'voicemail' ? rng.int(8, 75) : 0;
        calls.push({
          at: created - (ring + message) * 1000,
          end: created,
          direction: 'inbound',
          status,
          duration: message,
        });
        // The missed-call workflow texts back after its 60-second delay.
        const textAt = created + 60_000;
        const afterHours = !business.isOpen(created);
        const failed = rng.chance(0.04);
        texts.push({
          at: textAt,
          direction: 'outbound',
          kind: 'missed_call',
          afterHours,
          text: fill(afterHours ? templates.afterHours : templates.missedCall, {
            customer_name: returning ? customer.firstName : 'there',
            business_name: profile.businessName,
          }),
          ...(failed ? { error: rng.pick(smsFailures) } : {}),
        });
        if (!failed && rng.chance(0.62)) {
          const replyAt = textAt + rng.int(1, 25) * MINUTE + this.seconds(0, 59);
          texts.push({
            at: replyAt,
            direction: 'inbound',
            replyTo: 0,
            text: fill(rng.pick(missedCallReplies), { description }),
          });
          nameKnown = true;
          const callAt = high
            ? replyAt + rng.int(2, 15) * MINUTE
            : business.nextOpen(replyAt + rng.int(2, 15) * MINUTE);
          const duration = rng.int(90, 600);
          calls.push({
            at: callAt,
            end: callAt + duration * 1000,
            direction: 'outbound',
            status: 'answered',
            duration,
          });
          contactedAt = callAt + this.seconds(5, 20);
          lastTry = callAt;
        } else {
          ({ contactedAt, lastTry } = this.reach(
            created + rng.int(5, 30) * MINUTE,
            urgency,
            calls,
          ));
        }
        break;
      }
      case 'google_ads':
      case 'website':
      case 'referral': {
        const callsIn = { google_ads: 0.65, website: 0.2, referral: 0.5 }[source];
        if (rng.chance(callsIn)) {
          contactedAt = this.answeredInbound(created, calls);
          lastTry = created;
        } else {
          // A form or an introduction: the office calls them.
          const delay = high ? rng.int(2, 15) * MINUTE : rng.int(5, 90) * MINUTE;
          ({ contactedAt, lastTry } = this.reach(created + delay, urgency, calls));
          const firstCall = calls[0];
          if (firstCall && firstCall.status !== 'answered' && rng.chance(0.5)) {
            texts.push({
              at: (firstCall?.end ?? created) + rng.int(1, 5) * MINUTE,
              direction: 'outbound',
              text: fill(templates.followUp, {
                customer_name: customer.firstName,
                business_name: profile.businessName,
                service_type: service.template.name.toLowerCase(),
              }),
            });
          }
        }
        break;
      }
    }

    let quotedAt: number | undefined;
    let bookedAt: number | undefined;
    let completedAt: number | undefined;
    let lostAt: number | undefined;
    let lostReason: string | undefined;
    let quotedCents: number | undefined;
    let actualCents: number | undefined;
    let quoteAnswerAt: number | undefined;

    if (contactedAt === undefined) {
      lostAt = business.nextOpen(lastTry + rng.int(1, 3) * DAY);
      lostReason = rng.pick(lostReasons.unreached);
    } else if (rng.chance(lossAfterContact[urgency])) {
      lostAt = business.nextOpen(contactedAt + rng.int(2 * 60, 72 * 60) * MINUTE);
      lostReason = rng.pick(lostReasons.contacted);
    } else {
      quotedAt =
        urgency === 'high'
          ? contactedAt + rng.int(10, 60) * MINUTE
          : urgency === 'medium'
            ? business.nextOpen(contactedAt + rng.int(3 * 60, 48 * 60) * MINUTE)
            : business.nextOpen(contactedAt + rng.int(24 * 60, 120 * 60) * MINUTE);
      const [low, highPrice] = service.template.price;
      const dollars = Math.exp(rng.range(Math.log(low), Math.log(highPrice)));
      quotedCents = Math.max(500, Math.round(dollars / 5) * 500);
      const quoteText = texts.length;
      const quoteFailed = rng.chance(0.02);
      texts.push({
        at: quotedAt + rng.int(1, 4) * MINUTE,
        direction: 'outbound',
        kind: 'offer_quote',
        text: fill(templates.quote, {
          customer_name: customer.firstName,
          business_name: profile.businessName,
          service_type: service.template.name.toLowerCase(),
          quoted_amount: displayMoney(quotedCents),
        }),
        ...(quoteFailed ? { error: rng.pick(smsFailures) } : {}),
      });
      const quoteSentAt = quotedAt + 5 * MINUTE;

      if (rng.chance(bookingRate[urgency])) {
        bookedAt =
          urgency === 'high'
            ? quotedAt + rng.int(5, 40) * MINUTE
            : urgency === 'medium'
              ? business.nextOpen(quotedAt + rng.int(60, 72 * 60) * MINUTE)
              : business.nextOpen(quotedAt + rng.int(24 * 60, 168 * 60) * MINUTE);
        if (!quoteFailed && bookedAt - quoteSentAt > 15 * MINUTE && rng.chance(0.45)) {
          quoteAnswerAt = bookedAt - rng.int(2, 10) * MINUTE;
          texts.push({
            at: quoteAnswerAt,
            direction: 'inbound',
            replyTo: quoteText,
            text: rng.pick(quoteReplies),
          });
        }
        const appointment =
          urgency === 'high'
            ? bookedAt + rng.int(30, 180) * MINUTE
            : urgency === 'medium'
              ? this.appointment(bookedAt + rng.int(1, 6) * DAY)
              : this.appointment(bookedAt + rng.int(3, 21) * DAY);
        const confirmation = texts.length;
        const confirmationAt = bookedAt + rng.int(1, 3) * MINUTE;
        const confirmationFailed = rng.chance(0.02);
        texts.push({
          at: confirmationAt,
          direction: 'outbound',
          kind: 'booking_confirmation',
          text: fill(templates.booking, {
            business_name: profile.businessName,
            customer_name: customer.firstName,
            service_type: service.template.name.toLowerCase(),
            appointment_date: this.dayLabel(appointment),
            arrival_window: this.arrivalWindow(appointment),
          }),
          ...(confirmationFailed ? { error: rng.pick(smsFailures) } : {}),
        });
        if (!confirmationFailed && rng.chance(0.35)) {
          texts.push({
            at: confirmationAt + rng.int(5, 120) * MINUTE,
            direction: 'inbound',
            replyTo: confirmation,
            text: rng.pick(confirmationReplies),
          });
        }
        if (rng.chance(0.95)) {
          completedAt = appointment + rng.int(45, 240) * MINUTE;
          actualCents = Math.round((quotedCents * rng.range(0.92, 1.22)) / 100) * 100;
          if (appointment - bookedAt > 2 * HOUR && rng.chance(0.4)) {
            // "On my way": the technician calls ahead.
            const at = appointment - rng.int(20, 50) * MINUTE;
            const duration = rng.int(20, 90);
            calls.push({
              at,
              end: at + duration * 1000,
              direction: 'outbound',
              status: 'answered',
              duration,
            });
          }
          this.afterJob(completedAt, customer.firstName, texts);
        } else {
          lostAt = Math.min(appointment, bookedAt + rng.int(2 * 60, 48 * 60) * MINUTE);
          lostReason = rng.pick(lostReasons.booked);
        }
      } else {
        lostAt = business.nextOpen(quotedAt + rng.int(3 * 24, 30 * 24) * HOUR);
        lostReason = rng.pick(lostReasons.quoted);
        const followUpAt = business.daytime(quotedAt + 3 * DAY);
        if (followUpAt < lostAt && !quoteFailed) {
          texts.push({
            at: followUpAt,
            direction: 'outbound',
            kind: 'offer_quote',
            text: fill(templates.quoteFollowUp, {
              customer_name: customer.firstName,
              service_type: service.template.name.toLowerCase(),
              business_name: profile.businessName,
            }),
          });
        }
      }
    }

    // The clock stops at asOf: whatever lies later has not happened (yet).
    const seen = (t: number | undefined): number | undefined =>
      t !== undefined && t <= asOf ? t : undefined;
    const contacted = seen(contactedAt);
    const quoted = contacted === undefined ? undefined : seen(quotedAt);
    const booked = quoted === undefined ? undefined : seen(bookedAt);
    const completed = booked === undefined ? undefined : seen(completedAt);
    const lost = seen(lostAt);
    const status: LeadStatus =
      lost !== undefined
        ? 'lost'
        : completed !== undefined
          ? 'completed'
          : booked !== undefined
            ? 'booked'
            : quoted !== undefined
              ? 'quoted'
              : contacted !== undefined
                ? 'contacted'
                : 'new';
    const updated = Math.max(
      created,
      contacted ?? 0,
      quoted ?? 0,
      booked ?? 0,
      completed ?? 0,
      lost ?? 0,
    );

    const leadId = rng.uuid();
    const lead: LeadRow = {
      id: leadId,
      user_id: business.userId,
      customer_phone: customer.phone,
      customer_name: nameKnown || contacted !== undefined ? customer.name : null,
      customer_email:
        customer.email !== null && (source === 'website' || contacted !== undefined)
          ? customer.email
          : null,
      customer_address: contacted !== undefined || source === 'website' ? customer.address : null,
      source,
      service_type: service.template.name,
      urgency,
      description,
      status,
      pipeline_stage: pipelineStageFor(
        status,
        quoted,
        asOf,
        quoteAnswerAt !== undefined && quoteAnswerAt <= asOf,
      ),
      quoted_amount:
        quoted !== undefined && quotedCents !== undefined ? centsToMoney(quotedCents) : null,
      actual_amount:
        completed !== undefined && actualCents !== undefined ? centsToMoney(actualCents) : null,
      ghl_contact_id: rng.alnum(20),
      ghl_opportunity_id: contacted !== undefined ? rng.alnum(20) : null,
      created_at: iso(created),
      updated_at: iso(updated),
      contacted_at: contacted === undefined ? null : iso(contacted),
      quoted_at: quoted === undefined ? null : iso(quoted),
      booked_at: booked === undefined ? null : iso(booked),
      completed_at: completed === undefined ? null : iso(completed),
      lost_at: lost === undefined ? null : iso(lost),
      lost_reason: lost === undefined ? null : (lostReason ?? null),
      sms_opted_out_at: null,
    };
    this.data.leads.push(lead);

    const ledger = this.ledger;
    const count = (series: number[], t: number | undefined): void => {
      if (t === undefined) return;
      const index = business.dayIndex(t);
      series[index] = (series[index] ?? 0) + 1;
    };
    count(ledger.generated, created);
    count(ledger.contacted, contacted);
    count(ledger.quoted, quoted);
    count(ledger.booked, booked);
    count(ledger.completed, completed);
    count(ledger.lost, lost);
    if (completed !== undefined && actualCents !== undefined) {
      const index = business.dayIndex(completed);
      ledger.revenue[index] = (ledger.revenue[index] ?? 0) + actualCents;
    }
    if (lost !== undefined && lostReason !== undefined) {
      ledger.lostReasons.push({ day: business.dayIndex(lost), reason: lostReason });
    }

    // A referral or website customer calls the number they were given, an ad's caller the ad's:
    // the number is what made the lead this source (tracking.ts). The thread's texts use it too.
    const line = this.lines[source];
    const callIds = this.writeCalls(leadId, customer.phone, line, calls);
    this.writeTexts(leadId, customer.phone, line, texts, callIds[0], description, urgency);
  }

  /** Appointments start on the hour, 8:00–15:00 local, Monday–Saturday. */
  private appointment(utcMs: number): number {
    const { zone } = this.business;
    let day = zone.localDay(utcMs);
    if (weekday(day) === 0) day += 1;
    return zone.at(day, this.rng.int(8, 15) * HOUR);
  }

  private dayLabel(utcMs: number): string {
    const day = this.business.zone.localDay(utcMs);
    const date = new Date(day * DAY);
    return `${weekdayNames[weekday(day)] ?? ''} ${monthNames[date.getUTCMonth()] ?? ''} ${date.getUTCDate()}`;
  }

  private arrivalWindow(utcMs: number): string {
    const hour = this.business.zone.localHour(utcMs);
    const label = (h: number) => `${h > 12 ? h - 12 : h}${h >= 12 ? 'pm' : 'am'}`;
    return `${label(hour)}-${label(hour + 2)}`;
  }

  /** Review request a day or two after the job (to every customer), and maybe the AMC offer. */
  private afterJob(completedAt: number, name: string, texts: PlannedText[]): void {
    const { rng, profile } = this.business;
    const reviewAt = this.business.daytime(completedAt + rng.int(24 * 60, 48 * 60) * MINUTE);
    const review = texts.length;
    const failed = rng.chance(0.02);
    texts.push({
      at: reviewAt,
      direction: 'outbound',
      kind: 'review_request',
      text: fill(templates.review, {
        business_name: profile.businessName,
        customer_name: name,
        review_link: this.reviewLink,
      }),
      ...(failed ? { error: rng.pick(smsFailures) } : {}),
    });
    if (!failed && rng.chance(0.3)) {
      texts.push({
        at: reviewAt + rng.int(10, 600) * MINUTE,
        direction: 'inbound',
        replyTo: review,
        text: rng.pick(reviewReplies),
      });
    }
    if (amcActive(this.business) && rng.chance(0.35)) {
      const plan = amcPlans[this.business.trade];
      texts.push({
        at: this.business.daytime(completedAt + rng.int(30, 45) * DAY),
        direction: 'outbound',
        kind: 'amc_offer',
        text: fill(templates.amc, {
          customer_name: name,
          business_name: profile.businessName,
          plan_name: plan.plan_name,
          price: `$${plan.price}`,
          benefits: plan.benefits.join(', '),
        }),
      });
    }
  }

  /**
   * Inbound calls ring `line` (a tracking number); outbound ones come from the office's primary
   * phone, as the server writes the calls a desktop logs.
   */
  private writeCalls(
    leadId: string | null,
    customerPhone: string,
    line: string,
    calls: PlannedCall[],
  ): string[] {
    const { rng, profile, asOf } = this.business;
    const ids: string[] = [];
    for (const call of calls) {
      if (call.end > asOf) continue;
      const id = rng.uuid();
      ids.push(id);
      const answered = call.status === 'answered';
      const inbound = call.direction === 'inbound';
      this.data.call_logs.push({
        id,
        user_id: this.business.userId,
        lead_id: leadId,
        caller_phone: inbound ? customerPhone : profile.primaryPhone,
        called_phone: inbound ? line : customerPhone,
        call_status: call.status,
        call_direction: call.direction,
        call_duration: call.duration,
        recording_url: answered ? rng.hex(32, this.recordingPrefix, '.mp3') : null,
        recording_duration: answered ? Math.max(0, call.duration - rng.int(0, 4)) : null,
        ghl_call_id: rng.chance(0.7) ? rng.alnum(20) : null,
        created_at: iso(call.at),
        ended_at: iso(call.end),
      } satisfies CallLogRow);
    }
    return ids;
  }

  /** Texts go through Twilio, so both ways they use `line`, the tracking number of the thread. */
  private writeTexts(
    leadId: string,
    customerPhone: string,
    line: string,
    texts: PlannedText[],
    firstCallId: string | undefined,
    description: string,
    urgency: LeadUrgency,
  ): void {
    const { rng, asOf } = this.business;
    const ledger = this.ledger;
    const rows: (SmsLogRow | undefined)[] = [];
    for (const text of texts) {
      if (text.at > asOf) {
        rows.push(undefined);
        continue;
      }
      const outbound = text.direction === 'outbound';
      const id = rng.uuid();
      const failed = text.error !== undefined;
      // A few carriers never send a delivery receipt: the text stays "sent".
      const receipt = outbound && !failed && rng.chance(0.99);
      const parent = text.replyTo === undefined ? undefined : rows[text.replyTo];
      const row: SmsLogRow = {
        id,
        user_id: this.business.userId,
        lead_id: leadId,
        direction: text.direction,
        from_phone: outbound ? line : customerPhone,
        to_phone: outbound ? customerPhone : line,
        message_text: text.text,
        status: outbound ? (failed ? 'failed' : receipt ? 'delivered' : 'sent') : 'received',
        error_message: text.error ?? null,
        reply_to_sms_id: parent?.id ?? null,
        provider: 'twilio',
        provider_message_id: rng.hex(32, 'SM'),
        created_at: iso(text.at),
        delivered_at: outbound
          ? receipt
            ? iso(text.at + rng.int(2, 9) * 1000)
            : null
          : iso(text.at),
        replied_at: null,
      };
      if (parent) {
        parent.status = 'replied';
        parent.replied_at = row.created_at;
        if (parent.delivered_at === null)
          parent.delivered_at = iso(Date.parse(parent.created_at) + 3000);
      }
      rows.push(row);
      this.data.sms_logs.push(row);

      if (text.kind) {
        const counter = ledger.workflows[text.kind];
        counter.triggered++;
        if (!failed) counter.completed++;
      }
      switch (text.kind) {
        case 'missed_call':
          if (firstCallId !== undefined) {
            ledger.textBacks.push({
              leadId,
              callId: firstCallId,
              smsId: id,
              at: text.at,
              afterHours: text.afterHours ?? false,
              error: text.error ?? null,
            });
          }
          break;
        case 'review_request':
          ledger.reviewRequests.push({ leadId, smsId: id, at: text.at, error: text.error ?? null });
          break;
        case 'amc_offer':
          ledger.amcOffers.push({ leadId, smsId: id, at: text.at, error: text.error ?? null });
          break;
        case 'offer_quote':
        case 'booking_confirmation':
        case undefined:
          break;
      }
      if (!outbound && text.replyTo === 0 && texts[0]?.kind === 'missed_call') {
        const lower = `${text.text} ${urgency === 'high' ? description : ''}`.toLowerCase();
        ledger.replies.push({
          leadId,
          smsId: id,
          at: text.at,
          text: text.text,
          emergencyWords: emergencyWords[this.business.trade].filter((w) => lower.includes(w)),
        });
      }
    }
  }

  /** Calls that are not leads: robocalls and wrong numbers on the main line, the supply house. */
  noise(day: number): void {
    const { rng, zone, profile } = this.business;
    const count = rng.poisson(0.35 * this.business.volume);
    for (let i = 0; i < count; i++) {
      const at = zone.at(day, rng.int(8 * 60, 18 * 60) * MINUTE + this.seconds(0, 59));
      const kind = rng.float();
      const stranger = `+1${rng.pick(callerAreaCodes)}555${rng.int(2000, 9999)}`;
      if (kind < 0.6) {
        const duration = rng.int(5, 25);
        this.writeCalls(null, stranger, this.lines.missed_call, [
          { at, end: at + duration * 1000, direction: 'inbound', status: 'answered', duration },
        ]);
      } else if (kind < 0.8) {
        this.writeCalls(null, stranger, this.lines.missed_call, [
          {
            at,
            end: at + rng.int(5, 20) * 1000,
            direction: 'inbound',
            status: 'no_answer',
            duration: 0,
          },
        ]);
      } else {
        const duration = rng.int(60, 300);
        const supplier = `+1${profile.areaCode}555${rng.int(1000, 1999)}`;
        this.writeCalls(null, supplier, this.lines.missed_call, [
          { at, end: at + duration * 1000, direction: 'outbound', status: 'answered', duration },
        ]);
      }
    }
  }
}
