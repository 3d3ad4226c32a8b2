/**
 * How numbers, money, times and enum values read on screen. Money arrives as decimal text
 * ("450.00") and is only formatted, never computed with, so no float rounding sneaks in.
 */

const LOCALE = 'en-US';
const CURRENCY = 'USD';

const moneyFormat = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: CURRENCY });
const wholeMoneyFormat = new Intl.NumberFormat(LOCALE, {
  style: 'currency',
  currency: CURRENCY,
  maximumFractionDigits: 0,
});
const countFormat = new Intl.NumberFormat(LOCALE);
const percentFormat = new Intl.NumberFormat(LOCALE, {
  style: 'percent',
  maximumFractionDigits: 1,
});

const DASH = '—';

/** "450.00" → "$450.00"; null → "—". `whole` drops cents for big figures (KPI tiles). */
export function formatMoney(
  amount: string | null | undefined,
  options: { whole?: boolean } = {},
): string {
  if (amount === null || amount === undefined || amount.trim() === '') return DASH;
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  return (options.whole ? wholeMoneyFormat : moneyFormat).format(value);
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? DASH : countFormat.format(value);
}

/** A fraction as a percentage: 0.125 → "12.5%"; null (nothing to divide by) → "—". */
export function formatPercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction)
    ? DASH
    : percentFormat.format(fraction);
}

function toDate(iso: string | Date): Date | undefined {
  const date = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** "Nov 28, 2026, 9:05 AM" in the viewer's time zone. */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  const date = iso ? toDate(iso) : undefined;
  if (!date) return DASH;
  return date.toLocaleString(LOCALE, {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  });
}

export function formatDate(iso: string | null | undefined, timeZone?: string): string {
  const date = iso ? toDate(iso) : undefined;
  if (!date) return DASH;
  return date.toLocaleDateString(LOCALE, {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone,
  });
}

export function formatTime(iso: string | null | undefined, timeZone?: string): string {
  const date = iso ? toDate(iso) : undefined;
  if (!date) return DASH;
  return date.toLocaleTimeString(LOCALE, { hour: 'numeric', minute: '2-digit', timeZone });
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date: for lists scanned at a glance. */
export function formatRelative(iso: string | null | undefined, now: Date = new Date()): string {
  const date = iso ? toDate(iso) : undefined;
  if (!date) return DASH;
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < -45) {
    // Ahead of this machine's clock (another device's clock, or a scheduled time): say when.
    return seconds > -86_400 ? formatTime(iso) : formatDate(iso);
  }
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 7) return `${days} d ago`;
  return formatDate(iso);
}

/** A call's length: 0 → "0:00", 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(totalSeconds: number): string {
  const whole = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const seconds = String(whole % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** North American numbers in E.164 read as "(555) 123-4567"; anything else is shown as stored. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return DASH;
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone.trim());
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : phone;
}

/** An enum value as words: "missed_call" → "Missed call", "google_ads" → "Google Ads". */
export function humanize(value: string | null | undefined): string {
  if (!value) return DASH;
  const special = SPECIAL_WORDS[value];
  if (special) return special;
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const SPECIAL_WORDS: Record<string, string> = {
  google_ads: 'Google Ads',
  cx: 'CX',
  amc_offer: 'AMC offer',
  no_answer: 'No answer',
};

/** A lead's display name: its customer's name, or its phone when nobody gave a name. */
export function leadName(lead: { customerName: string | null; customerPhone: string }): string {
  return lead.customerName?.trim() || formatPhone(lead.customerPhone);
}

/** "1 change" / "3 changes". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
