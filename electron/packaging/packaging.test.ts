import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dependencyClosure,
  packagedDependencies,
  packedModules,
  runtimeImports,
} from './packaging.ts';

const root = resolve(import.meta.dirname, '../..');

describe('what the packaged desktop carries from node_modules', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'fl-packaging-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const pkg = (path: string, dependencies: Record<string, string> = {}) => {
    mkdirSync(join(folder, path), { recursive: true });
    writeFileSync(join(folder, path, 'package.json'), JSON.stringify({ dependencies }));
  };

  it('follows dependencies as Node resolves them, nested copies travelling with their parent', () => {
    pkg('node_modules/a', { b: '1', c: '1' });
    pkg('node_modules/b', { '@s/d': '1' });
    pkg('node_modules/a/node_modules/c', { '@s/d': '1' });
    pkg('node_modules/c', { e: '1' }); // another version of c, which a does not load
    pkg('node_modules/@s/d');
    pkg('node_modules/e');
    expect(dependencyClosure(folder, ['a'])).toEqual(['@s/d', 'a', 'b']);
  });

  it('names a dependency that is not installed', () => {
    pkg('node_modules/a', { ghost: '1' });
    expect(() => dependencyClosure(folder, ['a'])).toThrow(/ghost is not installed/);
  });

  it('reads the packed folders from the files line of electron-builder.yml', () => {
    const yml = "files:\n  - out/**\n  - '!node_modules/**'\n  - 'node_modules/{b, a,@s/d}/**'\n";
    expect(packedModules(yml)).toEqual(['@s/d', 'a', 'b']);
    expect(() => packedModules('files:\n  - out/**\n')).toThrow(/node_modules/);
  });

  it('finds the packages a built file loads, leaving out built-ins, electron and its own files', () => {
    mkdirSync(join(folder, 'chunks'));
    writeFileSync(
      join(folder, 'index.js'),
      [
        'import { app } from "electron";',
        'import fs from "node:fs";',
        'import path from "path";',
        'import { z } from "zod";',
        'import "./chunks/log.js";',
        'const u = await import("electron-updater");',
        'import {',
        '  a,',
        '  b',
        '} from "@t/multi";',
        'import "side-effect";',
        // Text that only looks like an import is not one.
        'const sql = `select 1 from "leads"`;',
        '// copied from "somewhere"',
      ].join('\n'),
    );
    writeFileSync(
      join(folder, 'chunks', 'log.cjs'),
      'const Database = require("better-sqlite3");\nconst s = require("@s/d/sub");\n',
    );
    expect(runtimeImports(folder)).toEqual([
      '@s/d',
      '@t/multi',
      'better-sqlite3',
      'electron-updater',
      'side-effect',
      'zod',
    ]);
  });

  it('electron-builder.yml packs exactly the packaged dependencies and what they need', () => {
    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    expect(packedModules(yml)).toEqual(dependencyClosure(root, packagedDependencies));
    // …and nothing of the sync server's.
    for (const server of ['@electric-sql/pglite', 'fastify', 'argon2', 'pg', 'ioredis', 'tsx']) {
      expect(packedModules(yml)).not.toContain(server);
    }
  });
});
