import type { Message } from '../../../../db/wire/desktop-views.ts';

/**
 * The inbox's pure logic: how a message's delivery reads, which day it belongs to, how many SMS
 * segments a draft costs, and how a just-sent message shows before the core's answer includes it.
 */

export type DeliveryTone = 'pending' | 'neutral' | 'success' | 'danger';

export interface Delivery {
  label: string;
  tone: DeliveryTone;
  /** A longer explanation for the title/tooltip. */
  detail?: string;
}

/** How a message's delivery state reads under its bubble. */
export function deliveryOf(
  message: Pick<Message, 'status' | 'pending' | 'errorMessage'>,
): Delivery {
  switch (message.status) {
    case 'queued':
      return message.pending
        ? {
            label: 'Queued — sends when online',
            tone: 'pending',
            detail: 'Saved on this desktop; it goes out once the server has it.',
          }
        : { label: 'Queued', tone: 'pending', detail: 'Accepted; waiting for the carrier.' };
    case 'sent':
      return { label: 'Sent', tone: 'neutral' };
    case 'delivered':
      return { label: 'Delivered', tone: 'success' };
    case 'failed':
      return {
        label: message.errorMessage ? `Failed: ${message.errorMessage}` : 'Failed',
        tone: 'danger',
        detail: message.errorMessage ?? 'The carrier could not deliver this text.',
      };
    case 'replied':
      return { label: 'Replied', tone: 'success' };
    case 'received':
      return { label: 'Received', tone: 'neutral' };
  }
}

/** The local calendar day of an ISO time, YYYY-MM-DD. */
export function localDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso.slice(0, 10);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export interface DayGroup<T> {
  day: string;
  items: T[];
}

/** Messages oldest first, grouped by day (a separator per day in the conversation). */
export function groupByDay<T extends { at: string }>(
  items: readonly T[],
  dayOf: (iso: string) => string = localDay,
): DayGroup<T>[] {
  const sorted = [...items].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const groups: DayGroup<T>[] = [];
  for (const item of sorted) {
    const day = dayOf(item.at);
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

/**
 * Texts written here whose row the core has not shown yet (the answer to the write may come before
 * the re-read): shown after the thread's own messages until a message with the same id arrives.
 */
export function withOutgoing(
  messages: readonly Message[],
  outgoing: readonly Message[],
): Message[] {
  if (outgoing.length === 0) return [...messages];
  const known = new Set(messages.map((m) => m.id));
  return [...messages, ...outgoing.filter((m) => !known.has(m.id))];
}

// The GSM 03.38 basic character set (plus its extension table, which costs two septets).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

export interface Segments {
  /** How many SMS the body is billed as (0 for an empty body). */
  count: number;
  /** Characters still free in the last segment. */
  remaining: number;
  encoding: 'GSM-7' | 'UCS-2';
}

/** How many SMS segments a body takes: 160/153 GSM-7 characters, or 70/67 once any is not. */
export function smsSegments(body: string): Segments {
  let septets = 0;
  let gsm = true;
  for (const ch of body) {
    if (GSM_BASIC.includes(ch)) septets += 1;
    else if (GSM_EXTENDED.includes(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    if (septets === 0) return { count: 0, remaining: 160, encoding: 'GSM-7' };
    if (septets <= 160) return { count: 1, remaining: 160 - septets, encoding: 'GSM-7' };
    const count = Math.ceil(septets / 153);
    return { count, remaining: count * 153 - septets, encoding: 'GSM-7' };
  }
  // UCS-2 counts UTF-16 code units: an emoji takes two.
  const units = body.length;
  if (units <= 70) return { count: 1, remaining: 70 - units, encoding: 'UCS-2' };
  const count = Math.ceil(units / 67);
  return { count, remaining: count * 67 - units, encoding: 'UCS-2' };
}

/** Two letters for an avatar: "Maria Lopez" → "ML"; a phone number → "#". */
export function initials(name: string | null): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '#';
  const first = words[0]?.[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
