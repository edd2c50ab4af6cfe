import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { snapshotJsonSchemaText } from './commands/schema';

/**
 * `npm run schema`: regenerates schema/snapshot.schema.json from the zod schema in core, so the published file
 * cannot drift from what `parseSnapshot` accepts (a test compares the two). schema/metrics-report.schema.json is
 * NOT generated: it is the hand-written contract of the JSON output, reviewed like an API change.
 */

/** The repository's schema/ directory, from packages/cli/dist (or src when run through ts tooling). */
export const SCHEMA_DIR = resolve(__dirname, '..', '..', '..', 'schema');

/** Files this script owns, by name inside schema/, with their current content. */
export function generatedSchemas(): Record<string, string> {
  return { 'snapshot.schema.json': snapshotJsonSchemaText() };
}

export function writeSchemas(dir: string = SCHEMA_DIR): string[] {
  return Object.entries(generatedSchemas()).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text, 'utf8');
    return path;
  });
}

if (require.main === module) {
  for (const path of writeSchemas()) process.stdout.write(`wrote ${path}\n`);
}
