import type { LeadUrgency, PlanName } from '../enums.ts';
import {
  type BusinessTemplate,
  type ServiceTemplate,
  type Trade,
  businessNamePrefixes,
  businessTemplates,
  callerAreaCodes,
  emailDomains,
  firstNames,
  lastNames,
  services,
  streetNames,
  streetSuffixes,
  tradeNameSuffixes,
  tradeServiceTypes,
  urgencyOrder,
} from './catalog.ts';
import { type Random, type WeightTable, weightTable } from './random.ts';
import { DAY, HOUR, MINUTE, type Zone, monthOf, weekday } from './time.ts';

/** Opening hours used for the workflows' config and for when people call back: Mon–Sat. */
export const openingHours: readonly (readonly [number, number] | null)[] = [
  null, // Sunday: closed (emergencies still get a call back)
  [7, 19],
  [7, 19],
  [7, 19],
  [7, 19],
  [7, 19],
  [8, 14],
];

/** The simulated clock stops at this local hour of `today`: nothing later exists. */
export const AS_OF_HOUR = 18;

export interface Customer {
  name: string;
  firstName: string;
  phone: string;
  email: string | null;
  address: string;
}

export interface ServiceChoice {
  template: ServiceTemplate;
  urgency: WeightTable<LeadUrgency>;
}

const hourWeights = [
  0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3, 5, 6, 6, 5.5, 5, 5, 5, 4.5, 4, 3.5, 2.5, 2, 1.5, 1, 0.6,
  0.3,
];
const normalHours = weightTable(hourWeights.map((w, hour) => [hour, w] as const));
const emergencyHours = weightTable(hourWeights.map((w, hour) => [hour, w + 1.2] as const));
const planTable = weightTable<PlanName>([
  ['Basic', 4],
  ['Pro', 5],
  ['Enterprise', 2],
]);

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** The business a demo index stands for: a template, or a made-up one beyond the templates. */
export function businessProfile(index: number, rng: Random): BusinessTemplate {
  const template = businessTemplates[index];
  if (template) return template;
  const base = businessTemplates[index % businessTemplates.length] as BusinessTemplate;
  const round = Math.floor(index / businessTemplates.length);
  const trade = rng.pick<Trade>(['plumbing', 'hvac', 'electrical']);
  const businessName = `${rng.pick(businessNamePrefixes)} ${rng.pick(tradeNameSuffixes[trade])}`;
  const first = rng.pick(firstNames);
  const last = rng.pick(lastNames);
  return {
    businessName,
    ownerName: `${first} ${last}`,
    email: `${slug(first)}.${slug(last)}@${slug(businessName)}${index}.com`,
    primaryPhone: `+1${base.areaCode}555${String(1000 + (round % 9000)).padStart(4, '0')}`,
    trade,
    serviceTypes: [...tradeServiceTypes[trade]],
    address: `${rng.int(100, 9800)} ${rng.pick(streetNames)} ${rng.pick(streetSuffixes)}`,
    city: base.city,
    state: base.state,
    zipCode: base.zipCode,
    areaCode: base.areaCode,
    timezone: base.timezone,
    serviceArea: `${base.city}, ${base.state} - ${rng.pick([20, 25, 30, 40])} mile radius`,
    yearsInBusiness: rng.int(1, 35),
    licenseNumber: `${base.state}-${rng.digits(6)}`,
    plan: rng.weighted(planTable),
    size: Math.round(rng.range(0.6, 1.5) * 100) / 100,
  };
}

/** Relative demand for the trade in a month (1 = an average month). */
export function seasonFactor(trade: Trade, month: number): number {
  switch (trade) {
    case 'hvac':
      return [1.2, 1.05, 0.85, 0.8, 0.95, 1.3, 1.5, 1.45, 1.1, 0.8, 0.95, 1.15][month - 1] ?? 1;
    case 'plumbing':
      return [1.25, 1.15, 1, 0.95, 0.95, 0.95, 1, 1, 0.95, 0.95, 1, 1.15][month - 1] ?? 1;
    case 'electrical':
      return [0.95, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.1, 1, 0.95, 0.95, 1][month - 1] ?? 1;
  }
}

const weekdayFactors = [0.55, 1.15, 1.08, 1.05, 1.05, 1, 0.75];

/**
 * Everything one business's generation shares: its profile, its own PRNG stream, its zone and the
 * clock (`asOf`, 18:00 local on `today`), and the window of days the demo covers.
 */
export class Business {
  readonly trade: Trade;
  readonly serviceChoices: readonly ServiceChoice[];
  readonly customers: Customer[] = [];
  /** Twilio account SID, shared by the business's recordings. */
  readonly accountSid: string;

  constructor(
    readonly index: number,
    readonly rng: Random,
    readonly profile: BusinessTemplate,
    readonly zone: Zone,
    readonly userId: string,
    /** First and last local day of the window (inclusive). */
    readonly startDay: number,
    readonly endDay: number,
    readonly asOf: number,
    /** Multiplier of lead and ad volume (scale below 1 shrinks each business). */
    readonly volume: number,
  ) {
    this.trade = profile.trade;
    this.serviceChoices = services[profile.trade].map((template) => ({
      template,
      urgency: weightTable(urgencyOrder.map((u, i) => [u, template.urgency[i] ?? 0] as const)),
    }));
    this.accountSid = `AC${rng.hex(32)}`;
  }

  get dayCount(): number {
    return this.endDay - this.startDay + 1;
  }

