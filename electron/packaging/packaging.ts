import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';

/*
 * What the packaged desktop carries from node_modules. The desktop build (electron.vite.config.ts)
 * bundles every pure-JS dependency into out/main and leaves only these to be loaded at run time:
 * better-sqlite3 is native (rebuilt for Electron's ABI), electron-updater reads its own files.
 * electron-builder.yml packs exactly these and what they depend on, so the installer does not
 * carry the sync server's dependencies (PGlite, fastify, argon2, pg…). `npm run build:desktop`
 * checks both halves (check.ts); packaging.test.ts checks the list against node_modules.
 */
export const packagedDependencies = ['better-sqlite3', 'electron-updater'] as const;

/** Where Node would find package `name` required from folder `from` (its lookup, upwards). */
function locate(root: string, name: string, from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (folder === root || dirname(folder) === folder) break;
  }
  throw new Error(`${name} is not installed (needed from ${from})`);
}

/**
 * The top-level node_modules folders that packages `names` need at run time, themselves
 * included, as installed under `root`. A package nested inside another's folder travels with it.
 */
export function dependencyClosure(root: string, names: readonly string[]): string[] {
  const visited = new Set<string>();
  const visit = (name: string, from: string): void => {
    const folder = locate(root, name, from);
    if (visited.has(folder)) return;
    visited.add(folder);
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const needed of Object.keys({
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
    })) {
      visit(needed, folder);
    }
  };
  for (const name of names) visit(name, root);
  const top = join(root, 'node_modules');
  return [...visited]
    .filter((folder) => dirname(folder) === top || dirname(dirname(folder)) === top)
    .map((folder) =>
      folder
        .slice(top.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
}

/** The node_modules folders electron-builder.yml packs: its `node_modules/{a,b,…}/**` line. */
export function packedModules(builderYml: string): string[] {
  const match = /^\s*-\s*'?node_modules\/\{([^}]*)\}\/\*\*'?\s*$/m.exec(builderYml);
  if (!match?.[1]) throw new Error('electron-builder.yml has no node_modules/{…}/** files line');
  return match[1]
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .sort();
}

const builtins = new Set(builtinModules);

/** The package an import specifier names ('drizzle-orm/sqlite-core' → 'drizzle-orm'). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * The packages the built files under `folder` import or require at run time (node: built-ins,
 * `electron` and relative paths left out).
 */
export function runtimeImports(folder: string): string[] {
  const found = new Set<string>();
  // Statements at the start of a line (the build is not minified), and import()/require() calls.
  const patterns = [
    /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*["']([^"'./][^"']*)["']/gm,
    /^\s*import\s*["']([^"'./][^"']*)["']/gm,
    /\b(?:import|require)\s*\(\s*["']([^"'./][^"']*)["']\s*\)/g,
  ];
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(c|m)?js$/.test(entry.name)) continue;
    const code = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const [, specifier] of patterns.flatMap((pattern) => [...code.matchAll(pattern)])) {
      if (!specifier || specifier.startsWith('node:') || builtins.has(specifier)) continue;
      const name = packageOf(specifier);
      if (name !== 'electron' && !builtins.has(name)) found.add(name);
    }
  }
  return [...found].sort();
}
