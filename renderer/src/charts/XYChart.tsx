import { memo, useId, useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { DataTable, Legend, MARGIN, Tooltip, useWidth, type Series } from './frame.tsx';
import {
  alignedTicks,
  bandScale,
  compactNumber,
  labelIndices,
  linePath,
  linearScale,
  nearestPoint,
  niceTicks,
  pointPosition,
} from './scale.ts';

export interface XYChartProps {
  /** Short name of the chart: the SVG's <title> and the data table's caption. */
  title: string;
  /** What the chart shows, in words (totals, the peak): the image's accessible name. */
  summary: string;
  /** One label per point (days), in order. */
  labels: readonly string[];
  series: readonly Series[];
  /** A value as the tooltip and the data table show it. */
  formatValue?: (value: number) => string;
  /** A value as the y axis shows it (short). */
  formatAxis?: (value: number) => string;
  /** A label as the x axis and the tooltip show it. */
  formatLabel?: (label: string) => string;
  height?: number;
  /** Shown instead of the drawing when there is nothing to draw. */
  emptyText?: string;
  testId?: string;
}

const identity = (label: string) => label;
/** Room for the right-hand scale's labels ($400, 1.2k). */
const RIGHT_AXIS = 52;

function XYChart({
  kind,
  title,
  summary,
  labels,
  series,
  formatValue = compactNumber,
  formatAxis = compactNumber,
  formatLabel = identity,
  height = 240,
  emptyText = 'No data for this period',
  testId,
}: XYChartProps & { kind: 'line' | 'bar' }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);
  const titleId = useId();
  const descId = useId();
  const count = labels.length;
  const empty = count === 0 || series.every((s) => s.values.every((v) => v === 0));

  const {
    innerLeft,
    innerRight,
    innerTop,
    innerBottom,
    axis,
    y,
    rightAxis,
    yRight,
    band,
    x,
    shown,
  } = useMemo(() => {
    const hasRight = series.some((s) => s.axis === 'right');
    const innerLeft = MARGIN.left;
    const innerRight = Math.max(innerLeft + 10, width - (hasRight ? RIGHT_AXIS : MARGIN.right));
    const innerTop = MARGIN.top;
    const innerBottom = Math.max(innerTop + 10, height - MARGIN.bottom);
    const range = (right: boolean) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const s of series) {
        if ((s.axis === 'right') !== right) continue;
        for (const v of s.values) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      return [lo, hi] as const;
    };
    const axis = niceTicks(...range(false), Math.max(2, Math.floor((innerBottom - innerTop) / 48)));
    const y = linearScale(axis.domain, [innerBottom, innerTop]);
    const rightAxis = hasRight ? alignedTicks(axis, ...range(true)) : undefined;
    const yRight = rightAxis ? linearScale(rightAxis.domain, [innerBottom, innerTop]) : y;
    const band = bandScale(count, [innerLeft, innerRight], 0.25);
    const x = (i: number) =>
      kind === 'bar' ? band.center(i) : pointPosition(i, count, [innerLeft, innerRight]);
    const shown = labelIndices(count, (innerRight - innerLeft) / 56);
    return {
      innerLeft,
      innerRight,
      innerTop,
      innerBottom,
      axis,
      y,
      rightAxis,
      yRight,
      band,
      x,
      shown,
    };
  }, [width, height, series, count, kind]);

  const yOf = (s: Series) => (s.axis === 'right' ? yRight : y);
  const rightColor = series.find((s) => s.axis === 'right')?.color;

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const px = event.clientX - box.left;
    setHover(kind === 'bar' ? band.indexAt(px) : nearestPoint(px, count, [innerLeft, innerRight]));
  };
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const step = event.key === 'ArrowLeft' ? -1 : 1;
    setHover((current) =>
      Math.min(count - 1, Math.max(0, (current ?? (step > 0 ? -1 : count)) + step)),
    );
  };

  const groupWidth = band.width;
  const barWidth = series.length > 0 ? Math.max(1, groupWidth / series.length) : groupWidth;
  const hoverLabel = hover !== null ? labels[hover] : undefined;

  return (
    <div className="chart" data-testid={testId}>
      <Legend series={series} />
      <div className="chart-canvas" ref={ref}>
        {empty ? (
          <div className="chart-empty" style={{ height }}>
            {emptyText}
          </div>
        ) : (
          <>
            <svg
              className="chart-svg"
              width={width}
              height={height}
              role="img"
              aria-labelledby={titleId}
              aria-describedby={descId}
              tabIndex={0}
              onPointerMove={onPointerMove}
              onPointerLeave={() => setHover(null)}
              onBlur={() => setHover(null)}
              onKeyDown={onKeyDown}
            >
              <title id={titleId}>{title}</title>
              <desc id={descId}>{summary}</desc>
              <g className="chart-grid">
                {axis.ticks.map((tick) => (
                  <line
                    key={tick}
                    x1={innerLeft}
                    x2={innerRight}
                    y1={y(tick)}
                    y2={y(tick)}
                    className={tick === 0 ? 'chart-grid__zero' : undefined}
                  />
                ))}
              </g>
              <g className="chart-axis chart-axis--y">
                {axis.ticks.map((tick) => (
                  <text key={tick} x={innerLeft - 8} y={y(tick)} dy="0.32em" textAnchor="end">
                    {formatAxis(tick)}
                  </text>
                ))}
              </g>
              {rightAxis ? (
                <g
                  className="chart-axis chart-axis--y chart-axis--right"
                  style={{ color: rightColor }}
                >
                  {rightAxis.ticks.map((tick) => (
                    <text key={tick} x={innerRight + 8} y={yRight(tick)} dy="0.32em">
                      {formatAxis(tick)}
                    </text>
                  ))}
                </g>
              ) : null}
              <g className="chart-axis chart-axis--x">
                {shown.map((i) => (
                  <text key={i} x={x(i)} y={innerBottom + 18} textAnchor="middle">
                    {formatLabel(labels[i] ?? '')}
                  </text>
                ))}
              </g>
              {hover !== null && (
                <line
                  className="chart-guide"
                  x1={x(hover)}
                  x2={x(hover)}
                  y1={innerTop}
                  y2={innerBottom}
                />
              )}
              {kind === 'line'
                ? series.map((s) => (
                    <LineMarks
                      key={s.key}
                      series={s}
                      x={x}
                      y={yOf(s)}
                      hover={hover}
                      showDots={count <= 45}
                    />
                  ))
                : series.map((s, si) => (
                    <g key={s.key} fill={s.color}>
                      {s.values.map((v, i) => {
                        const top = yOf(s)(Math.max(0, v));
                        const bottom = yOf(s)(Math.min(0, v));
                        return (
                          <rect
                            key={i}
                            className={hover === i ? 'chart-bar chart-bar--active' : 'chart-bar'}
                            x={band.start(i) + si * barWidth}
                            y={top}
                            width={Math.max(1, barWidth - (series.length > 1 ? 1 : 0))}
                            height={Math.max(v === 0 ? 0 : 1, bottom - top)}
                            rx={Math.min(2, barWidth / 4)}
                          />
                        );
                      })}
                    </g>
                  ))}
            </svg>
            {hover !== null && hoverLabel !== undefined && (
              <Tooltip
                x={x(hover)}
                width={width}
                heading={formatLabel(hoverLabel)}
                rows={series.map((s) => ({
                  key: s.key,
                  label: s.label,
                  value: formatValue(s.values[hover] ?? 0),
                  color: s.color,
                }))}
              />
            )}
          </>
        )}
      </div>
      <DataTable
        caption={title}
        labels={labels.map(formatLabel)}
        series={series}
        formatValue={formatValue}
      />
    </div>
  );
}

