import type { AgentName, AgentResult } from '../enums.ts';
import type { AdsOutcome } from './ads.ts';
import type { Business } from './business.ts';
import type { Ledger } from './leads.ts';
import { DAY, HOUR, MINUTE, formatDay, iso, weekday } from './time.ts';
import type { AiAgentLogRow, DemoData, JsonObject } from './types.ts';

/**
 * What the five agents did over the year, derived from the generated facts: the monitor's daily
 * check of yesterday's numbers and the anomalies it finds, the diagnostic's breakdown of each
 * anomaly and its weekly funnel review, the optimizing agent's bid changes (ending at each
 * keyword's current max_cpc) and pauses, the cx agent's missed-call texts and reply suggestions,
 * and the retention agent's review requests and maintenance offers.
 */

const dollars = (cents: number): number => Math.round(cents) / 100;
const round2 = (value: number): number => Math.round(value * 100) / 100;

const negativeKeywords = [
  'free',
  'diy',
  'jobs',
  'salary',
  'training',
  'how to',
  'youtube',
  'cheap',
];
const apiFailures = [
  'Google Ads API: RESOURCE_EXHAUSTED (daily operations quota reached); retried next run',
  'Google Ads API: CONCURRENT_MODIFICATION on the ad group; retried next run',
];
const suggestions = [
  "Thanks for the details! We can have a technician out today. What's the service address?",
  'Sorry to hear that. Our next opening is tomorrow morning between 8 and 10, would that work?',
  "Got it, we'll call you in a few minutes to get you scheduled.",
];

interface LogOptions {
  result?: AgentResult;
  message?: string | null;
  impact?: JsonObject | null;
  /** Milliseconds the action took. */
  took?: number;
}

