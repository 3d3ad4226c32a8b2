// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';

const onlyShellImportsElectron = {
  name: 'electron',
  message: 'Only electron/main and electron/preload import electron (ARCHITECTURE.md).',
};

/**
 * The folders are the architecture: imports point one way (ARCHITECTURE.md). One rule per folder,
 * since a later `no-restricted-imports` for the same file replaces an earlier one.
 */
function imports(files, patterns, { electron = false } = {}) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns, paths: electron ? [] : [onlyShellImportsElectron] },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'release/',
      '.data/',
      'coverage/',
      'scratch/',
      'bench/results/',
      'test-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-console': 'error',
    },
  },
  imports(
    ['db/**/*.ts'],
    [
      {
        group: ['**/sync-server/**', '**/agents/**', '**/electron/**', '**/renderer/**'],
        message: 'db/ imports no other top-level folder.',
      },
    ],
  ),
  imports(
    ['agents/**/*.ts'],
    [
      {
        group: ['**/sync-server/**', '**/electron/**', '**/renderer/**'],
        message: 'agents/ knows nothing of HTTP or the desktop.',
      },
    ],
  ),
  imports(
    ['sync-server/**/*.ts'],
    [{ group: ['**/electron/**', '**/renderer/**'], message: 'Nothing imports the desktop.' }],
  ),
  imports(
    ['electron/**/*.ts'],
    [
      {
        group: ['**/sync-server/**', '**/agents/**'],
        message: 'The desktop talks to the server over HTTP.',
      },
      { group: ['**/renderer/**'], message: 'Nothing imports renderer/.' },
    ],
  ),
  imports(
    ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    [
      {
        group: ['**/sync-server/**', '**/agents/**'],
        message: 'The desktop talks to the server over HTTP.',
      },
      { group: ['**/renderer/**'], message: 'Nothing imports renderer/.' },
    ],
    { electron: true },
  ),
  imports(['tests/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts'], [], {}),
  {
    // The renderer talks only to the typed desktop API: db/ for types (and its enumerations), and
    // no Node, no Electron.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/db/(?!enums\\.ts$|wire/loopback\\.ts$)',
              allowTypeImports: true,
              message: 'The renderer imports db/ for types only (db/enums.ts for its lists).',
            },
            {
              group: ['**/sync-server/**', '**/agents/**', '**/electron/**', 'electron', 'node:*'],
              message: 'The renderer reaches the local core only through the desktop API.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['db/cli/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
