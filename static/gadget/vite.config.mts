import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The Custom UI bundle of every agile-kpi gadget, built into `build/` (the path manifest.yml names). Forge
 * serves the folder under its own URL, so asset paths are relative (`base: './'`). The shared UI is compiled
 * from its TypeScript source, and React is deduplicated: the dashboard package and this one each have a copy
 * in their node_modules, and two Reacts in one page break hooks.
 */
export default defineConfig({
  root: here('.'),
  base: './',
  build: {
    outDir: 'build',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2_000,
  },
  resolve: {
    alias: {
      // Before the package's main entry, which would match as a prefix.
      '@agile-kpi/dashboard/dashboard.css': here('../../packages/dashboard/src/styles/dashboard.css'),
      '@agile-kpi/dashboard': here('../../packages/dashboard/src/index.ts'),
      '@agile-kpi/presentation': here('../../packages/presentation/src/index.ts'),
      '@agile-kpi/core': here('../../packages/core/src/index.ts'),
    },
    dedupe: ['react', 'react-dom'],
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
