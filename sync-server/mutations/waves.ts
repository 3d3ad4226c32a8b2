/**
 * Splits mutations, in push order, into waves that can each be applied as a set (a few statements
 * for the whole wave) with the same effect as applying them one by one in order.
 *
 * `touches` names every row a mutation reads or writes (`leads:<id>`, `lead_notes:<id>`…). A
 * mutation goes in the wave after the last one holding a mutation that touches any of its rows, so:
 * - the mutations of one wave touch pairwise-distinct rows, and commute with each other;
 * - two mutations that share a row keep their order (a lead's create, then its update, then a
 *   note on it, each sees the effect of the one before, as when applied one by one).
 */
export function planWaves<T>(items: readonly T[], touches: (item: T) => readonly string[]): T[][] {
  const waves: T[][] = [];
  /** Row → the wave of the last mutation that touched it. */
  const lastWave = new Map<string, number>();
  for (const item of items) {
    const rows = touches(item);
    const wave = Math.max(-1, ...rows.map((row) => lastWave.get(row) ?? -1)) + 1;
    (waves[wave] ??= []).push(item);
    for (const row of rows) lastWave.set(row, wave);
  }
  return waves;
}
