import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { CliError } from './cli-error';

/**
 * The rules every YAML file agile-kpi reads shares (`schedules.yml`, the organisation server's `org.yml`): the
 * YAML checked first (its line and column), then its shape (zod), every problem named by its path as the user
 * reads it ("entries[1] (platform-weekly).cadence.cron"), in one line.
 */
export function parseYamlConfig<T>(text: string, path: string, schema: z.ZodType<T>): { data: T; raw: unknown } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const where = e.linePos?.[0] ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '';
    throw new CliError(`${path}${where}: not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const raw: unknown = doc.toJS();
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw problemsError(path, parsed.error.issues.map((i) => `${configPath(raw, i.path)}: ${describeIssue(i)}`));
  return { data: parsed.data, raw };
}

/** One error for all of a file's problems: the first six, and how many more. */
export function problemsError(path: string, problems: readonly string[]): CliError {
  const shown = problems.slice(0, 6);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return new CliError(`${path}: ${problems.length === 1 ? '' : `${problems.length} problems: `}${shown.join('; ')}${more}`);
}

/** "entries[1] (platform-weekly).cadence.cron": a path as the user reads it, a top-level list's element with its name or id. */
export function configPath(data: unknown, path: readonly PropertyKey[]): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    if (typeof p === 'number') out += `[${p}]`;
    else out += `${out ? '.' : ''}${String(p)}`;
    if (i === 1 && typeof p === 'number') {
      const element = (data as Record<string, { name?: unknown; id?: unknown }[] | undefined>)?.[String(path[0])]?.[p];
      const label = typeof element?.name === 'string' && element.name ? element.name : typeof element?.id === 'string' && element.id ? element.id : undefined;
      if (label) out += ` (${label})`;
    }
  }
  return out || 'the file';
}

function describeIssue(i: z.core.$ZodIssue): string {
  if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length === 1 ? '' : 's'} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
  if (i.code === 'invalid_type' && i.input === undefined) return `is required (${i.message.replace(/^Invalid input: /, '')})`;
  return i.message.replace(/^Invalid input: /, '');
}

/** The machine's IANA zone (UTC when it has none). */
export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
