import { e164Pattern } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import { areaCodeLocation, type AreaCodeLocation } from './area-codes.ts';

/** Whole local hours; `start` is the first allowed hour, `end` the first refused one. */
export interface SendingWindow {
  start: number;
  end: number;
}

export interface QuietHoursDecision {
  /** The text may go out at `now`. */
  allowed: boolean;
  /** `now` when allowed, else the earliest instant at which the window is open in every zone. */
  sendAt: Date;
  window: SendingWindow;
  /** The recipient's possible clocks: all of them must be inside the window. */
  zones: string[];
  /** 'CT', 'FL', 'ON', …; null when the number does not say where its recipient lives. */
  region: string | null;
  rule: 'federal' | 'state';
}

/** TCPA: no texts before 8:00 or from 21:00 on, in the recipient's local time. */
const federalWindow: SendingWindow = { start: 8, end: 21 };

/** States whose own telemarketing laws shut the window earlier (and Connecticut's opens later). */
const stateWindows: Readonly<Record<string, SendingWindow>> = {
  CT: { start: 9, end: 20 },
  FL: { start: 8, end: 20 },
  MD: { start: 8, end: 20 },
  MS: { start: 8, end: 20 },
  NJ: { start: 8, end: 20 },
  OK: { start: 8, end: 20 },
};

/**
 * May a text go to `toE164` at `now`, and if not, when? Where the recipient lives is read from the
 * area code; a number that does not say (toll-free, unassigned, outside the US and Canada) is taken
 * to be in `defaultZone`, the business's own, under the federal rule.
 */
export function quietHoursDecision(
  toE164: string,
  now: Date,
  defaultZone: string,
): QuietHoursDecision {
  const from = now.getTime();
  if (Number.isNaN(from)) {
    throw new AppError('VALIDATION_FAILED', 'Quiet hours need a valid current time.');
  }
  assertTimeZone(defaultZone);
  const location = recipientLocation(toE164);
  const zones = location ? [...location.zones] : [defaultZone];
  const region = location?.region ?? null;
  const stateWindow = region === null ? undefined : stateWindows[region];
  const window = stateWindow ?? federalWindow;
  const sendAt = earliestOpenInstant(zones, window, from);
  return {
    allowed: sendAt === from,
    sendAt: new Date(sendAt),
    window: { ...window },
    zones,
    region,
    rule: stateWindow ? 'state' : 'federal',
  };
}

const e164 = new RegExp(e164Pattern);
const nanp = /^\+1([2-9]\d{2})\d{7}$/;

function recipientLocation(toE164: string): AreaCodeLocation | undefined {
  if (!e164.test(toE164)) {
    throw new AppError(
      'INVALID_PHONE',
      `"${toE164}" is not an E.164 phone number ("+", the country code, then the number: 7 to 15 digits).`,
    );
  }
  if (!toE164.startsWith('+1')) return undefined;
  const areaCode = nanp.exec(toE164)?.[1];
  if (areaCode === undefined) {
    throw new AppError(
      'INVALID_PHONE',
      `"${toE164}" is not a North American number: +1 takes a 10-digit number whose area code starts with 2-9.`,
    );
  }
  return areaCodeLocation(areaCode);
}

function assertTimeZone(zone: string): void {
  try {
    formatterFor(zone);
  } catch (cause) {
    throw new AppError('VALIDATION_FAILED', `"${zone}" is not an IANA time zone.`, { cause });
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function earliestOpenInstant(zones: string[], window: SendingWindow, from: number): number {
  let candidate = from;
  // No instant before a closed zone's next opening can be open everywhere, so jumping to the latest
  // opening skips nothing; zones an hour or three apart agree within a pass or two.
  for (let pass = 0; pass < 8; pass++) {
    const opening = Math.max(...zones.map((zone) => nextOpening(zone, window, candidate)));
    if (opening === candidate) return candidate;
    candidate = opening;
  }
  throw new AppError(
    'INTERNAL',
    `The ${window.start}:00–${window.end}:00 window never opens at once in ${zones.join(', ')}.`,
  );
}

/** The earliest instant from `from` on at which `zone`'s clock is inside the window. */
function nextOpening(zone: string, window: SendingWindow, from: number): number {
  const wall = wallClock(zone, from);
  const hour = new Date(wall).getUTCHours();
  if (hour >= window.start && hour < window.end) return from;
  const localMidnight = wall - modulo(wall, DAY);
  const openingDay = hour < window.start ? localMidnight : localMidnight + DAY;
  return firstInstantAtOrAfter(zone, openingDay + window.start * HOUR);
}

/**
 * The first instant whose wall-clock time in `zone` is `wall` or later: the earlier of the two on a
 * fall-back day, the moment of the jump when a spring-forward skips `wall`.
 */
function firstInstantAtOrAfter(zone: string, wall: number): number {
  // The offsets a day either side are the only ones a clock change near `wall` can involve.
  const offsets = [wall - DAY, wall + DAY].map((instant) => wallClock(zone, instant) - instant);
  const exact = offsets
    .map((offset) => wall - offset)
    .filter((instant) => wallClock(zone, instant) === wall);
  if (exact.length > 0) return Math.min(...exact);
  let before = wall - Math.max(...offsets);
  let after = wall - Math.min(...offsets);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClock(zone, middle) >= wall) after = middle;
    else before = middle;
  }
  return after;
}

/** `instant`'s wall-clock time in `zone`, as milliseconds since the epoch of a UTC calendar. */
function wallClock(zone: string, instant: number): number {
  const parts = formatterFor(zone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((candidate) => candidate.type === type)?.value);
  const wholeSeconds = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wholeSeconds + modulo(instant, 1000);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
