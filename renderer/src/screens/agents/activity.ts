import { agentNames, type AgentName } from '../../../../db/enums.ts';
import type { AgentAction } from '../../../../db/wire/desktop-views.ts';
import { formatCents } from '../../charts/format.ts';

/** What each of the five agents does, in a line. */
export const agentInfo: Record<AgentName, { name: string; does: string }> = {
  monitor: { name: 'Monitor', does: 'Watches calls, leads and spend for anything unusual' },
  cx: { name: 'CX', does: 'Follows up with callers so no lead goes cold' },
  diagnostic: { name: 'Diagnostic', does: 'Explains why a number moved' },
  optimizing: { name: 'Optimizing', does: 'Tunes bids, budgets and keywords' },
  retention: { name: 'Retention', does: 'Brings past customers back for reviews and service' },
};

export interface AgentSummary {
  agent: AgentName;
  total: number;
  success: number;
  failed: number;
  pending: number;
  /** Monthly savings its successful actions estimate, added up, in cents. */
  savingsCents: number;
  lastAt: string | null;
}

/** One summary per agent, in the fixed agent order, including agents with no actions. */
export function summarise(actions: readonly AgentAction[]): AgentSummary[] {
  const byAgent = new Map<AgentName, AgentSummary>(
    agentNames.map((agent) => [
      agent,
      { agent, total: 0, success: 0, failed: 0, pending: 0, savingsCents: 0, lastAt: null },
    ]),
  );
  for (const action of actions) {
    const summary = byAgent.get(action.agent);
    if (!summary) continue;
    summary.total += 1;
    summary[action.result] += 1;
    const savings = action.estimatedImpact?.['monthly_savings'];
    if (action.result === 'success' && typeof savings === 'number' && Number.isFinite(savings)) {
      summary.savingsCents += Math.round(savings * 100);
    }
    if (summary.lastAt === null || action.at > summary.lastAt) summary.lastAt = action.at;
  }
  return agentNames.map((agent) => byAgent.get(agent)!);
}

/** The feed newest first, narrowed to one agent (or all). */
export function feed(actions: readonly AgentAction[], agent: AgentName | 'all'): AgentAction[] {
  const shown = agent === 'all' ? [...actions] : actions.filter((a) => a.agent === agent);
  return shown.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

export type Impact = AgentAction['estimatedImpact'];

export interface ImpactPart {
  key: string;
  text: string;
  /** Good news (savings, a lower CPL), bad news (a higher CPL), or just a fact. */
  tone: 'good' | 'bad' | 'neutral';
}

const signed = (value: number, text: string) => `${value > 0 ? '+' : value < 0 ? '−' : ''}${text}`;
const pct = (value: number) => signed(value, `${Math.abs(value).toFixed(1).replace(/\.0$/, '')}%`);
const dollars = (value: number) => signed(value, formatCents(Math.round(Math.abs(value) * 100)));
const toneOf = (value: number, goodWhenUp: boolean): ImpactPart['tone'] =>
  value === 0 ? 'neutral' : value > 0 === goodWhenUp ? 'good' : 'bad';

/**
 * An agent's estimate in words. `estimated_impact` is a JSON object of measures (the demo and the
 * agents write monthly_savings and cpl_change in dollars, and *_pct changes in percent); known
 * measures read as "$120/mo saved" or "CPL −$5.25", unknown ones as "Key: value".
 */
export function describeImpact(impact: Impact): ImpactPart[] {
  if (!impact) return [];
  const parts: ImpactPart[] = [];
  for (const [key, value] of Object.entries(impact)) {
    if (typeof value === 'number' && Number.isFinite(value)) {
      switch (key) {
        case 'monthly_savings':
          parts.push({
            key,
            text: `${formatCents(Math.round(value * 100), 'whole')}/mo saved`,
            tone: value > 0 ? 'good' : 'neutral',
          });
          continue;
        case 'cpl_change':
          parts.push({ key, text: `CPL ${dollars(value)}`, tone: toneOf(value, false) });
          continue;
        case 'cpl_change_pct':
          parts.push({ key, text: `CPL ${pct(value)}`, tone: toneOf(value, false) });
          continue;
        case 'conversions_change_pct':
          parts.push({ key, text: `Conversions ${pct(value)}`, tone: toneOf(value, true) });
          continue;
      }
    }
    if (value === null || typeof value === 'object') continue;
    const label = key.replace(/_/g, ' ');
    parts.push({
      key,
      text: `${label.charAt(0).toUpperCase()}${label.slice(1)}: ${String(value)}`,
      tone: 'neutral',
    });
  }
  return parts;
}
