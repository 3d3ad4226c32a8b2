import type { WorkflowStatus, WorkflowType } from '../enums.ts';
import { type Business, openingHours } from './business.ts';
import { emergencyWords } from './catalog.ts';
import type { JsonObject, WorkflowRow } from './types.ts';

/**
 * The five automations every demo business has. The texts the generator writes into sms_logs are
 * these templates filled in, so a workflow's config and the messages it "sent" agree.
 */
export const templates = {
  missedCall:
    "Hi {customer_name}, this is {business_name}. Sorry we missed your call! How can we help? Reply here and we'll call you right back.",
  afterHours:
    "Hi {customer_name}, thanks for calling {business_name}. We're closed right now and will call you first thing in the morning. If this is an emergency, reply URGENT and our on-call tech will call you back.",
  quote:
    'Hi {customer_name}, thanks for choosing {business_name}! Your quote for {service_type} is {quoted_amount}. Reply YES to book, or call us with any questions.',
  quoteFollowUp:
    'Hi {customer_name}, just checking in on your {service_type} quote from {business_name}. Any questions we can answer?',
  booking:
    "{business_name}: you're booked, {customer_name}! {service_type} on {appointment_date}, arrival window {arrival_window}. Reply C to confirm or R to reschedule.",
  review:
    'Thanks for choosing {business_name}, {customer_name}! Could you take 30 seconds to leave us a review? {review_link}',
  amc: 'Hi {customer_name}, {business_name} here. Join our {plan_name} for {price}/year: {benefits}. Reply JOIN to sign up or STOP to opt out.',
  followUp:
    'Hi {customer_name}, this is {business_name} following up on your request about {service_type}. When is a good time to call you?',
} as const;

const dayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const hhmm = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;

export const amcPlans = {
  plumbing: {
    plan_name: 'Plumbing Protection Plan',
    price: 179,
    benefits: ['annual whole-home plumbing inspection', 'water heater flush', '15% off repairs'],
  },
  hvac: {
    plan_name: 'Comfort Club',
    price: 199,
    benefits: ['spring AC and fall furnace tune-ups', 'priority scheduling', '15% off repairs'],
  },
  electrical: {
    plan_name: 'Safe Home Plan',
    price: 149,
    benefits: ['annual electrical safety inspection', 'surge protector check', '10% off repairs'],
  },
} as const;

/** Electricians in the demo have not switched on their maintenance offer yet. */
export const amcActive = (business: Business): boolean => business.trade !== 'electrical';

export const reviewLink = (business: Business): string =>
  `https://g.page/r/C${business.userId.replaceAll('-', '').slice(0, 14)}/review`;

export interface WorkflowCounters {
  triggered: number;
  completed: number;
}

export const emptyWorkflowCounters = (): Record<WorkflowType, WorkflowCounters> => ({
  missed_call: { triggered: 0, completed: 0 },
  offer_quote: { triggered: 0, completed: 0 },
  booking_confirmation: { triggered: 0, completed: 0 },
  review_request: { triggered: 0, completed: 0 },
  amc_offer: { triggered: 0, completed: 0 },
});

export function workflowRows(
  business: Business,
  counters: Record<WorkflowType, WorkflowCounters>,
  createdAt: string,
  updatedAt: string,
): WorkflowRow[] {
  const { rng, profile } = business;
  const businessHours: JsonObject = { timezone: profile.timezone };
  for (const [day, hours] of openingHours.entries()) {
    businessHours[dayNames[day] as string] = hours
      ? { open: hhmm(hours[0]), close: hhmm(hours[1]) }
      : null;
  }
  const amc = amcPlans[business.trade];
  const definitions: [WorkflowType, string, WorkflowStatus, JsonObject][] = [
    [
      'missed_call',
      'Missed-call text-back',
      'active',
      {
        message_template: templates.missedCall,
        delay_seconds: 60,
        business_hours: businessHours,
        after_hours_template: templates.afterHours,
        emergency_words: [...emergencyWords[business.trade]],
        once_per_caller_hours: 24,
      },
    ],
    [
      'offer_quote',
      'Quote delivery and follow-up',
      'active',
      {
        message_template: templates.quote,
        follow_up_template: templates.quoteFollowUp,
        follow_up_days: [3],
        quiet_hours: { start: '21:00', end: '08:00' },
      },
    ],
    [
      'booking_confirmation',
      'Booking confirmation',
      'active',
      {
        message_template: templates.booking,
        reminder_hours_before: 24,
        send_on_my_way: true,
      },
    ],
    [
      'review_request',
      'Google review request',
      'active',
      {
        message_template: templates.review,
        delay_hours: 24,
        review_link: reviewLink(business),
        send_to_all_customers: true,
        max_requests_per_job: 1,
      },
    ],
    [
      'amc_offer',
      `${amc.plan_name} offer`,
      amcActive(business) ? 'active' : 'draft',
      {
        message_template: templates.amc,
        plan_name: amc.plan_name,
        price: amc.price,
        benefits: [...amc.benefits],
        send_after_days: 30,
        requires_marketing_consent: true,
      },
    ],
  ];
  return definitions.map(([type, name, status, config]) => ({
    id: rng.uuid(),
    user_id: business.userId,
    workflow_name: name,
    workflow_type: type,
    ghl_workflow_id: rng.uuid(),
    config,
    status,
    total_triggered: counters[type].triggered,
    total_completed: counters[type].completed,
    created_at: createdAt,
    updated_at: updatedAt,
  }));
}
