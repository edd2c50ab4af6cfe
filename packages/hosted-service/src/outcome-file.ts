import { OUTCOME_COLUMNS, type OutcomeKind, type OutcomeRecord, outcomeRecord } from '@agile-kpi/core';
import { parse } from 'csv-parse/sync';
import { sha256 } from './sha256';

/** At most this many problems are listed one by one; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;

export interface RowProblem {
  /** A CSV file's line as a spreadsheet numbers it (the header is row 1), a JSON array's element from 1. */
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

export type ReadOutcomes = { readonly ok: true; readonly records: OutcomeRecord[] } | { readonly ok: false; readonly problems: RowProblem[] };

/**
 * Reads a survey, analytics or benefit file (CSV with a header row, or a JSON array of objects, told apart by its
 * first character) into records, all or none: a file with any bad row gives back every problem (row and column)
 * and no record. Each record's id is the file's digest and its row, so importing the same file again gives the same
 * ids (and changes nothing in the store), while another file's rows never collide with it. The CLI's import and
 * every host's upload (serve, the Forge app, the Azure DevOps extension) read a file here, so the same file has the
 * same ids wherever it was imported.
 *
 * @example readOutcomeFile('date,score\n2026-03-02,5\n', 'csat', 'survey.csv') // { ok: true, records: [{ id: 'import:<digest>:2', ... }] }
 */
export function readOutcomeFile(text: string, kind: OutcomeKind, name: string): ReadOutcomes {
  const digest = sha256(text).slice(0, 16);
  const read = text.trimStart().startsWith('[') ? jsonRows(text) : csvRows(text, kind);
  const problems: RowProblem[] = [...(read.problems ?? [])];
  const records: OutcomeRecord[] = [];
  for (const { row, cells } of read.rows) {
    const out = outcomeRecord(kind, cells, `import:${digest}:${row}`, `${name} row ${row}`);
    if ('record' in out) {
      records.push(out.record);
      continue;
    }
    // A column as the file spells it ("Active_Users"), where it has one.
    const spelt = new Map(Object.keys(cells).map((k) => [columnKey(k), k]));
    problems.push(...out.problems.map((p) => ({ row, column: spelt.get(columnKey(p.column)) ?? p.column, message: p.message })));
  }
  if (problems.length === 0 && read.rows.length === 0) problems.push({ row: 1, column: '(file)', message: `has no rows: expected a header and one ${kind} row per line, or a JSON array of objects` });
  problems.sort((x, y) => x.row - y.row);
  return problems.length ? { ok: false, problems } : { ok: true, records };
}

/** The problems as lines, at most {@link MAX_LISTED_PROBLEMS}, then how many more. */
export function problemLines(name: string, problems: readonly RowProblem[]): string[] {
  const lines = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `${name} row ${p.row}, column ${p.column}: ${p.message}`);
  if (problems.length > MAX_LISTED_PROBLEMS) lines.push(`... and ${problems.length - MAX_LISTED_PROBLEMS} more problem${problems.length - MAX_LISTED_PROBLEMS === 1 ? '' : 's'}`);
  return lines;
}

/** The rows read, and the problems that kept some (or, when the file cannot be read at all, every) row out. */
interface Rows {
  readonly rows: readonly { readonly row: number; readonly cells: Record<string, unknown> }[];
  readonly problems?: readonly RowProblem[];
}

/** "Active users", "active_users" and "ACTIVE-USERS" name the same column (as core reads a row's keys). */
const columnKey = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

function csvRows(text: string, kind: OutcomeKind): Rows {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // Rows as arrays, with a row's cell count checked here: a row with a stray comma is one problem among the
    // others, not the end of the reading.
    parsed = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }) as unknown as typeof parsed;
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    return { rows: [], problems: [{ row: e.lines ?? 1, column: '(line)', message: `is not CSV: ${e.message ?? 'unreadable'}` }] };
  }
  const [head, ...body] = parsed;
  if (!head) return { rows: [] };
  const header = head.record;
  const required = OUTCOME_COLUMNS[kind].required;
  const missing = required.filter((c) => !header.some((h) => columnKey(h) === columnKey(c)));
  if (missing.length) {
    const all = [...required, ...OUTCOME_COLUMNS[kind].optional].join(', ');
    return { rows: [], problems: missing.map((column) => ({ row: head.info.lines, column, message: `is missing from the header (a ${kind} file has the columns ${all}; the header has ${header.join(', ')})` })) };
  }
  const twice = header.filter((h, i) => header.findIndex((x) => columnKey(x) === columnKey(h)) !== i);
  if (twice.length) return { rows: [], problems: twice.map((column) => ({ row: head.info.lines, column, message: 'appears twice in the header: which one holds the value?' })) };
  const problems: RowProblem[] = [];
  const rows = body.flatMap(({ record, info }) => {
    // csv-parse counts the lines read up to the end of each record: the record's own row when it fits on one line.
    if (record.length !== header.length) {
      problems.push({ row: info.lines, column: '(row)', message: `has ${record.length} cells where the header has ${header.length} columns (a value with a comma needs quotes: "Acme, Inc")` });
      return [];
    }
    return [{ row: info.lines, cells: Object.fromEntries(header.map((h, i) => [h, record[i]])) }];
  });
  return { rows, problems };
}

function jsonRows(text: string): Rows {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { rows: [], problems: [{ row: 1, column: '(file)', message: `is not JSON: ${(err as Error).message}` }] };
  }
  if (!Array.isArray(value)) return { rows: [], problems: [{ row: 1, column: '(file)', message: 'must be a JSON array with one object per response or row' }] };
  const problems: RowProblem[] = [];
  const rows = value.flatMap((cells: unknown, i) => {
    if (cells !== null && typeof cells === 'object' && !Array.isArray(cells)) return [{ row: i + 1, cells: cells as Record<string, unknown> }];
    problems.push({ row: i + 1, column: '(row)', message: `must be an object such as {"date": "2026-03-02", "score": 5}, got ${JSON.stringify(cells)}` });
    return [];
  });
  return { rows, problems };
}
