import { useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';

/** One line or one set of bars: its values line up with the chart's labels. */
export interface Series {
  key: string;
  label: string;
  values: readonly number[];
  /** A CSS colour, usually a theme variable: `var(--chart-1)`. */
  color: string;
  /**
   * `right`: drawn against a second scale on the right, for a series much smaller than the others
   * (ad spend beside revenue), which on their scale would be a flat line at zero.
   */
  axis?: 'left' | 'right';
}

export const MARGIN = { top: 12, right: 16, bottom: 28, left: 56 } as const;

/** The width of an element, followed as it resizes (the charts draw at their real pixel size). */
export function useWidth<T extends HTMLElement>(fallback = 640): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const next = Math.floor(element.getBoundingClientRect().width);
      if (next > 0) setWidth(next);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function Legend({
  series,
}: {
  series: readonly Pick<Series, 'key' | 'label' | 'color' | 'axis'>[];
}) {
  return (
    <ul className="chart-legend" aria-hidden="true">
      {series.map((s) => (
        <li key={s.key}>
          <span className="chart-legend__swatch" style={{ background: s.color }} />
          {s.label}
          {s.axis === 'right' ? <span className="chart-legend__axis">right scale</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The hovered point's values, in a box that follows the pointer along the x axis. */
export function Tooltip({
  x,
  width,
  heading,
  rows,
}: {
  x: number;
  width: number;
  heading: string;
  rows: readonly { key: string; label: string; value: string; color: string }[];
}) {
  const flip = x > width * 0.6;
  return (
    <div
      className="chart-tooltip"
      role="presentation"
      style={flip ? { right: width - x + 12 } : { left: x + 12 }}
    >
      <div className="chart-tooltip__heading">{heading}</div>
      {rows.map((row) => (
        <div className="chart-tooltip__row" key={row.key}>
          <span className="chart-legend__swatch" style={{ background: row.color }} />
          <span className="chart-tooltip__label">{row.label}</span>
          <span className="chart-tooltip__value">{row.value}</span>
        </div>
      ))}
    </div>
  );
}

/** The chart's numbers as a table, for screen readers (the drawing itself is one image). */
export function DataTable({
  caption,
  labels,
  series,
  formatValue,
}: {
  caption: string;
  labels: readonly string[];
  series: readonly Series[];
  formatValue: (value: number) => string;
}) {
  return (
    <table className="chart-sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          {series.map((s) => (
            <th scope="col" key={s.key}>
              {s.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {labels.map((label, i) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {series.map((s) => (
              <td key={s.key}>{formatValue(s.values[i] ?? 0)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ChartShell({
  children,
  legend,
  empty,
}: {
  children: ReactNode;
  legend?: ReactNode;
  empty?: string | undefined;
}) {
  return (
    <div className="chart">
      {legend}
      {empty ? <div className="chart-empty">{empty}</div> : children}
    </div>
  );
}
