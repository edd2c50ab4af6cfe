/** Public API of @agile-kpi/cli: the command for launchers and tests, and the pieces other surfaces reuse. */
export { main, buildProgram } from './main';
export type { Io, TextSink } from './io';
export * from './traffic-lights';
export { renderText, kpiSummaries, allWarnings } from './render-text';
export type { RenderOptions } from './render-text';
export { snapshotJsonSchema } from './commands/schema';
