import { OUTCOME_KINDS, type OutcomeKind, type OutcomeRecord, type OutcomeSettings, checkOutcomeSettings } from '@agile-kpi/core';
import type { HostResult, OutcomeData, OutcomeFile, OutcomeRemoval } from '@agile-kpi/presentation';
import { AppError, ConfigError } from './host-error';
import type { OutcomeSink } from './outcome-upload';

/**
 * Where a scope's outcome data is kept, for the settings page: its uploads ({@link OutcomeSink}), the records to
 * list and remove, and its outcome settings where the host can change them (the CLI's store, a hosted scope; a
 * snapshot file or the demo for the life of the server).
 */
export interface OutcomeStore extends OutcomeSink {
  list(): Promise<readonly OutcomeRecord[]>;
  /** Deletes records of one kind by id, all or none; answers how many were there. */
  remove(kind: OutcomeKind, ids: readonly string[]): Promise<number>;
  settings?(): Promise<OutcomeSettings>;
  setSettings?(settings: OutcomeSettings): Promise<void>;
}

/**
 * The name of the file a record was uploaded or imported from: its `source` is "<file name> row <n>" and its id
 * `import:<digest>:<row>`. Undefined for a record that came from no file (a service desk rating).
 */
export function outcomeFileOf(r: Pick<OutcomeRecord, 'id' | 'source'>): string | undefined {
  if (!r.id.startsWith('import:')) return undefined;
  const m = /^(.*) row \d+$/.exec(r.source);
  return m ? m[1] : r.source;
}

/** The files records came from, per kind, with their record counts: by kind, then name. */
export function outcomeFiles(records: readonly OutcomeRecord[]): OutcomeFile[] {
  const counts = new Map<string, OutcomeFile>();
  for (const r of records) {
    const name = outcomeFileOf(r);
    if (name === undefined) continue;
    const key = `${r.kind}\u0000${name}`;
    counts.set(key, { kind: r.kind, name, records: (counts.get(key)?.records ?? 0) + 1 });
  }
  const order = (k: OutcomeKind) => OUTCOME_KINDS.indexOf(k);
  return [...counts.values()].sort((a, b) => order(a.kind) - order(b.kind) || a.name.localeCompare(b.name));
}

/** What the settings page shows of a scope's outcome data. */
export async function outcomeData(store: OutcomeStore): Promise<OutcomeData> {
  const [records, settings] = await Promise.all([store.list(), store.settings?.()]);
  return { files: outcomeFiles(records), ...(settings && store.setSettings ? { settings } : {}) };
}

/**
 * The settings page's outcome settings (`{ cost?, features? }`), checked by core's rule (the one `agile-kpi
 * outcomes settings` uses) and kept whole in place of the scope's earlier ones; a refusal names its field and
 * changes nothing. The host decides before calling who may (as for an upload).
 */
export async function saveOutcomeSettings(store: OutcomeStore, input: unknown): Promise<HostResult<OutcomeData>> {
  if (!store.setSettings) return { ok: false, error: { kind: 'not-found', message: 'this dashboard keeps no outcome settings of its own: set them in the store with agile-kpi outcomes settings' } };
  const checked = checkOutcomeSettings(input);
  if (!checked.ok) return invalid(checked.message);
  await store.setSettings(checked.value);
  return { ok: true, data: await outcomeData(store) };
}

/**
 * Removes the records of one kind that a file of that name brought in (`{ kind, name }`, as {@link outcomeData}
 * lists it), as `agile-kpi outcomes remove --kind K --file NAME` does; a name the scope has no records from is
 * refused with the names it has.
 */
export async function removeOutcomeFile(store: OutcomeStore, input: unknown): Promise<HostResult<OutcomeRemoval>> {
  const body = (input ?? {}) as { kind?: unknown; name?: unknown };
  if (typeof body.kind !== 'string' || !(OUTCOME_KINDS as readonly string[]).includes(body.kind)) return invalid(`kind must be one of ${OUTCOME_KINDS.join(', ')}: what the file held`);
  if (typeof body.name !== 'string' || !body.name.trim()) return invalid('name must be the uploaded file’s name, as the settings list it');
  const kind = body.kind as OutcomeKind;
  const name = body.name;
  const records = (await store.list()).filter((r) => r.kind === kind);
  const ids = records.filter((r) => outcomeFileOf(r) === name).map((r) => r.id);
  if (ids.length === 0) {
    const files = [...new Set(records.flatMap((r) => outcomeFileOf(r) ?? []))].sort();
    return { ok: false, error: { kind: 'not-found', message: `there are no ${kind} records from a file named ${name}: ${files.length ? `the ${kind} files are ${files.join(', ')}` : `no ${kind} file was uploaded`}` } };
  }
  const removed = await store.remove(kind, ids);
  return { ok: true, data: { removed, message: `removed ${removed} ${kind} record${removed === 1 ? '' : 's'} of ${name}`, ...(await outcomeData(store)) } };
}

/**
 * An answer of these calls (or of `uploadOutcomes`) as a host's own call returns it: the data, or its refusal thrown
 * as the error the host answers with (`invalid` as a ConfigError, `not-found` as an AppError).
 */
export function settledOutcomes<T>(answer: HostResult<T>): T {
  if (!answer.ok) throw answer.error.kind === 'invalid' ? new ConfigError(answer.error.message) : new AppError(answer.error.kind, answer.error.message);
  return answer.data;
}

function invalid(message: string): { ok: false; error: { kind: 'invalid'; message: string } } {
  return { ok: false, error: { kind: 'invalid', message } };
}
