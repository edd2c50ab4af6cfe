import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsReport } from '@agile-kpi/core';
import { fileError } from './cli-error';
import { wantsColor, type Io } from './io';
import { renderText } from './render-text';

/**
 * Where a report goes, shared by `demo` and `metrics`: the summary or the JSON on stdout, and with `--out` a
 * `metrics.json` on disk. With `--format json` stdout carries nothing but the JSON (so it can be piped into
 * jq), and the note about written files goes to stderr.
 */
export type OutputFormat = 'text' | 'json';

export interface EmitOptions {
  readonly format: OutputFormat;
  /** Directory for metrics.json. */
  readonly out?: string;
}

export function emitReport(report: MetricsReport, options: EmitOptions, io: Io, notes: readonly string[] = []): void {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const written = [...notes];
  if (options.out !== undefined) written.push(`wrote ${writeText(join(options.out, 'metrics.json'), json, options.out)}`);
  if (options.format === 'json') {
    io.stdout.write(json);
    for (const n of written) io.stderr.write(`${n}\n`);
  } else {
    io.stdout.write(renderText(report, { color: wantsColor(io) }));
    for (const n of written) io.stdout.write(`${n}\n`);
  }
}

/** Writes a file (creating `dir` first when given); returns the path for the "wrote ..." note. */
export function writeText(path: string, text: string, dir?: string): string {
  try {
    if (dir !== undefined) mkdirSync(dir, { recursive: true });
    writeFileSync(path, text, 'utf8');
  } catch (err) {
    throw fileError('write', path, err);
  }
  return path;
}
