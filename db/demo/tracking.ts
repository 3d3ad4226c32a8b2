import type { LeadSource } from '../enums.ts';
import type { Business } from './business.ts';
import { businessTemplates } from './catalog.ts';
import { HOUR, MINUTE, iso } from './time.ts';
import type { CampaignRow, TrackingNumberRow } from './types.ts';

/**
 * A demo business's Twilio numbers (`tracking_numbers`, server only). The telephony webhooks look
 * the called number up there to know the business, and a new caller's lead takes the number's
 * `lead_source`; without these rows every demo call and text would be refused.
 *
 * Which numbers: one per source the demo's leads call in from (leads.ts). A `missed_call` lead
 * starts with a missed call to the business, and `google_ads` (65%), `referral` (50%) and `website`
 * (20%) leads often start with an answered one; since the number called is what makes a caller a
 * lead of that source, each source needs its own number for the calls and the leads to agree:
 *
 * - `missed_call`: the main line (on the van, the listings); calls that are not leads ring it too.
 * - `google_ads`: the call number of the business's main search campaign (the first, always
 *   active), so `campaign_id` points at it.
 * - `website`: the number printed on the website.
 * - `referral`: the number on the referral cards customers hand on.
 *
 * Every number forwards to the business's `primary_phone` (`forward_to` null) and is active. A
 * lead's calls to the business and every text of its thread use its source's number (leads.ts);
 * outbound calls still come from `primary_phone`, as the server writes them for the desktop.
 */
export const trackingSources = [
  'missed_call',
  'google_ads',
  'website',
  'referral',
] as const satisfies readonly LeadSource[];

export type TrackingLines = Readonly<Record<(typeof trackingSources)[number], string>>;

const labels: TrackingLines = {
  missed_call: 'Main line',
  google_ads: 'Google Ads call number',
  website: 'Website',
  referral: 'Referral cards',
};

/*
 * Numbers: +1 <the business's area code> 555 0xxx, a block of four lines per business. Business
 * `index` takes template `index % templates` and its area code (business.ts), so the businesses
 * sharing an area code are counted in turn: the first 25 of each get lines in 555-0100–0199, the
 * range reserved for fictional use; later ones the rest of 555-0xxx (0200–0999, then 0000–0099).
 * The rest of the demo's phones are 555-1000–9999 (owners, suppliers, customers), so a tracking
 * number never equals another demo phone, and no two businesses ever share one. The numbers do
 * not depend on the seed: every seed gives the same ones, which is what keeps them apart.
 */
const LINES_PER_AREA_CODE = 1000;
const BLOCKS_PER_AREA_CODE = Math.floor(LINES_PER_AREA_CODE / trackingSources.length);

/** Per template: its rank among the templates with its area code, and how many have that code. */
const areaCodeShare = businessTemplates.map((template, index) => ({
  rank: businessTemplates.slice(0, index).filter((t) => t.areaCode === template.areaCode).length,
  of: businessTemplates.filter((t) => t.areaCode === template.areaCode).length,
}));

/**
 * How many businesses can have their own numbers: the first index whose block would lie past its
 * area code's 555-0xxx lines. 4,000 with the 16 templates' distinct area codes.
 */
export const maxTrackedBusinesses = Math.min(
  ...areaCodeShare.map(
    ({ rank, of }, template) =>
      Math.ceil((BLOCKS_PER_AREA_CODE - rank) / of) * businessTemplates.length + template,
  ),
);

/** The numbers of business `index`, by source. Pure: no PRNG, so leads.ts can use them early. */
export function trackingLines(index: number): TrackingLines {
  if (!Number.isInteger(index) || index < 0 || index >= maxTrackedBusinesses) {
    throw new RangeError(
      `the demo has tracking numbers for businesses 0 to ${maxTrackedBusinesses - 1}, not ${index}`,
    );
  }
  const templateIndex = index % businessTemplates.length;
  const template = businessTemplates[templateIndex];
  const share = areaCodeShare[templateIndex];
  if (!template || !share) throw new RangeError(`no business template ${templateIndex}`);
  const block = Math.floor(index / businessTemplates.length) * share.of + share.rank;
  const phone = (slot: number): string => {
    // n → line: 0–99 → 0100–0199 (the fictional range first), 100–899 → 0200–0999, 900+ → 0000–0099.
    const line = (block * trackingSources.length + slot + 100) % LINES_PER_AREA_CODE;
    return `+1${template.areaCode}555${String(line).padStart(4, '0')}`;
  };
  return {
    missed_call: phone(0),
    google_ads: phone(1),
    website: phone(2),
    referral: phone(3),
  };
}

/**
 * The rows, drawn last from the business's PRNG stream (ids only), so adding them changed no other
 * row. Set up with the account, an hour after sign-up; the Google Ads number was attached to its
 * campaign when that was created.
 */
export function trackingNumberRows(
  business: Business,
  lines: TrackingLines,
  signedUp: number,
  campaigns: readonly CampaignRow[],
): TrackingNumberRow[] {
  const adsCampaign = campaigns[0];
  return trackingSources.map((source, slot) => {
    const created = signedUp + HOUR + slot * MINUTE;
    const campaign = source === 'google_ads' ? adsCampaign : undefined;
    const updated = campaign
      ? Math.min(business.asOf, Math.max(created, Date.parse(campaign.created_at)))
      : created;
    return {
      id: business.rng.uuid(),
      user_id: business.userId,
      phone_number: lines[source],
      lead_source: source,
      campaign_id: campaign?.id ?? null,
      forward_to: null,
      label: labels[source],
      active: true,
      created_at: iso(created),
      updated_at: iso(updated),
    };
  });
}
