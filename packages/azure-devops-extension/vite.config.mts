import { resolve } from 'node:path';
import { type Plugin, defineConfig } from 'vite';
import { logoPng } from './scripts/logo';

const here = (...path: string[]) => resolve(__dirname, ...path);

/** The logo is drawn at build time (scripts/logo.ts) into dist/img/, where vss-extension.json points. */
function logo(): Plugin {
  return {
    name: 'agile-kpi-logo',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'img/logo.png', source: logoPng(128) });
    },
  };
}

/**
 * The extension's pages: src/pages/{hub,widget,widget-config}.html -> dist/ (the folder vss-extension.json
 * packages). Azure DevOps serves the files under the extension's own base URL, so asset paths are relative
 * (`base: './'`). The shared UI and the adapter are compiled from their TypeScript sources; React is
 * deduplicated (the dashboard package and this one each have a copy in their node_modules, and two Reacts in one
 * page break hooks); the CLI's Node-only Azure DevOps client, which the adapter's index also exports, is
 * replaced by a stub, and csv-parse (an uploaded outcome file's reader) is its browser build.
 */
export default defineConfig({
  root: here('src/pages'),
  base: './',
  plugins: [logo()],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2_000,
    rollupOptions: {
      input: {
        hub: here('src/pages/hub.html'),
        widget: here('src/pages/widget.html'),
        'widget-config': here('src/pages/widget-config.html'),
      },
    },
  },
  resolve: {
    alias: {
      // Before the package's main entry, which would match as a prefix.
      '@agile-kpi/dashboard/dashboard.css': here('../dashboard/src/styles/dashboard.css'),
      '@agile-kpi/dashboard': here('../dashboard/src/index.ts'),
      '@agile-kpi/presentation': here('../presentation/src/index.ts'),
      '@agile-kpi/hosted-service': here('../hosted-service/src/index.ts'),
      '@agile-kpi/core': here('../core/src/index.ts'),
      '@agile-kpi/azure-devops': here('../azure-devops/src/index.ts'),
      '@agile-kpi/tracker-client': here('../tracker-client/src/index.ts'),
      'azure-devops-node-api': here('src/node-api-stub.ts'),
      // The outcome file reader's CSV parser in its browser build (the Node one uses Node's Buffer).
      'csv-parse/sync': 'csv-parse/browser/esm/sync',
    },
    dedupe: ['react', 'react-dom'],
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
