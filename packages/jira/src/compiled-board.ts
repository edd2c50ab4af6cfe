import type { CompiledSource } from '@agile-kpi/tracker-client';
import { loadJiraBoardParts } from './load-board';
import { type JiraBoardParts, type JiraTeamOptions, boardMappingContext, boardSnapshot } from './map-board';
import { type CompiledIssue, type MappingContext, compileIssue, mappingFingerprint } from './map-issue';

/**
 * A board's issues kept compiled in the store (the SQLite store of the CLI), so that reading the board never maps
 * and checks its raw Jira payloads again: `compileSource(store, site, jiraBoardSource, options)` after a sync,
 * `compiledSnapshot(store, site, jiraBoardSource, options)` to read it (@agile-kpi/tracker-client), which gives
 * what `mapJiraBoard(await loadJiraBoard(store, site), options)` gives. Each issue's compiled form is its mapped
 * work item, checked as `parseSnapshot` checks an item, with its warnings, under a fingerprint of everything the
 * mapping depends on (this code's version, the work item check's version, the board's columns, statuses, issue
 * types and fields, the site, the impediment types). An issue that changes loses its compiled form (the store
 * sees to that); a new fingerprint (another estimate field, a new done column, other impediment types) compiles
 * every issue again from the raw documents, which are kept for that.
 */
export const jiraBoardSource: CompiledSource<JiraBoardParts, MappingContext, CompiledIssue, JiraTeamOptions> = {
  kind: 'issue',
  loadParts: loadJiraBoardParts,
  context: boardMappingContext,
  fingerprint: mappingFingerprint,
  compile: compileIssue,
  snapshot: boardSnapshot,
};
