import { type DataWarning, WarningSink } from '@agile-kpi/core';
import { type StoredDoc, type SyncStorePort, commitAll, skippedWarning, stagedPromotion } from '@agile-kpi/tracker-client';
import type { AdoClient, TeamScope } from './ado-client';
import { type Unreadable, collectCurrent, collectItemRevisions, collectRevisionsSince, collectTeamIds } from './collect';
import { type TeamContext, discoverTeam } from './discover-team';
import { createdAt, workItemId } from './map-team';
import type { AdoRevision } from './wire';

/** A work item as stored: its current fields (description reduced to a flag) and every revision. */
export interface StoredWorkItem {
  readonly id: number;
  readonly rev: number;
  readonly current: Readonly<Record<string, unknown>>;
  readonly revisions: readonly AdoRevision[];
}

export interface AdoSyncState {
  /** The reporting revisions' continuation token: the next sync reads only what changed after it. */
  readonly watermark?: string;
  readonly project: string;
  readonly team: string;
  readonly lastSyncAt: string;
  readonly lastMode: 'full' | 'incremental';
  /** Records the last sync could not read and left out (each names the record, field and raw value). */
  readonly warnings?: readonly DataWarning[];
}

export interface AdoSyncProgress {
  readonly phase: 'discover' | 'ids' | 'current' | 'revisions' | 'backfill' | 'done';
  readonly items: number;
  readonly revisions: number;
}

export interface AdoSyncOptions extends TeamScope {
  readonly full?: boolean;
  /** Ids per WIQL window (default 19 999, under the service's 20 000 cap). */
  readonly wiqlWindow?: number;
  readonly onProgress?: (p: AdoSyncProgress) => void;
}

export interface AdoSyncResult {
  readonly mode: 'full' | 'incremental';
  readonly items: number;
  readonly revisionsRead: number;
  /** Work items whose history was read one by one (new to the team, or behind the revision feed). */
  readonly backfilled: number;
  readonly itemsChanged: number;
  readonly itemsDeleted: number;
  readonly iterations: number;
  /** Work items left out because a field could not be read (each one has a warning). */
  readonly skipped: { readonly workItems: number; readonly iterations: number };
  readonly warnings: readonly DataWarning[];
}

const SYNC_STATE = 'ado-sync';
const KIND = 'workitem';
const STAGED = 'workitem-staged';

/** Fields kept in every revision: what the timelines read. */
export function revisionFields(ctx: TeamContext): string[] {
  return [
    'System.Id',
    'System.Rev',
    'System.WorkItemType',
    'System.State',
    'System.AreaPath',
    'System.IterationPath',
    'System.CreatedDate',
    'System.ChangedDate',
    'System.Tags',
    'Microsoft.VSTS.CMMI.Blocked',
    ...(ctx.estimateField ? [ctx.estimateField] : []),
  ];
}

/** Current fields read through workitemsbatch. */
export function currentFields(ctx: TeamContext): string[] {
  return [
    ...revisionFields(ctx),
    'System.Title',
    'System.Parent',
    'System.Description',
    'Microsoft.VSTS.Common.AcceptanceCriteria',
    ...(ctx.orderField ? [ctx.orderField] : []),
  ];
}

/**
 * Syncs one team into the store. Ids come from WIQL over the team's area paths (windowed under the 20 000
 * cap); current fields from workitemsbatch (200 per call); history from the reporting revisions feed since
 * the last continuation token (all of it the first time), and per item for items whose stored history is
 * behind their current revision (an item that moved into the team's area). Items are staged and committed
 * with the new token in one final transaction: an interrupted sync leaves the store as it was, and the next
 * one reuses what was staged. The result equals a full sync.
 */
