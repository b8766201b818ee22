import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Run from the repo root: `vite build --config web/vite.config.ts`. Paths resolve from this file, not the cwd.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.LINLI_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/docs': { target: apiTarget },
      '/openapi.json': { target: apiTarget },
    },
  },
});
