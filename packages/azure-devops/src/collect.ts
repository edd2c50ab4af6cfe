import type { DataWarning } from '@agile-kpi/core';
import { type RecordProblem, readRecord, skippedWarning } from '@agile-kpi/tracker-client';
import { AdoError } from './ado-error';
import type { AdoClient } from './ado-client';
import type { TeamContext } from './discover-team';
import { ROUTES } from './routes';
import {
  type AdoRevision,
  type AdoWorkItem,
  reportingBatchSchema,
  revisionSchema,
  revisionsPageSchema,
  wiqlResultSchema,
  wiqlRowSchema,
  workItemSchema,
  workItemsBatchSchema,
} from './wire';

/** Where a record that cannot be read is reported (the sync's warning sink). */
export type Warn = (warning: DataWarning) => void;

/** Work items whose records could not be read, with what was wrong: the sync leaves each out, with a warning. */
export type Unreadable = Map<number, RecordProblem[]>;

/** WIQL answers at most 20 000 work items (VS402337): ids are read in windows below that. */
export const WIQL_WINDOW = 19_999;
/** workitemsbatch takes at most 200 ids (VS403474). */
export const BATCH_SIZE = 200;

/** A WIQL string literal. */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Ids of the team's work items: WIQL scoped to the team's area paths, read in id windows of under 20 000
 * (`[System.Id] > last ORDER BY [System.Id]` with `$top`), so no board is too big for the cap. Returns the
 * ids and the server's Date of the first answer (the watermark's clock).
 */
export async function collectTeamIds(client: AdoClient, ctx: TeamContext, warn: Warn, window = WIQL_WINDOW): Promise<{ ids: number[]; serverDate?: string }> {
  if (ctx.areaPaths.length === 0) throw new AdoError('bad-request', `team ${ctx.team} has no area paths: in Azure DevOps, set the team's areas (Project settings > Team configuration > Areas)`);
  const areas = ctx.areaPaths.map((a) => `[System.AreaPath] ${a.includeChildren ? 'UNDER' : '='} ${lit(a.value)}`).join(' OR ');
  const ids: number[] = [];
  let serverDate: string | undefined;
  for (let last = 0; ; ) {
    const query = `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND (${areas}) AND [System.Id] > ${last} ORDER BY [System.Id]`;
    const { body, response } = await client.call(ROUTES.wiql, { project: ctx.project, team: ctx.team }, wiqlResultSchema, { body: { query }, query: { $top: window } });
    serverDate ??= response.headers['date'];
    for (const raw of body.workItems) {
      const r = readRecord(wiqlRowSchema, raw);
      if (r.ok) ids.push(r.value.id);
      else warn(skippedWarning('a row of the WIQL answer', r.problems));
    }
    if (body.workItems.length < window || ids.length === 0) return { ids, ...(serverDate ? { serverDate } : {}) };
    last = ids[ids.length - 1]!;
  }
}

/**
 * Current fields of work items through workitemsbatch, 200 ids per call. With `errorPolicy: omit`, an item
 * deleted (or moved out of reach) since the WIQL query comes back as `null`: it is listed in `gone`. An item
 * whose record cannot be read goes to `unreadable`.
 */
export async function collectCurrent(
  client: AdoClient,
  project: string,
  ids: readonly number[],
  fields: readonly string[],
  unreadable: Unreadable,
  warn: Warn,
): Promise<{ items: AdoWorkItem[]; gone: number[] }> {
  const items: AdoWorkItem[] = [];
  const answered = new Set<number>();
  for (let i = 0; i < ids.length; i += BATCH_SIZE) {
    const { body } = await client.call(ROUTES.workItemsBatch, { project }, workItemsBatchSchema, { body: { ids: ids.slice(i, i + BATCH_SIZE), fields, errorPolicy: 'omit' } });
    for (const raw of body) {
      if (raw === null) continue;
      const r = readRecord(workItemSchema, raw);
      const id = idOf(raw);
      if (id !== undefined) answered.add(id);
      if (r.ok) items.push(r.value);
      else if (id !== undefined) addProblems(unreadable, id, r.problems);
      else warn(skippedWarning('a work item of the batch answer', r.problems));
    }
  }
  return { items, gone: ids.filter((id) => !answered.has(id)) };
}

/** Reads revisions one by one; a revision that cannot be read marks its work item unreadable. */
function readRevisions(raws: readonly unknown[], unreadable: Unreadable, itemId?: number): AdoRevision[] {
  const out: AdoRevision[] = [];
  for (const raw of raws) {
    const r = readRecord(revisionSchema, raw, `revision ${revOf(raw) ?? '?'}`);
    if (r.ok) out.push(r.value);
    else {
      const id = idOf(raw) ?? itemId;
      if (id !== undefined) addProblems(unreadable, id, r.problems);
    }
  }
  return out;
}

/** Adds an item's problems; the same revision read twice (feed, then the item's own read) is told once. */
function addProblems(unreadable: Unreadable, id: number, problems: readonly RecordProblem[]): void {
  const known = unreadable.get(id) ?? [];
  const same = (a: RecordProblem, b: RecordProblem) => a.field === b.field && a.reason === b.reason && JSON.stringify(a.raw) === JSON.stringify(b.raw);
  unreadable.set(id, [...known, ...problems.filter((p) => !known.some((k) => same(k, p)))]);
}

function idOf(raw: unknown): number | undefined {
  const id = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['id'] : undefined;
  return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
}

function revOf(raw: unknown): unknown {
  return raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)['rev'] : undefined;
}

/**
 * Revisions of the project since a continuation token (all of them without one) through the reporting
 * revisions API: full field snapshots, in batches, until `isLastBatch`. The last token is the watermark of
 * the next incremental read.
 */
export async function collectRevisionsSince(
  client: AdoClient,
  project: string,
  token: string | undefined,
  fields: readonly string[],
  unreadable: Unreadable,
  onBatch: (revisions: AdoRevision[]) => void,
): Promise<string | undefined> {
  let next = token;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const { body } = await client.call(ROUTES.reportingRevisions, { project }, reportingBatchSchema, {
      method: 'POST',
      body: { fields, includeDeleted: false, includeIdentityRef: false },
      query: { ...(next ? { continuationToken: next } : {}) },
    });
    onBatch(readRevisions(body.values, unreadable));
    const fromLink = body.nextLink ? new URL(body.nextLink).searchParams.get('continuationToken') ?? undefined : undefined;
    const following = body.continuationToken ?? fromLink ?? next;
    if (body.isLastBatch !== false || following === next) return following ?? undefined;
    next = following;
  }
  throw new AdoError('unexpected-shape', `the revision feed of ${client.site} never reached its last batch`);
}

/**
 * One work item's revisions up to `rev`, paged; `undefined` when the item was deleted since it was listed (404).
 * The service documents no page size, so paging goes on until all `rev` revisions are in or a page is empty.
 */
export async function collectItemRevisions(client: AdoClient, project: string, id: number, rev: number, unreadable: Unreadable): Promise<AdoRevision[] | undefined> {
  const out: AdoRevision[] = [];
  for (let skip = 0; ; ) {
    let body: unknown[];
    try {
      ({ body } = await client.call(ROUTES.revisions, { project, id }, revisionsPageSchema, { query: { $top: 200, $skip: skip }, what: `read work item ${id}'s revisions` }));
    } catch (err) {
      if (err instanceof AdoError && err.kind === 'not-found') return undefined;
      throw err;
    }
    out.push(...readRevisions(body, unreadable, id));
    skip += body.length;
    if (body.length === 0 || skip >= rev) return out;
  }
}
