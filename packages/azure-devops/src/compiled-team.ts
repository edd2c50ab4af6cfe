import type { CompiledSource } from '@agile-kpi/tracker-client';
import { loadAdoTeamParts } from './load-team';
import { type AdoTeamOptions, type AdoTeamParts, type CompiledWorkItem, type ItemContext, compileWorkItem, itemContext, itemContextFingerprint, teamSnapshot } from './map-team';

/**
 * A team's work items kept compiled in the store (the SQLite store of the CLI), as Jira's issues are (see
 * `jiraBoardSource`): each one's mapped and checked work item with its warnings, under a fingerprint of what the
 * mapping depends on (this code's version, the check's version, the organisation and project, the process, the
 * team's iterations by path, the release tag prefix). A work item that changes loses its compiled form; a new
 * fingerprint (a new iteration, a changed process) compiles every work item again from the raw documents.
 */
export const adoTeamSource: CompiledSource<AdoTeamParts, ItemContext, CompiledWorkItem, AdoTeamOptions> = {
  kind: 'workitem',
  loadParts: loadAdoTeamParts,
  context: itemContext,
  fingerprint: itemContextFingerprint,
  compile: compileWorkItem,
  snapshot: teamSnapshot,
};
