import { OUTCOME_KINDS, type OutcomeKind, type OutcomeRecord, type OutcomeSettings } from '@agile-kpi/core';
import type { HostResult, OutcomeUploadResult } from '@agile-kpi/presentation';
import type { OutcomeStore } from './outcome-data';
import { problemLines, readOutcomeFile } from './outcome-file';

/**
 * Where uploaded records are kept: a scope of the CLI's store, a hosted scope ({@link ScopeStore.putOutcomes}: the
 * Forge app's Key-Value Store, the Azure DevOps extension's data), or memory (a snapshot file, the demo).
 */
export interface OutcomeSink {
  /** Stores records of one kind, all or none; answers how many were new and how many replaced one with the same id. */
  put(kind: OutcomeKind, records: readonly OutcomeRecord[]): Promise<{ readonly added: number; readonly replaced: number }>;
}

/** The most text one upload may carry (the settings page refuses bigger files before reading them). */
export const MAX_UPLOAD_CHARS = 5_000_000;

/**
 * The settings page's upload of a survey, analytics or benefit file (`{ kind, name, text }`: serve's
 * `POST /api/outcomes`, the Forge app's `importOutcomes` resolver, the Azure DevOps hub's host), read by the same
 * reader as `agile-kpi outcomes import` (`readOutcomeFile`): a file with any bad row stores nothing and answers every
 * problem with its row and column (at most 20, then a count); records have the ids of the file's digest and row, so
 * the same file again changes nothing. A request that is not an upload is answered `invalid`; what the sink throws
 * (its storage failing) is the caller's to answer.
 */
export async function uploadOutcomes(sink: OutcomeSink, input: unknown): Promise<HostResult<OutcomeUploadResult>> {
  const body = (input ?? {}) as { kind?: unknown; name?: unknown; text?: unknown };
  if (typeof body.kind !== 'string' || !(OUTCOME_KINDS as readonly string[]).includes(body.kind)) return invalid(`kind must be one of ${OUTCOME_KINDS.join(', ')}: what the file holds`);
  if (typeof body.text !== 'string') return invalid(`text must be the file's content (at most ${MAX_UPLOAD_CHARS / 1_000_000} MB of text)`);
  if (body.text.length > MAX_UPLOAD_CHARS) return invalid(`the file is larger than ${MAX_UPLOAD_CHARS / 1_000_000} MB: split it, or import it with agile-kpi outcomes import`);
  const kind = body.kind as OutcomeKind;
  // Only the file's own name: it is shown to people and kept as the records' provenance, never used as a path.
  const name = (typeof body.name === 'string' ? body.name.split(/[\\/]/).pop()!.trim().slice(0, 200) : '') || `uploaded ${kind} file`;
  const read = readOutcomeFile(body.text, kind, name);
  if (!read.ok) {
    const n = read.problems.length;
    return { ok: true, data: { imported: false, message: `${name}: ${n} problem${n === 1 ? '' : 's'}, nothing imported (fix ${n === 1 ? 'it' : 'them'} and upload the whole file again)`, problems: problemLines(name, read.problems) } };
  }
  const { added, replaced } = await sink.put(kind, read.records);
  const unchanged = read.records.length - added - replaced;
  return { ok: true, data: { imported: true, added, replaced, unchanged, message: `${name} (${kind}): ${importSummary(read.records.length, added, replaced)}` } };
}

/** "3 new records; 1 updated; 6 already imported": what an import or an upload did. */
export function importSummary(total: number, added: number, replaced: number): string {
  const parts = [`${added} new record${added === 1 ? '' : 's'}`, ...(replaced ? [`${replaced} updated`] : []), `${total - added - replaced} already imported`];
  return parts.join('; ');
}

/**
 * Puts records into `kept` by id: how many were new, and how many replaced a record with the same id that differed
 * (the rest were there already, unchanged).
 */
export function mergeOutcomes(kept: Map<string, OutcomeRecord>, records: readonly OutcomeRecord[]): { added: number; replaced: number } {
  let added = 0;
  let replaced = 0;
  for (const r of records) {
    const before = kept.get(r.id);
    if (!before) added++;
    else if (JSON.stringify(before) !== JSON.stringify(r)) replaced++;
    kept.set(r.id, r);
  }
  return { added, replaced };
}

/**
 * Records kept in memory for a snapshot file or the demo team: what `records()` gives to the metrics. Uploaded
 * files can be listed and removed again. Given `settings` (those the file or the demo came with), the outcome
 * settings can be changed too, for the life of the sink (`currentSettings()` gives them to the metrics); without,
 * they are not offered.
 */
export function memoryOutcomeSink(
  initial: readonly OutcomeRecord[] = [],
  options: { readonly settings?: OutcomeSettings } = {},
): OutcomeStore & { records(): OutcomeRecord[]; currentSettings(): OutcomeSettings } {
  const kept = new Map<string, OutcomeRecord>(initial.map((r) => [r.id, r]));
  let settings = options.settings ?? {};
  return {
    put: async (_kind, records) => mergeOutcomes(kept, records),
    records: () => [...kept.values()],
    list: async () => [...kept.values()],
    remove: async (kind, ids) => ids.filter((id) => kept.get(id)?.kind === kind && kept.delete(id)).length,
    currentSettings: () => settings,
    ...(options.settings
      ? {
          settings: async () => settings,
          setSettings: async (next: OutcomeSettings) => void (settings = next),
        }
      : {}),
  };
}

function invalid(message: string): { ok: false; error: { kind: 'invalid'; message: string } } {
  return { ok: false, error: { kind: 'invalid', message } };
}
