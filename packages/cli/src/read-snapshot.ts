import { readFileSync } from 'node:fs';
import { type CustomerOutcomes, assembleSnapshot, parseOutcomes, parseSnapshot, type Snapshot } from '@agile-kpi/core';
import { CliError, fileError, inSource } from './cli-error';
import { parseJsonText } from './json-text';
import { applyOverrides, type SnapshotOverrides } from './metric-options';

/**
 * Reads a snapshot file the way every command should: file -> JSON -> overrides -> `parseSnapshot`. Each step
 * fails with one line that names the file and what is wrong in it (no such file, a directory, the JSON
 * position, the field and the item that break the schema or contradict the history).
 */
export function readSnapshot(path: string, overrides: SnapshotOverrides = {}): Snapshot {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fileError('read', path, err);
  }
  return checkSnapshot(parseJsonText(text, path), path, overrides);
}

/**
 * Reads a customer outcomes file (`metrics --input team.json --outcomes team.outcomes.json`): the survey responses,
 * usage, feature links, benefits and cost of one snapshot's team, bound to its releases and epics by id, as `demo
 * --write-snapshot` writes them beside the snapshot. Fails with one line naming the file and the first bad field.
 */
export function readOutcomesFile(path: string): CustomerOutcomes {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fileError('read', path, err);
  }
  const input = parseJsonText(text, path);
  try {
    return parseOutcomes(input);
  } catch (err) {
    // parseOutcomes names the first bad field in a RangeError: a problem of the file, not a bug.
    throw err instanceof RangeError ? new CliError(`${path}: ${err.message}`) : err;
  }
}

/** The last two steps, shared with `demo`, whose snapshot comes from the simulator instead of a file. */
export function checkSnapshot(input: unknown, source: string, overrides: SnapshotOverrides = {}): Snapshot {
  try {
    return parseSnapshot(applyOverrides(input, overrides));
  } catch (err) {
    throw inSource(source, err);
  }
}

/**
 * `checkSnapshot` for a snapshot read from the store's compiled items: when every item is one the store checked
 * and kept unchanged since (`itemsChecked`), only the rest of the snapshot is checked (`assembleSnapshot`); else
 * the whole of it, as any snapshot.
 */
export function checkCompiledSnapshot(board: { readonly snapshot: Snapshot; readonly itemsChecked: boolean }, source: string, overrides: SnapshotOverrides = {}): Snapshot {
  if (!board.itemsChecked) return checkSnapshot(board.snapshot, source, overrides);
  try {
    return assembleSnapshot(applyOverrides(board.snapshot, overrides), board.snapshot.items);
  } catch (err) {
    throw inSource(source, err);
  }
}
