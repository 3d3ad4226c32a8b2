/**
 * The arithmetic of the charts, DOM-free: linear scales, "nice" axis ticks and category bands.
 * Every chart component draws with these, so they are unit-tested on their own (scale.test.ts).
 */

export type Scale = (value: number) => number;

/** Maps `domain` linearly onto `range`; a zero-width domain maps everything to the range's start. */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  if (span === 0 || !Number.isFinite(span)) return () => r0;
  const k = (r1 - r0) / span;
  return (value) => r0 + (value - d0) * k;
}

/**
 * The step of about `count` intervals over `span`: 1, 2 or 5 × a power of ten, whichever gives the
 * count nearest the one asked for (the thresholds are the geometric means, as d3 does).
 */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span) || count < 1) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice =
    fraction >= Math.sqrt(50) ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.SQRT2 ? 2 : 1;
  return nice * power;
}

export interface Ticks {
  /** The axis domain, widened to whole steps so the first and last tick sit on the ends. */
  domain: [number, number];
  ticks: number[];
  step: number;
}

/**
 * Axis ticks for values between `min` and `max`: about `count` intervals on round numbers. The
 * domain always includes zero when all values share a sign (bars start at the axis), and an empty
 * or flat range still gets a usable axis (0…1, or around the one value).
 */
export function niceTicks(min: number, max: number, count = 5): Ticks {
  let lo = Math.min(min, max, 0);
  let hi = Math.max(min, max, 0);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (hi === lo) hi = lo + 1;
  const step = niceStep(hi - lo, Math.max(1, count));
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  const n = Math.round((end - start) / step);
  for (let i = 0; i <= n; i += 1) ticks.push(roundTo(start + i * step, step));
  return { domain: [start, end], ticks, step };
}

/** The smallest of 1, 2, 2.5, 5 × a power of ten that is at least `value`. */
function niceAtLeast(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const nice = [1, 2, 2.5, 5, 10].find((n) => n * power >= value * (1 - 1e-12)) ?? 10;
  return nice * power;
}

/**
 * Ticks for a second (right-hand) axis that sit on the first axis's grid lines: the same number
 * of steps either side of zero, on a round step of its own that covers `min`…`max`. A series of
 * another size (ad spend beside revenue) gets its own scale without a second set of grid lines.
 */
export function alignedTicks(grid: Ticks, min: number, max: number): Ticks {
  const above = Math.round(grid.domain[1] / grid.step);
  const below = Math.round(-grid.domain[0] / grid.step);
  const hi = Number.isFinite(max) ? Math.max(max, 0) : 0;
  const lo = Number.isFinite(min) ? Math.min(min, 0) : 0;
  const need = Math.max(
    above > 0 ? hi / above : hi > 0 ? Infinity : 0,
    below > 0 ? -lo / below : lo < 0 ? Infinity : 0,
  );
  // No grid line on one side of zero where this series has values: an axis of its own instead.
  if (!Number.isFinite(need)) return niceTicks(min, max, above + below);
  const step = niceAtLeast(need);
  const ticks: number[] = [];
  for (let i = -below; i <= above; i += 1) ticks.push(roundTo(i * step, step));
  return { domain: [-below * step, above * step], ticks, step };
}

/** Removes floating-point noise (0.30000000000000004) at the precision of `step`. */
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const rounded = Number(value.toFixed(Math.min(12, decimals)));
  return Object.is(rounded, -0) ? 0 : rounded;
}

export interface Band {
  /** Left edge of the band for category `index`. */
  start: (index: number) => number;
  /** Centre of the band for category `index`. */
  center: (index: number) => number;
  /** Width of one band (the bar), without the padding around it. */
  width: number;
  /** Distance from one band's start to the next. */
  step: number;
  /** Which category a horizontal position falls in (clamped to the categories). */
  indexAt: (position: number) => number;
}

/** Splits `range` into `count` equal bands with `padding` (a fraction of a step) between bars. */
export function bandScale(count: number, range: readonly [number, number], padding = 0.2): Band {
  const [r0, r1] = range;
  const n = Math.max(1, count);
  const step = (r1 - r0) / n;
  const pad = Math.min(0.9, Math.max(0, padding));
  const width = step * (1 - pad);
  const offset = (step - width) / 2;
  return {
    start: (index) => r0 + index * step + offset,
    center: (index) => r0 + index * step + step / 2,
    width,
    step,
    indexAt: (position) => Math.min(n - 1, Math.max(0, Math.floor((position - r0) / step))),
  };
}

/** The x position of point `index` of `count` evenly spread over `range` (one point: the middle). */
export function pointPosition(
  index: number,
  count: number,
  range: readonly [number, number],
): number {
  const [r0, r1] = range;
  if (count <= 1) return (r0 + r1) / 2;
  return r0 + ((r1 - r0) * index) / (count - 1);
}

/** The index of the nearest of `count` evenly spread points to `position`. */
export function nearestPoint(
  position: number,
  count: number,
  range: readonly [number, number],
): number {
  const [r0, r1] = range;
  if (count <= 1 || r1 === r0) return 0;
  const index = Math.round(((position - r0) / (r1 - r0)) * (count - 1));
  return Math.min(count - 1, Math.max(0, index));
}

/** Which of `count` category labels to print so they do not overlap: every k-th, at most `room`. */
export function labelIndices(count: number, room: number): number[] {
  if (count <= 0) return [];
  const fit = Math.max(1, Math.floor(room));
  const every = Math.max(1, Math.ceil(count / fit));
  const indices: number[] = [];
  for (let i = 0; i < count; i += every) indices.push(i);
  return indices;
}

/** An SVG path through the points, `M x y L x y …`; gaps (null) break the line. */
export function linePath(points: readonly (readonly [number, number] | null)[]): string {
  let path = '';
  let drawing = false;
  for (const point of points) {
    if (!point) {
      drawing = false;
      continue;
    }
    path += `${drawing ? 'L' : 'M'}${round2(point[0])},${round2(point[1])}`;
    drawing = true;
  }
  return path;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Compact axis labels: 1200 → "1.2k", 3500000 → "3.5M"; small numbers as they are. */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const trim = (n: number) => String(Number(n.toFixed(1)));
  if (abs >= 1e9) return `${sign}${trim(abs / 1e9)}B`;
  if (abs >= 1e6) return `${sign}${trim(abs / 1e6)}M`;
  if (abs >= 1e3) return `${sign}${trim(abs / 1e3)}k`;
  return `${sign}${String(Number(abs.toFixed(2)))}`;
}