  /** Index of the window day an instant falls on, in the business's zone. */
  dayIndex(utcMs: number): number {
    return this.zone.localDay(utcMs) - this.startDay;
  }

  /** How busy a day is relative to an average one: season, weekday and a year of growth. */
  demand(day: number): number {
    const growth = 0.85 + (0.3 * (day - this.startDay)) / Math.max(1, this.dayCount - 1);
    return seasonFactor(this.trade, monthOf(day)) * (weekdayFactors[weekday(day)] ?? 1) * growth;
  }

  isOpen(utcMs: number): boolean {
    const local = this.zone.toLocal(utcMs);
    const hours = openingHours[weekday(Math.floor(local / DAY))];
    if (!hours) return false;
    const hour = (local % DAY) / HOUR;
    return hour >= hours[0] && hour < hours[1];
  }

  /** The instant itself if the office is open then, else a few minutes after it next opens. */
  nextOpen(utcMs: number): number {
    if (this.isOpen(utcMs)) return utcMs;
    const local = this.zone.toLocal(utcMs);
    let day = Math.floor(local / DAY);
    for (let i = 0; i < 8; i++, day++) {
      const hours = openingHours[weekday(day)];
      if (!hours) continue;
      const opens = day * DAY + hours[0] * HOUR;
      if (local < opens) return this.zone.toUtc(opens + this.rng.int(0, 50) * MINUTE);
    }
    return utcMs;
  }

  /** A time in the recipients' daytime (10:00–19:00 local, quiet hours respected) at or after. */
  daytime(utcMs: number): number {
    const local = this.zone.toLocal(utcMs);
    const hour = (local % DAY) / HOUR;
    if (hour >= 10 && hour < 19) return utcMs;
    const day = Math.floor(local / DAY) + (hour >= 19 ? 1 : 0);
    return this.zone.toUtc(day * DAY + 10 * HOUR + this.rng.int(0, 180) * MINUTE);
  }

  /** When on a local day a lead arrives; on `today` only before the clock stops. */
  leadTime(day: number, emergency: boolean): number {
    const table = emergency ? emergencyHours : normalHours;
    let hour = this.rng.weighted(table);
    if (day === this.endDay) {
      while (hour >= AS_OF_HOUR) hour = this.rng.weighted(table);
    }
    const ms = hour * HOUR + this.rng.int(0, 3599) * 1000;
    return this.zone.at(day, ms);
  }

  pickService(day: number): ServiceChoice {
    const month = monthOf(day);
    const summer = month >= 5 && month <= 9;
    const winter = month >= 11 || month <= 2;
    let total = 0;
    const weights = this.serviceChoices.map(({ template }) => {
      let w = template.weight;
      if (template.season === 'summer') w *= summer ? 2.5 : 0.4;
      if (template.season === 'winter') w *= winter ? 2.5 : 0.4;
      total += w;
      return w;
    });
    let target = this.rng.float() * total;
    for (const [i, w] of weights.entries()) {
      target -= w;
      if (target < 0) return this.serviceChoices[i] as ServiceChoice;
    }
    return this.serviceChoices[this.serviceChoices.length - 1] as ServiceChoice;
  }

  /** A new customer, remembered so that they can come back for another job. */
  customer(): Customer {
    const rng = this.rng;
    const first = rng.pick(firstNames);
    const last = rng.pick(lastNames);
    const areaCode = rng.chance(0.85) ? this.profile.areaCode : rng.pick(callerAreaCodes);
    const email = rng.chance(0.45)
      ? `${slug(first)}.${slug(last)}${rng.chance(0.5) ? rng.int(1, 99) : ''}@${rng.pick(emailDomains)}`
      : null;
    const zip = `${this.profile.zipCode.slice(0, 3)}${String(rng.int(1, 99)).padStart(2, '0')}`;
    const customer: Customer = {
      name: `${first} ${last}`,
      firstName: first,
      phone: `+1${areaCode}555${rng.int(2000, 9999)}`,
      email,
      address: `${rng.int(100, 9899)} ${rng.pick(streetNames)} ${rng.pick(streetSuffixes)}, ${this.profile.city}, ${this.profile.state} ${zip}`,
    };
    this.customers.push(customer);
    return customer;
  }
}

export const centsToMoney = (cents: number): string => {
  const whole = Math.floor(cents / 100);
  const fraction = cents - whole * 100;
  return `${whole}.${fraction < 10 ? '0' : ''}${fraction}`;
};

/** "$1,234" (whole dollars) or "$1,234.50". */
export const displayMoney = (cents: number): string => {
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = cents % 100;
  return fraction === 0 ? `$${whole}` : `$${whole}.${String(fraction).padStart(2, '0')}`;
};

const templateParts = new Map<string, string[]>();

/**
 * Fills `{placeholders}` of a workflow template (unknown ones are kept). The template is split
 * once; joining the parts gives one flat string per message.
 */
export function fill(template: string, values: Record<string, string>): string {
  let parts = templateParts.get(template);
  if (!parts) {
    // Odd indexes are placeholder names: "a {x} b" → ["a ", "x", " b"].
    parts = template.split(/\{(\w+)\}/);
    templateParts.set(template, parts);
  }
  const out = parts.slice();
  for (let i = 1; i < out.length; i += 2) {
    const key = out[i] as string;
    out[i] = values[key] ?? `{${key}}`;
  }
  return out.join('');
}
