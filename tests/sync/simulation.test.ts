import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.ts';
import {
  runSchedule,
  type Schedule,
  scheduleArbitrary,
  type SimulationWorld,
} from './simulation.ts';

/**
 * `npm test` runs SIM_RUNS schedules (200) and stops at the first that fails, printing it and
 * fast-check's seed to replay it (SIM_SEED). `npm run soak` runs 10,000 (SIM_SOAK=1): every
 * schedule, however many fail, and prints how many passed.
 */
const RUNS = Number(process.env.SIM_RUNS ?? 200);
const SOAK = process.env.SIM_SOAK === '1';
const SEED = process.env.SIM_SEED === undefined ? undefined : Number(process.env.SIM_SEED);

describe('the write path under randomised schedules', () => {
  it(
    `converges, and accounts for every edit, in ${RUNS} schedules of desktops, faults and restarts`,
    async () => {
      const harness = await createHarness();
      const world: SimulationWorld = { harness, server: await harness.startServer(), run: 0 };
      const run = async (schedule: Schedule) => {
        world.run += 1;
        await runSchedule(world, schedule);
      };
      if (!SOAK) {
        await fc.assert(fc.asyncProperty(scheduleArbitrary(), run), {
          numRuns: RUNS,
          endOnFailure: true,
          ...(SEED === undefined ? {} : { seed: SEED }),
        });
        expect(world.run).toBe(RUNS);
        return;
      }
      const failures: string[] = [];
      const schedules = fc.sample(scheduleArbitrary(), {
        numRuns: RUNS,
        ...(SEED === undefined ? {} : { seed: SEED }),
      });
      for (const schedule of schedules) {
        try {
          await run(schedule);
        } catch (error) {
          failures.push(`${String(error)}\n  schedule: ${JSON.stringify(schedule)}`);
        }
      }
      process.stdout.write(`soak: ${RUNS - failures.length} of ${RUNS} schedules passed\n`);
      expect(failures).toEqual([]);
    },
    RUNS * 10_000,
  );
});
