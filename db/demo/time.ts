/**
 * Calendar arithmetic for the generator. Instants are epoch milliseconds (UTC); a "local" value is
 * the wall-clock time in a zone written as if it were UTC; a day is a count of days since
 * 1970-01-01. The zone's offsets come from Intl (the runtime's tz database), looked up once per
 * window and cached, so converting millions of timestamps stays cheap.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since the epoch of a `YYYY-MM-DD` date; throws on anything else or an impossible date. */
export function parseDay(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date of the form YYYY-MM-DD`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`"${date}" is not a real calendar date`);
  }
  return ms / DAY;
}

export const formatDay = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

const isoCodes = new Array<number>(24).fill(0);
const isoDays = new Map<number, number[]>();
const put = (at: number, value: number, width: number): void => {
  for (let i = width - 1; i >= 0; i--) {
    isoCodes[at + i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
};

/**
 * `Date#toISOString` as one flat string built from character codes (the date part cached per
 * day): several times faster than a Date object per timestamp, and millions are written.
 */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  let date = isoDays.get(day);
  if (!date) {
    date = Array.from(formatDay(day), (c) => c.charCodeAt(0));
    isoDays.set(day, date);
  }
  for (let i = 0; i < 10; i++) isoCodes[i] = date[i] as number;
  let rest = ms - day * DAY;
  isoCodes[10] = 84; // T
  put(11, Math.floor(rest / HOUR), 2);
  rest %= HOUR;
  isoCodes[13] = 58; // :
  put(14, Math.floor(rest / MINUTE), 2);
  rest %= MINUTE;
  isoCodes[16] = 58;
  put(17, Math.floor(rest / 1000), 2);
  isoCodes[19] = 46; // .
  put(20, rest % 1000, 3);
  isoCodes[23] = 90; // Z
  return String.fromCharCode.apply(null, isoCodes);
}

/** The same day of the month `months` later (clamped to the month's last day), as a day number. */
export function addMonths(day: number, months: number): number {
  const date = new Date(day * DAY);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)) / DAY;
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

/** 1–12. */
export const monthOf = (day: number): number => new Date(day * DAY).getUTCMonth() + 1;

export const daysInMonthOf = (day: number): number => {
  const date = new Date(day * DAY);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset in minutes at an instant, straight from Intl (slow: used sparingly). */
export function intlOffsetMinutes(timeZone: string, utcMs: number): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / MINUTE);
}

/** A time zone's offsets over a window, with its transitions found to the minute. */
export class Zone {
  private readonly initialOffset: number;
  /** Sorted: from `at` (UTC ms) on, the offset is `offset` minutes. */
  private readonly transitions: { at: number; offset: number }[] = [];

  constructor(
    readonly name: string,
    fromMs: number,
    toMs: number,
  ) {
    const step = 12 * HOUR;
    this.initialOffset = intlOffsetMinutes(name, fromMs);
    let previous = this.initialOffset;
    for (let t = fromMs + step; t <= toMs + step; t += step) {
      const offset = intlOffsetMinutes(name, t);
      if (offset === previous) continue;
      // The change happened in (t - step, t]: narrow it down to the minute.
      let low = t - step;
      let high = t;
      while (high - low > MINUTE) {
        const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
        if (intlOffsetMinutes(name, mid) === previous) low = mid;
        else high = mid;
      }
      this.transitions.push({ at: high, offset });
      previous = offset;
    }
  }

  /** Minutes to add to UTC to get local wall-clock time. */
  offsetAt(utcMs: number): number {
    let offset = this.initialOffset;
    for (const transition of this.transitions) {
      if (utcMs < transition.at) break;
      offset = transition.offset;
    }
    return offset;
  }

  toLocal(utcMs: number): number {
    return utcMs + this.offsetAt(utcMs) * MINUTE;
  }

  /** The instant showing this wall-clock time (in a spring-forward gap: the hour after). */
  toUtc(localMs: number): number {
    const guess = localMs - this.offsetAt(localMs) * MINUTE;
    return localMs - this.offsetAt(guess) * MINUTE;
  }

  /** The local calendar day (days since the epoch) an instant falls on. */
  localDay(utcMs: number): number {
    return Math.floor(this.toLocal(utcMs) / DAY);
  }

  /** Local hour of day, 0–23. */
  localHour(utcMs: number): number {
    return Math.floor((this.toLocal(utcMs) % DAY) / HOUR);
  }

  /** The instant of a wall-clock time on a local day. */
  at(day: number, localMsOfDay: number): number {
    return this.toUtc(day * DAY + localMsOfDay);
  }
}
