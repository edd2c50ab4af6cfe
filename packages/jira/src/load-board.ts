import type { SprintVerdict } from '@agile-kpi/core';
import type { BoardContext } from './discover-board';
import type { JiraBoardData, JiraBoardParts } from './map-board';
import { sprintId } from './map-issue';
import type { ReadStorePort } from '@agile-kpi/tracker-client';
import type { StoredIssue, SyncState } from './sync-board';
import type { JiraSprint, JiraVersion } from './wire';

/** What reading a synced board needs from the store (see `ReadStorePort` in @agile-kpi/tracker-client). */
export type JiraReadStorePort = ReadStorePort;

/** Reads a synced board back from the store; undefined when it was never synced. */
export async function loadJiraBoard(store: JiraReadStorePort, site: string): Promise<JiraBoardData | undefined> {
  const parts = await loadJiraBoardParts(store, site);
  return parts && { ...parts, issues: (await store.listDocs('issue')).map((d) => d.body as StoredIssue) };
}

/** A synced board without its issues (see `jiraBoardSource` for those); undefined when it was never synced. */
export async function loadJiraBoardParts(store: JiraReadStorePort, site: string): Promise<JiraBoardParts | undefined> {
  const state = await store.getState<SyncState>('jira-sync');
  const [context] = await store.listDocs('context');
  if (!state || !context) return undefined;
  const verdicts = new Map<string, SprintVerdict>();
  for (const [id, v] of await store.verdicts()) verdicts.set(id.startsWith('jira:sprint:') ? id : sprintId(id), v);
  return {
    site,
    context: context.body as BoardContext,
    sprints: (await store.listDocs('sprint')).map((d) => d.body as JiraSprint),
    versions: (await store.listDocs('version')).map((d) => d.body as JiraVersion),
    versionSnapshots: await store.snapshots('version'),
    verdicts,
    syncedAt: state.lastSyncAt,
    syncWarnings: state.warnings ?? [],
  };
}