export function generateAgentLogs(
  business: Business,
  ledger: Ledger,
  ads: AdsOutcome,
  data: DemoData,
): void {
  const { rng, zone, asOf, startDay } = business;
  const days = business.dayCount;

  const log = (
    agent: AgentName,
    actionType: string,
    at: number,
    actionData: JsonObject,
    options: LogOptions = {},
  ): void => {
    if (at > asOf) return;
    const result = options.result ?? 'success';
    const done = Math.min(asOf, at + (options.took ?? rng.int(1, 8) * 1000));
    const row: AiAgentLogRow = {
      id: rng.uuid(),
      user_id: business.userId,
      agent_name: agent,
      action_type: actionType,
      action_data: actionData,
      result,
      result_message: options.message ?? null,
      estimated_impact: options.impact ?? null,
      created_at: iso(at),
      completed_at: result === 'pending' ? null : iso(done),
    };
    data.ai_agent_logs.push(row);
  };

  // ---- monitor + diagnostic: yesterday's numbers against the trailing 28 days, every morning.
  const window = 28;
  for (let i = 1; i < days; i++) {
    const checkAt = zone.at(startDay + i, 6 * HOUR + 5 * MINUTE);
    const y = i - 1;
    const leads = ledger.generated[y] ?? 0;
    const spend = ads.spend[y] ?? 0;
    const clicks = ads.clicks[y] ?? 0;
    let baseSpend = 0;
    let baseLeads = 0;
    let baseClicks = 0;
    for (let j = Math.max(0, y - window); j < y; j++) {
      baseSpend += ads.spend[j] ?? 0;
      baseLeads += ledger.generated[j] ?? 0;
      baseClicks += ads.clicks[j] ?? 0;
    }
    const baseDays = Math.min(window, y);
    const cpl = leads > 0 ? spend / leads : null;
    const baseCpl = baseLeads > 0 ? baseSpend / baseLeads : null;
    const anomalies: string[] = [];
    if (
      baseDays >= 14 &&
      baseCpl !== null &&
      cpl !== null &&
      cpl > 2.2 * baseCpl &&
      spend >= 5000
    ) {
      anomalies.push('cpl_spike');
    }
    if (baseDays >= 14 && leads === 0 && spend >= 8000 && baseLeads / baseDays >= 2) {
      anomalies.push('zero_leads');
    }
    const date = formatDay(startDay + y);
    log(
      'monitor',
      'daily_health_check',
      checkAt,
      {
        date,
        leads_generated: leads,
        leads_booked: ledger.booked[y] ?? 0,
        leads_lost: ledger.lost[y] ?? 0,
        ad_spend: dollars(spend),
        revenue: dollars(ledger.revenue[y] ?? 0),
        cpl: cpl === null ? null : round2(cpl / 100),
        anomalies,
      },
      {
        message: `${date}: ${leads} leads, ${ledger.booked[y] ?? 0} booked, $${dollars(spend)} spent${anomalies.length > 0 ? `; flagged ${anomalies.join(', ')}` : ''}`,
      },
    );
    for (const anomaly of anomalies) {
      const value = anomaly === 'cpl_spike' ? round2((cpl ?? 0) / 100) : 0;
      const baseline =
        anomaly === 'cpl_spike' ? round2((baseCpl ?? 0) / 100) : round2(baseLeads / baseDays);
      log(
        'monitor',
        'detect_anomaly',
        checkAt + MINUTE,
        {
          metric: anomaly === 'cpl_spike' ? 'cpl' : 'leads_generated',
          kind: anomaly,
          date,
          value,
          baseline,
          method: 'trailing 28-day mean, minimum 14 days of history',
          threshold: anomaly === 'cpl_spike' ? '2.2x baseline' : 'zero with spend >= $80',
        },
        {
          message:
            anomaly === 'cpl_spike'
              ? `CPL $${value} on ${date} is ${round2(value / Math.max(0.01, baseline))}x the 28-day baseline ($${baseline})`
              : `No leads on ${date} despite $${dollars(spend)} of ad spend (baseline ${baseline} leads/day)`,
          impact: {
            cpl_change_pct: anomaly === 'cpl_spike' ? round2((value / baseline - 1) * 100) : 100,
          },
        },
      );
      // Diagnostic: CPL = CPC / lead rate, so its change splits into a CPC part and a lead-rate part.
      const cpc = clicks > 0 ? spend / clicks : 0;
      const baseCpc = baseClicks > 0 ? baseSpend / baseClicks : 0;
      const rate = clicks > 0 ? leads / clicks : 0;
      const baseRate = baseClicks > 0 ? baseLeads / baseClicks : 0;
      const cpcPart = cpc > 0 && baseCpc > 0 ? Math.log(cpc / baseCpc) : 0;
      const ratePart = rate > 0 && baseRate > 0 ? -Math.log(rate / baseRate) : 1;
      const total = Math.abs(cpcPart) + Math.abs(ratePart) || 1;
      const cpcShare = Math.round((Math.abs(cpcPart) / total) * 100);
      log(
        'diagnostic',
        'diagnose_cpl_change',
        checkAt + 15 * MINUTE,
        {
          date,
          cpl: value,
          baseline_cpl: anomaly === 'cpl_spike' ? baseline : round2((baseCpl ?? 0) / 100),
          cpc: round2(cpc / 100),
          baseline_cpc: round2(baseCpc / 100),
          lead_rate: round2(rate * 100),
          baseline_lead_rate: round2(baseRate * 100),
          explained_by: { cpc_pct: cpcShare, lead_rate_pct: 100 - cpcShare },
          top_cause: cpcShare >= 50 ? 'cpc' : 'lead_rate',
        },
        {
          message:
            cpcShare >= 50
              ? `Higher cost per click explains ${cpcShare}% of the change: check impression share lost to rank`
              : `A lower lead rate explains ${100 - cpcShare}% of the change: check unanswered calls and the landing page`,
          impact: { cpl_change: round2(value - baseline) },
          took: rng.int(20, 90) * 1000,
        },
      );
    }

    // diagnostic: the week's funnel, every Monday morning.
    if (weekday(startDay + i) === 1 && i >= 7) {
      const from = i - 7;
      const sum = (series: number[]) => series.slice(from, i).reduce((a, b) => a + b, 0);
      const reasons = new Map<string, number>();
      for (const lost of ledger.lostReasons) {
        if (lost.day >= from && lost.day < i)
          reasons.set(lost.reason, (reasons.get(lost.reason) ?? 0) + 1);
      }
      const top = [...reasons.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([reason, count]) => ({ reason, count }));
      const generated = sum(ledger.generated);
      const booked = sum(ledger.booked);
      log(
        'diagnostic',
        'weekly_funnel_review',
        checkAt + HOUR,
        {
          week_start: formatDay(startDay + from),
          leads_generated: generated,
          leads_contacted: sum(ledger.contacted),
          leads_quoted: sum(ledger.quoted),
          leads_booked: booked,
          leads_completed: sum(ledger.completed),
          leads_lost: sum(ledger.lost),
          revenue: dollars(sum(ledger.revenue)),
          ad_spend: dollars(sum(ads.spend)),
          top_lost_reasons: top,
        },
        {
          message: `Week of ${formatDay(startDay + from)}: ${generated} leads, ${booked} booked`,
          took: rng.int(10, 40) * 1000,
        },
      );
    }

    // retention: churn-risk scan every Sunday evening.
    if (weekday(startDay + i) === 0) {
      const completedSoFar = ledger.completed.slice(0, i).reduce((a, b) => a + b, 0);
      const atRisk = Math.round(completedSoFar * rng.range(0.05, 0.1));
      log(
        'retention',
        'churn_risk_scan',
        zone.at(startDay + i, 20 * HOUR),
        {
          customers_scanned: completedSoFar,
          at_risk: atRisk,
          signals: ['no job in 12 months', 'unanswered messages', 'review not left'],
        },
        { message: `${atRisk} of ${completedSoFar} past customers flagged for a check-in` },
      );
    }
  }

  // ---- optimizing: bid changes walking back from today's max_cpc, pauses, negative keywords.
  for (const campaign of ads.campaigns) {
    if (campaign.spec.type !== 'search') continue;
    const campaignId = campaign.row.id;
    const googleId = campaign.row.campaign_id;
    const targetCpa = round2(campaign.cpc / 0.12);
    for (const { row: keyword, pausedAt } of campaign.keywords) {
      const created = Date.parse(keyword.created_at);
      const lastChange = Math.min(campaign.stoppedAt ?? asOf, asOf) - DAY;
      if (keyword.status === 'active' && lastChange > created) {
        const changes = Array.from({ length: rng.int(0, 3) }, () =>
          zone.at(
            zone.localDay(created + Math.floor(rng.float() * (lastChange - created))) + 1,
            5 * HOUR,
          ),
        ).sort((a, b) => a - b);
        let value = Math.round(Number(keyword.max_cpc) * 100);
        for (let j = changes.length - 1; j >= 0; j--) {
          const at = changes[j] as number;
          const raise = rng.chance((keyword.quality_score ?? 5) >= 7 ? 0.6 : 0.4);
          const pct = (raise ? 1 : -1) * rng.int(5, 10);
          const failed = rng.chance(0.04);
          const before = failed ? value : Math.max(5, Math.round(value / (1 + pct / 100)));
          const proposed = failed ? Math.max(5, Math.round(value * (1 + pct / 100))) : value;
          log(
            'optimizing',
            'optimize_bid',
            at,
            {
              campaign_id: campaignId,
              google_ads_campaign_id: googleId,
              keyword_id: keyword.id,
              keyword_text: keyword.keyword_text,
              match_type: keyword.match_type,
              old_max_cpc: dollars(before),
              new_max_cpc: dollars(proposed),
              change_pct: pct,
              target_cpa: targetCpa,
              dry_run: false,
            },
            failed
              ? { result: 'failed', message: rng.pick(apiFailures) }
              : {
                  message: raise
                    ? 'CPA under target for 30 days: raising the bid to win more impression share'
                    : 'CPA over target for 30 days: lowering the bid',
                  impact: {
                    cpl_change: round2((raise ? 1 : -1) * rng.range(0.5, 4)),
                    conversions_change_pct: round2((raise ? 1 : -1) * rng.range(2, 8)),
                  },
                },
          );
          value = before;
        }
      }
      if (pausedAt !== undefined) {
        const wasted = rng.int(60, 400);
        log(
          'optimizing',
          'pause_keyword',
          pausedAt,
          {
            campaign_id: campaignId,
            keyword_id: keyword.id,
            keyword_text: keyword.keyword_text,
            match_type: keyword.match_type,
            spend_30d: wasted,
            conversions_30d: 0,
          },
          {
            message: `Spent $${wasted} in 30 days without a conversion`,
            impact: { monthly_savings: wasted },
          },
        );
      }
    }
    // A negative keyword at the start of each month the campaign ran.
    const last = Math.min(campaign.stopDay ?? business.endDay, business.endDay);
    for (let day = campaign.startDay + 1; day <= last; day++) {
      if (new Date(day * DAY).getUTCDate() !== 1) continue;
      const wasted = rng.int(15, 120);
      log(
        'optimizing',
        'add_negative_keyword',
        zone.at(day, 5 * HOUR + 30 * MINUTE),
        {
          campaign_id: campaignId,
          negative_keyword: rng.pick(negativeKeywords),
          match_type: 'phrase',
          search_terms_matched: rng.int(3, 40),
          wasted_spend_30d: wasted,
        },
        { impact: { monthly_savings: wasted } },
      );
    }
  }

  // ---- cx: every missed-call text-back, a suggested answer to each reply, emergencies paged.
  for (const textBack of ledger.textBacks) {
    log(
      'cx',
      'send_missed_call_text',
      textBack.at - 1000,
      {
        lead_id: textBack.leadId,
        call_id: textBack.callId,
        sms_id: textBack.smsId,
        template: textBack.afterHours ? 'after_hours' : 'missed_call',
        delay_seconds: 60,
      },
      textBack.error === null
        ? { message: 'Text-back sent', took: 2000 }
        : { result: 'failed', message: textBack.error, took: 2000 },
    );
  }
  for (const reply of ledger.replies) {
    const at = reply.at + rng.int(5, 20) * 1000;
    log(
      'cx',
      'suggest_reply',
      at,
      {
        lead_id: reply.leadId,
        inbound_sms_id: reply.smsId,
        mode: 'suggest_for_approval',
        suggestion: rng.pick(suggestions),
        emergency: reply.emergencyWords.length > 0,
      },
      // Suggestions from the last half hour still wait for the dispatcher's approval.
      asOf - at < 30 * MINUTE
        ? { result: 'pending' }
        : { message: 'Suggestion approved by the dispatcher', took: rng.int(30, 600) * 1000 },
    );
    if (reply.emergencyWords.length > 0) {
      log(
        'cx',
        'page_on_call',
        at + 1000,
        { lead_id: reply.leadId, sms_id: reply.smsId, matched_words: reply.emergencyWords },
        { message: 'On-call technician paged' },
      );
    }
  }

  // ---- retention: review requests to every customer, maintenance-plan offers.
  for (const request of ledger.reviewRequests) {
    log(
      'retention',
      'send_review_request',
      request.at - 1000,
      { lead_id: request.leadId, sms_id: request.smsId, channel: 'sms', delay_hours: 24 },
      request.error === null
        ? { message: 'Review request sent' }
        : { result: 'failed', message: request.error },
    );
  }
  for (const offer of ledger.amcOffers) {
    log(
      'retention',
      'send_amc_offer',
      offer.at - 1000,
      { lead_id: offer.leadId, sms_id: offer.smsId, consent: 'express_written' },
      offer.error === null ? { message: 'Offer sent' } : { result: 'failed', message: offer.error },
    );
  }

  // ---- in flight when the clock stops.
  log(
    'monitor',
    'intraday_check',
    asOf - rng.int(1, 4) * MINUTE,
    { date: formatDay(business.endDay), leads_so_far: ledger.generated[days - 1] ?? 0 },
    { result: 'pending' },
  );
  const active = ads.campaigns.find((c) => c.row.status === 'active' && c.spec.type === 'search');
  if (active) {
    log(
      'optimizing',
      'optimize_bid',
      asOf - rng.int(5, 25) * MINUTE,
      { campaign_id: active.row.id, google_ads_campaign_id: active.row.campaign_id, dry_run: true },
      { result: 'pending' },
    );
  }
}
