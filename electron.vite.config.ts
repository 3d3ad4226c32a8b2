import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { packagedDependencies } from './electron/packaging/packaging.ts';
import rendererConfig from './renderer/vite.config.ts';

/**
 * The desktop build (`npx electron-vite build` → out/):
 * - out/main: the main process and the local core's utility-process entry, ESM (package.json is
 *   `"type": "module"`, Electron ≥ 28 loads ESM in both). Dependencies stay external — native
 *   better-sqlite3 above all — and are packaged from node_modules by electron-builder.
 * - out/preload/index.cjs: one self-contained CommonJS file. A sandboxed preload cannot be ESM
 *   and can `require` only `electron` and a few Node built-ins, so zod and the API's schemas are
 *   bundled into it.
 * - out/renderer: the React app, served by main through `app://fieldline/`. Its options are the
 *   renderer's own (renderer/vite.config.ts, which the browser shell's build uses too); only the
 *   paths are made absolute, since electron-vite resolves them from the project root.
 */
const root = path.dirname(fileURLToPath(import.meta.url));
const from = (...parts: string[]) => path.join(root, ...parts);

/**
 * The replica's migrations beside the core's entry (out/main/replica-migrations): bundled code
 * cannot find db/replica/migrations from its own location, so utility-entry.ts reads them there.
 */
function replicaMigrations(): Plugin {
  const source = from('db', 'replica', 'migrations');
  const files = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
    );
  return {
    name: 'fieldline:replica-migrations',
    generateBundle() {
      // The SQL files and drizzle-kit's journal (the order); the schema snapshots are for drizzle-kit.
      const needed = (file: string) =>
        file.endsWith('.sql') || path.basename(file) === '_journal.json';
      for (const file of files(source).filter(needed)) {
        this.emitFile({
          type: 'asset',
          fileName: path.posix.join(
            'replica-migrations',
            path.relative(source, file).split(path.sep).join('/'),
          ),
          source: readFileSync(file),
        });
      }
    },
  };
}

/**
 * Every pure-JS dependency is bundled into out/main; only the packaged ones (native
 * better-sqlite3, electron-updater) are loaded from node_modules at run time. That keeps the sync
 * server's dependencies out of the installer (electron-builder.yml), and loading one file per
 * process is quicker than resolving hundreds.
 */
const pkg = JSON.parse(readFileSync(from('package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const bundled = Object.keys(pkg.dependencies).filter(
  (name) => !(packagedDependencies as readonly string[]).includes(name),
);

export default defineConfig({
  main: {
    plugins: [replicaMigrations()],
    build: {
      outDir: from('out', 'main'),
      externalizeDeps: { exclude: bundled },
      rolldownOptions: {
        input: {
          index: from('electron', 'main', 'index.ts'),
          'utility-entry': from('electron', 'core', 'utility-entry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: from('out', 'preload'),
      // Sandboxed: nothing can be required at run time, so every dependency goes in the bundle.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: from('electron', 'preload', 'index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    root: from('renderer'),
    build: {
      ...rendererConfig.build,
      outDir: from('out', 'renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: from('renderer', 'index.html') },
    },
  },
});
