import { formatDate, leadName } from '../ui/format.ts';

/**
 * A customer who opted out of the business’s texts (replied STOP, or asked in words): the server
 * sends them nothing until they text START, and the local core refuses to queue a text to them
 * (RECIPIENT_OPTED_OUT). What the screens say about it, worked out here so they only render it.
 */
export interface SmsOptOut {
  /** The badge next to the phone: "Opted out of texts · Nov 20, 2026". */
  badge: string;
  /** A line under the phone in the lead's details. */
  line: string;
  /** Why texting is off, where a text would be written (and the badge's tooltip). */
  explanation: string;
  /** The compose box's placeholder while texting is off. */
  placeholder: string;
}

/** Who, and whether they opted out: a lead's details and an inbox thread both carry these. */
export interface OptOutSubject {
  customerName: string | null;
  customerPhone: string;
  smsOptedOutAt: string | null;
}

/** What to show for a customer who opted out of texts; null when they may be texted. */
export function smsOptOut(subject: OptOutSubject, timeZone?: string): SmsOptOut | null {
  if (subject.smsOptedOutAt === null) return null;
  const day = formatDate(subject.smsOptedOutAt, timeZone);
  const who = leadName(subject);
  return {
    badge: `Opted out of texts · ${day}`,
    line: `Opted out of texts on ${day}`,
    explanation:
      `${who} opted out of texts on ${day}. ` +
      'They must text START to your number before you can text them.',
    placeholder: 'Texting is off for this customer',
  };
}
