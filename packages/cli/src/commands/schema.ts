import { Command } from 'commander';
import { snapshotInputSchema } from '@agile-kpi/core';
import type { Io } from '../io';

/**
 * `agile-kpi schema`: the JSON Schema of a snapshot file, generated from the same zod schema that
 * `parseSnapshot` checks with, so that users can validate their exports in any language before running metrics.
 * The schema describes the shape; `parseSnapshot` additionally checks what JSON Schema cannot (real calendar
 * instants and zones, changes before creation, duplicate ids).
 */

export function snapshotJsonSchema(): Record<string, unknown> {
  // zod's toJSONSchema, through the schema's own method so that the CLI needs no direct zod dependency.
  // io 'input': fields with defaults are optional, as in a file (the output side would require them).
  const generated = snapshotInputSchema.toJSONSchema({ io: 'input' }) as unknown as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'agile-kpi snapshot',
    description:
      'One team\'s work-item history in the tracker-neutral model: what `agile-kpi metrics --input` reads. ' +
      'Generated from the zod schema in @agile-kpi/core (npm run schema); do not edit by hand.',
    ...rest,
  };
}

export function snapshotJsonSchemaText(): string {
  return `${JSON.stringify(snapshotJsonSchema(), null, 2)}\n`;
}

export function schemaCommand(io: Io): Command {
  return new Command('schema')
    .summary('print the JSON Schema of a snapshot file')
    .description('Print the JSON Schema (draft 2020-12) of the snapshot file that `agile-kpi metrics --input` reads.')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ agile-kpi schema > snapshot.schema.json',
        '  $ npx ajv-cli validate --spec=draft2020 -s snapshot.schema.json -d team.json',
      ].join('\n'),
    )
    .action(() => {
      io.stdout.write(snapshotJsonSchemaText());
    });
}
