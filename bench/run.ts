import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isBenchmark, machine } from './harness.ts';

/**
 * `npm run bench [-- name…]`: runs every `bench/*.bench.ts` (or those whose file name contains one
 * of the given names) one after the other, prints each one's figures, and writes them as JSON to
 * bench/results/ (git-ignored). Each benchmark gets a deadline (BENCH_MAX_SECONDS, default 900) and
 * stops starting new runs once it has passed, so `npm run bench` always ends by itself.
 */

async function main(): Promise<number> {
  const folder = dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const maxSeconds = Number(process.env.BENCH_MAX_SECONDS ?? 900);
  if (!Number.isFinite(maxSeconds) || maxSeconds <= 0) {
    console.error(
      `BENCH_MAX_SECONDS must be a positive number of seconds, got "${process.env.BENCH_MAX_SECONDS}"`,
    );
    return 2;
  }
  const files = (await readdir(folder))
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => wanted.length === 0 || wanted.some((name) => file.includes(name)))
    .sort();
  if (files.length === 0) {
    console.error(`No benchmark in ${folder} matches ${wanted.join(', ') || '*.bench.ts'}.`);
    return 2;
  }
  const host = machine();
  console.log(
    `Machine: ${host.cpus} CPUs (${host.cpuModel}), ${host.memoryGiB} GiB, Node ${host.node}, ${host.platform}`,
  );
  const results: Record<string, unknown> = {};
  let failed = 0;
  for (const file of files) {
    const module: unknown = await import(pathToFileURL(join(folder, file)).href);
    const benchmark = (module as { benchmark?: unknown }).benchmark;
    if (!isBenchmark(benchmark)) {
      console.error(`${file}: exports no \`benchmark\` ({ name, description, run }); skipped.`);
      failed++;
      continue;
    }
    console.log(`\n== ${benchmark.name}: ${benchmark.description}`);
    const started = performance.now();
    try {
      const result = await benchmark.run({
        deadline: Date.now() + maxSeconds * 1000,
        log: (line) => console.log(`   ${line}`),
      });
      console.log('');
      for (const line of result.lines) console.log(line);
      results[benchmark.name] = result.data;
    } catch (error) {
      failed++;
      console.error(`${benchmark.name} failed: ${(error as Error).stack ?? String(error)}`);
    }
    console.log(`(${basename(file)} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  const out = join(folder, 'results');
  await mkdir(out, { recursive: true });
  const file = join(out, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ machine: host, date: new Date().toISOString(), results }, null, 2)}\n`,
  );
  console.log(`\nResults written to ${file}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