export async function syncAdoTeam(client: AdoClient, store: SyncStorePort, options: AdoSyncOptions): Promise<AdoSyncResult> {
  const progress = { phase: 'discover' as AdoSyncProgress['phase'], items: 0, revisions: 0 };
  const report = (phase: AdoSyncProgress['phase']) => options.onProgress?.({ ...progress, phase });
  report('discover');
  // Records that cannot be read are left out, each with a warning; a skipped work item is dropped from the
  // store too, so figures never rest on a history we could not read.
  const sink = new WarningSink();
  const warn = (w: DataWarning) => sink.add(w);
  const unreadable: Unreadable = new Map();
  const ctx = await discoverTeam(client, options, warn);
  const skippedIterations = sink.list.length;
  const previous = await store.getState<AdoSyncState>(SYNC_STATE);
  const incremental = !options.full && previous?.watermark !== undefined && previous.project === options.project && previous.team === options.team;

  report('ids');
  const { ids, serverDate } = await collectTeamIds(client, ctx, warn, options.wiqlWindow);
  const team = new Set(ids);
  progress.items = ids.length;
  report('revisions');
  const fresh = new Map<number, AdoRevision[]>();
  const token = await collectRevisionsSince(client, options.project, incremental ? previous!.watermark : undefined, revisionFields(ctx), unreadable, (batch) => {
    progress.revisions += batch.length;
    for (const r of batch) {
      if (!team.has(r.id)) continue;
      const list = fresh.get(r.id);
      if (list) list.push(r);
      else fresh.set(r.id, [r]);
    }
    report('revisions');
  });

  const committed = await store.docVersions(KIND);
  const staged = await store.docVersions(STAGED);
  // Current fields are read for what changed (a revision since the watermark) or is new to the team (moved
  // into its area): an incremental sync costs requests in proportion to the changes, not to the team.
  const known = (id: number) => staged.has(String(id)) || committed.has(String(id));
  const toRead = incremental ? ids.filter((id) => fresh.has(id) || !known(id)) : ids;
  report('current');
  const read = await collectCurrent(client, options.project, toRead, currentFields(ctx), unreadable, warn);
  const current = new Map(read.items.map((w) => [w.id, w]));
  // Deleted between the WIQL query and the batch read: no longer the team's.
  for (const id of read.gone) team.delete(id);
  const changed: StoredDoc[] = [];
  let backfilled = 0;
  report('backfill');
  for (const id of toRead) {
    const now = current.get(id);
    if (!now) continue;
    const rev = now.rev ?? Number(now.fields['System.Rev'] ?? 0);
    const key = String(id);
    if ((staged.get(key) ?? committed.get(key)) === String(rev)) continue;
    // Read only what the store has (a first sync has nothing): a call per new item would cost PostgreSQL a round trip.
    const stored = staged.has(key) ? await store.getDoc(STAGED, key) : undefined;
    const before = (stored ?? (committed.has(key) ? await store.getDoc(KIND, key) : undefined))?.body as StoredWorkItem | undefined;
    let revisions = merge(before?.revisions ?? [], fresh.get(id) ?? []);
    if (!complete(revisions, rev)) {
      const all = await collectItemRevisions(client, options.project, id, rev, unreadable);
      backfilled++;
      if (!all) {
        team.delete(id);
        continue;
      }
      revisions = all;
    }
    if (unreadable.has(id)) continue;
    if (createdAt(now.fields, revisions) === undefined) {
      unreadable.set(id, [{ field: 'System.CreatedDate', raw: undefined, reason: 'missing, and no first revision says when it was created' }]);
      continue;
    }
    changed.push({ id: key, version: String(rev), body: { id, rev, current: lean(now.fields), revisions } satisfies StoredWorkItem });
    if (changed.length >= 200) await store.putDocs(STAGED, changed.splice(0));
  }
  if (changed.length) await store.putDocs(STAGED, changed.splice(0));
  for (const [id, problems] of [...unreadable].sort(([a], [b]) => a - b)) {
    if (team.has(id)) warn(skippedWarning(`work item ${id}`, problems, { itemId: workItemId(id), itemKey: String(id) }));
  }
  const skippedItems = [...unreadable.keys()].filter((id) => team.has(id)).length;
  const usable = (id: number) => team.has(id) && !unreadable.has(id);
  const promotion = await stagedPromotion(store, STAGED, KIND, (id) => usable(Number(id)));
  const gone = [...committed.keys()].filter((k) => !usable(Number(k)));
  const takenAt = serverDate ? new Date(serverDate).toISOString() : new Date().toISOString();
  const state: AdoSyncState = { ...(token ? { watermark: token } : {}), project: options.project, team: options.team, lastSyncAt: takenAt, lastMode: incremental ? 'incremental' : 'full', warnings: sink.list };

  await commitAll(store, [
    (tx) => promotion.promote(tx),
    (tx) => (gone.length ? tx.deleteDocs(KIND, gone) : undefined),
    (tx) => tx.replaceDocs(STAGED, []),
    (tx) => tx.replaceDocs('context', [{ id: 'team', version: null, body: ctx }]),
    (tx) =>
      tx.recordSnapshots(
        'iteration',
        ctx.iterationNodes.flatMap((n) => [
          { id: n.id, field: 'startDate', value: n.startDate ?? null },
          { id: n.id, field: 'finishDate', value: n.finishDate ?? null },
        ]),
        takenAt,
      ),
    (tx) => tx.setState(SYNC_STATE, state),
  ]);
  report('done');
  return {
    mode: incremental ? 'incremental' : 'full',
    items: ids.length,
    revisionsRead: progress.revisions,
    backfilled,
    itemsChanged: promotion.ids.length,
    itemsDeleted: gone.length,
    iterations: ctx.iterations.length,
    skipped: { workItems: skippedItems, iterations: skippedIterations },
    warnings: sink.list,
  };
}

/** Revisions by number, later copies replacing earlier ones. */
function merge(a: readonly AdoRevision[], b: readonly AdoRevision[]): AdoRevision[] {
  const byRev = new Map<number, AdoRevision>();
  for (const r of [...a, ...b]) byRev.set(r.rev, r);
  return [...byRev.values()].sort((x, y) => x.rev - y.rev);
}

/** Every revision from 1 to the current one is there. */
function complete(revisions: readonly AdoRevision[], rev: number): boolean {
  return revisions.length === rev && revisions.every((r, i) => r.rev === i + 1);
}

/** Current fields as stored: long texts reduced to whether they are there. */
function lean(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { ['System.Description']: description, ['Microsoft.VSTS.Common.AcceptanceCriteria']: criteria, ...rest } = fields;
  const present = (v: unknown) => typeof v === 'string' && v.replace(/<[^>]*>/g, '').trim().length > 0;
  return { ...rest, described: present(description) || present(criteria) };
}
