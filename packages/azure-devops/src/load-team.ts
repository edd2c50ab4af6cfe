import type { SprintVerdict } from '@agile-kpi/core';
import type { ReadStorePort } from '@agile-kpi/tracker-client';
import type { TeamContext } from './discover-team';
import type { AdoTeamData, AdoTeamParts } from './map-team';
import type { AdoSyncState, StoredWorkItem } from './sync-team';

/** Reads a synced team back from the store; undefined when it was never synced. */
export async function loadAdoTeam(store: ReadStorePort, orgUrl: string): Promise<AdoTeamData | undefined> {
  const parts = await loadAdoTeamParts(store, orgUrl);
  return parts && { ...parts, items: (await store.listDocs('workitem')).map((d) => d.body as StoredWorkItem) };
}

/** A synced team without its work items (see `adoTeamSource` for those); undefined when it was never synced. */
export async function loadAdoTeamParts(store: ReadStorePort, orgUrl: string): Promise<AdoTeamParts | undefined> {
  const state = await store.getState<AdoSyncState>('ado-sync');
  const [context] = await store.listDocs('context');
  if (!state || !context) return undefined;
  const verdicts = new Map<string, SprintVerdict>();
  for (const [id, v] of await store.verdicts()) verdicts.set(id, v);
  return {
    orgUrl,
    context: context.body as TeamContext,
    iterationSnapshots: await store.snapshots('iteration'),
    verdicts,
    syncedAt: state.lastSyncAt,
    syncWarnings: state.warnings ?? [],
  };
}