const LineMarks = memo(function LineMarks({
  series,
  x,
  y,
  hover,
  showDots,
}: {
  series: Series;
  x: (i: number) => number;
  y: (v: number) => number;
  hover: number | null;
  showDots: boolean;
}) {
  const path = linePath(series.values.map((v, i) => [x(i), y(v)] as const));
  const hovered = hover !== null ? series.values[hover] : undefined;
  return (
    <g className="chart-line" stroke={series.color}>
      <path d={path} fill="none" strokeWidth={2} strokeLinejoin="round" strokeLinecap="round" />
      {showDots &&
        series.values.map((v, i) => (
          <circle key={i} cx={x(i)} cy={y(v)} r={2} fill={series.color} stroke="none" />
        ))}
      {hover !== null && hovered !== undefined && (
        <circle
          className="chart-line__focus"
          cx={x(hover)}
          cy={y(hovered)}
          r={4.5}
          fill="var(--chart-surface)"
          strokeWidth={2}
        />
      )}
    </g>
  );
});

/** Values over time as lines (one per series) with a y axis, a date axis and a hover tooltip. */
export function LineChart(props: XYChartProps) {
  return <XYChart kind="line" {...props} />;
}

/** Values per category as grouped bars (one bar per series) with axes and a hover tooltip. */
export function BarChart(props: XYChartProps) {
  return <XYChart kind="bar" {...props} />;
}
