/**
 * After `electron-vite build` (npm run build:desktop): the built desktop loads at run time only
 * what the installer carries. A new dependency of main or the core must be bundled (the default)
 * or added to packagedDependencies — and then electron-builder.yml's list follows
 * (packaging.test.ts). The sandboxed preload can load nothing but electron.
 */
import { resolve } from 'node:path';
import { packagedDependencies, runtimeImports } from './packaging.ts';

const root = resolve(import.meta.dirname, '../..');
const allowed = new Set<string>(packagedDependencies);
const problems = [
  ...runtimeImports(resolve(root, 'out/main'))
    .filter((name) => !allowed.has(name))
    .map((name) => `out/main loads ${name}, which the installer does not carry`),
  ...runtimeImports(resolve(root, 'out/preload')).map(
    (name) => `the sandboxed preload loads ${name}; it can require only electron`,
  ),
];
if (problems.length > 0) {
  process.stderr.write(
    `${problems.join('\n')}\nBundle it (electron.vite.config.ts) or add it to packagedDependencies (electron/packaging/packaging.ts).\n`,
  );
  process.exit(1);
}
process.stdout.write(`desktop build loads only ${[...allowed].join(' and ')} from node_modules\n`);
