import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The standalone page of `agile-kpi serve`: src/entries/index.html -> web/standalone/ (index.html + assets),
// with relative URLs so the server can mount it anywhere.
export default defineConfig({
  root: resolve(__dirname, 'src/entries'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(__dirname, 'web/standalone'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 700,
  },
});
