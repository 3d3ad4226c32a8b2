import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The renderer's build: static files in out/renderer that Electron loads from disk and the browser
 * shell serves on loopback. `base: './'` keeps every URL relative (file:// in Electron); the page's
 * CSP forbids inline scripts and styles, so nothing may be inlined into index.html.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    // Inlined assets would be data: URLs; the CSP allows those for images only, so keep files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // electron-vite leaves its builds unminified unless told; the page parses this bundle at every
    // launch (unminified React alone is 530 kB), so it is minified whichever tool builds it.
    minify: true,
    sourcemap: true,
    target: 'chrome130',
  },
  server: { host: '127.0.0.1', strictPort: false },
});
