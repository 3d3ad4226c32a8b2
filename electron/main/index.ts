/**
 * The Electron main process's entry (out/main/index.js). The only place `electron` is handed to
 * the app: everything else receives the parts it needs, and is tested without Electron.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import { createMainApp } from './main-app.ts';

createMainApp(electron, {
  mainDir: path.dirname(fileURLToPath(import.meta.url)),
  env: process.env,
  platform: process.platform,
  // electron-updater is CommonJS: its default export carries `autoUpdater` (named import fails
  // from ESM). Loaded lazily, and only when packaged.
  loadUpdater: async () => (await import('electron-updater')).default.autoUpdater,
});
