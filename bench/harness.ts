import { availableParallelism, cpus, totalmem } from 'node:os';

/** The contract between bench/run.ts and each bench/*.bench.ts (which exports `benchmark`). */

export interface BenchContext {
  /** Epoch milliseconds after which a benchmark starts no further run. */
  deadline: number;
  log(line: string): void;
}

export interface BenchResult {
  /** Human-readable figures, one per line. */
  lines: string[];
  /** The same figures for bench/results/*.json. */
  data: Record<string, unknown>;
}

export interface Benchmark {
  name: string;
  description: string;
  run(context: BenchContext): Promise<BenchResult>;
}

export const isBenchmark = (value: unknown): value is Benchmark =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Benchmark).name === 'string' &&
  typeof (value as Benchmark).run === 'function';

export function machine(): Record<string, string | number> {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** The nearest-rank percentile `p` (0–100) of `values`; NaN when there are none. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

/** A count as people read it: rounded, with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
