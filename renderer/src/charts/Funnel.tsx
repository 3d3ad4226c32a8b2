import { useId } from 'react';
import { useWidth } from './frame.tsx';
import { formatCount } from '../ui/format.ts';

export interface FunnelStage {
  key: string;
  label: string;
  value: number;
  color?: string;
}

export interface FunnelProps {
  title: string;
  stages: readonly FunnelStage[];
  testId?: string;
}

/** The share of `value` in `max` as a fraction of the track (a sliver for any non-zero value). */
export function barFraction(value: number, max: number): number {
  if (max <= 0 || value <= 0) return 0;
  return Math.max(0.01, Math.min(1, value / max));
}

/** "New 40 (50%), Contacted 20 (25%)…": the funnel in words, for its accessible name. */
export function funnelSummary(stages: readonly FunnelStage[]): string {
  const total = stages.reduce((sum, s) => sum + s.value, 0);
  if (total === 0) return 'No leads yet.';
  return `${formatCount(total)} leads: ${stages
    .map((s) => `${s.label} ${formatCount(s.value)} (${Math.round((s.value / total) * 100)}%)`)
    .join(', ')}.`;
}

const ROW = 30;
const BAR = 18;
const LABEL = 96;
const VALUE = 88;

/** Horizontal bars, one per stage, scaled to the largest: how many leads sit in each status. */
export function Funnel({ title, stages, testId }: FunnelProps) {
  const [ref, width] = useWidth<HTMLDivElement>(480);
  const titleId = useId();
  const descId = useId();
  const max = stages.reduce((m, s) => Math.max(m, s.value), 0);
  const total = stages.reduce((sum, s) => sum + s.value, 0);
  const track = Math.max(40, width - LABEL - VALUE);
  const height = stages.length * ROW;
  return (
    <div className="chart chart-funnel" ref={ref} data-testid={testId}>
      <svg
        className="chart-svg"
        width={width}
        height={height}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{funnelSummary(stages)}</desc>
        {stages.map((stage, i) => {
          const top = i * ROW + (ROW - BAR) / 2;
          const share = total > 0 ? Math.round((stage.value / total) * 100) : 0;
          return (
            <g key={stage.key}>
              <title>{`${stage.label}: ${formatCount(stage.value)} (${share}%)`}</title>
              <text className="chart-funnel__label" x={0} y={top + BAR / 2} dy="0.32em">
                {stage.label}
              </text>
              <rect
                className="chart-funnel__bg"
                x={LABEL}
                y={top}
                width={track}
                height={BAR}
                rx={3}
              />
              <rect
                x={LABEL}
                y={top}
                width={track * barFraction(stage.value, max)}
                height={BAR}
                rx={3}
                fill={stage.color ?? `var(--chart-${(i % 6) + 1})`}
              />
              <text
                className="chart-funnel__value"
                x={width}
                y={top + BAR / 2}
                dy="0.32em"
                textAnchor="end"
              >
                {formatCount(stage.value)}
                <tspan className="chart-funnel__share" dx={6}>
                  {share}%
                </tspan>
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
