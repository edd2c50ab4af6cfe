import type { JiraClient } from './jira-client';
import { JiraError } from './jira-error';
import { boardConfigurationSchema, boardSchema, fieldsSchema, filterSchema, issueTypesSchema, myselfSchema, statusesSchema } from './wire';

/** Custom field schema types that identify the fields the adapter needs (ids differ per site). */
export const FIELD_TYPES = {
  sprint: 'com.pyxis.greenhopper.jira:gh-sprint',
  storyPointEstimate: 'com.pyxis.greenhopper.jira:jsw-story-points',
  storyPoints: 'com.atlassian.jira.plugin.system.customfieldtypes:float',
  flagged: 'com.atlassian.jira.plugin.system.customfieldtypes:multicheckboxes',
  rank: 'com.pyxis.greenhopper.jira:gh-lexo-rank',
} as const;

/** Everything about a board that mapping needs besides its issues, sprints and versions. */
export interface BoardContext {
  readonly boardId: number;
  readonly boardName: string;
  readonly boardType: string;
  readonly projectKey?: string;
  /** The board filter's JQL without its ORDER BY. */
  readonly filterJql: string;
  /** Columns left to right, each with the status ids mapped to it. */
  readonly columns: readonly { readonly name: string; readonly statusIds: readonly string[] }[];
  readonly statuses: readonly { readonly id: string; readonly name: string; readonly categoryKey: string }[];
  /** `untranslatedName` is the English name on a site in another language (types are classified by it). */
  readonly issueTypes: readonly { readonly id: string; readonly name: string; readonly untranslatedName?: string; readonly subtask: boolean; readonly hierarchyLevel?: number }[];
  readonly fields: {
    readonly sprint?: string;
    /** The field the board estimates with (its configuration decides); absent when it counts issues. */
    readonly estimate?: string;
    readonly estimateKind: 'points' | 'hours' | 'count';
    readonly flagged?: string;
    readonly rank?: string;
  };
  /** The API user's time zone: JQL dates are read in it. */
  readonly userTimeZone?: string;
}

/**
 * Discovers a board: its configuration (columns and their status ids, estimation field, filter), the site's
 * fields by their schema types (never hard-coded ids), statuses with their categories, issue types, and the
 * user's time zone.
 *
 * @example const ctx = await discoverBoard(client, 42); ctx.fields.sprint // "customfield_10020"
 */
export async function discoverBoard(client: JiraClient, boardId: number): Promise<BoardContext> {
  if (!Number.isInteger(boardId) || boardId <= 0) throw new RangeError(`the board id must be a positive whole number, got ${boardId}`);
  const [myself, board, config, fields, statuses, issueTypes] = await Promise.all([
    client.get('/rest/api/3/myself', undefined, 'read the API user (myself)', myselfSchema),
    client.get(`/rest/agile/1.0/board/${boardId}`, undefined, `read board ${boardId}`, boardSchema),
    client.get(`/rest/agile/1.0/board/${boardId}/configuration`, undefined, `read board ${boardId}'s configuration`, boardConfigurationSchema),
    client.get('/rest/api/3/field', undefined, 'list the fields', fieldsSchema),
    client.get('/rest/api/3/status', undefined, 'list the statuses', statusesSchema),
    client.get('/rest/api/3/issuetype', undefined, 'list the issue types', issueTypesSchema),
  ]);
  const filter = await client.get(`/rest/api/3/filter/${config.body.filter.id}`, undefined, `read board ${boardId}'s filter ${config.body.filter.id}`, filterSchema);
  const byType = (type: string) => fields.body.filter((f) => f.schema?.custom === type);
  const sprint = byType(FIELD_TYPES.sprint)[0]?.id;
  const flagged = byType(FIELD_TYPES.flagged).find((f) => f.name === 'Flagged')?.id;
  const rankId = config.body.ranking?.rankCustomFieldId;
  const rank = rankId !== undefined ? `customfield_${rankId}` : byType(FIELD_TYPES.rank)[0]?.id;
  const estimation = config.body.estimation;
  let estimate: string | undefined;
  let estimateKind: BoardContext['fields']['estimateKind'] = 'points';
  if (estimation?.type === 'field' && estimation.field) {
    estimate = estimation.field.fieldId;
    if (estimate === 'timeoriginalestimate' || estimate === 'timeestimate') estimateKind = 'hours';
  } else if (estimation?.type === 'issueCount') {
    estimateKind = 'count';
  } else {
    // No estimation in the configuration (kanban boards): fall back to the story point fields by type.
    estimate = byType(FIELD_TYPES.storyPointEstimate)[0]?.id ?? byType(FIELD_TYPES.storyPoints).find((f) => /story points/i.test(f.name))?.id;
  }
  if (!sprint && board.body.type !== 'kanban') {
    throw new JiraError('unexpected-shape', `no Sprint field (${FIELD_TYPES.sprint}) is visible at ${client.site}; is Jira Software enabled on this site?`);
  }
  return {
    boardId,
    boardName: board.body.name,
    boardType: board.body.type,
    ...(board.body.location?.projectKey ? { projectKey: board.body.location.projectKey } : {}),
    filterJql: stripOrderBy(filter.body.jql),
    columns: config.body.columnConfig.columns.map((c) => ({ name: c.name, statusIds: c.statuses.map((s) => s.id) })),
    statuses: statuses.body.map((s) => ({ id: s.id, name: s.name, categoryKey: s.statusCategory.key })),
    issueTypes: issueTypes.body.map((t) => ({
      id: t.id,
      name: t.name,
      ...(t.untranslatedName ? { untranslatedName: t.untranslatedName } : {}),
      subtask: t.subtask,
      ...(t.hierarchyLevel !== undefined ? { hierarchyLevel: t.hierarchyLevel } : {}),
    })),
    fields: {
      ...(sprint ? { sprint } : {}),
      ...(estimate ? { estimate } : {}),
      estimateKind,
      ...(flagged ? { flagged } : {}),
      ...(rank ? { rank } : {}),
    },
    // Null when the user's privacy settings hide it: JQL dates are then read in UTC.
    ...(myself.body.timeZone ? { userTimeZone: myself.body.timeZone } : {}),
  };
}

/** "project = X ORDER BY Rank ASC" -> "project = X": the sync adds its own clauses and order. */
export function stripOrderBy(jql: string): string {
  return jql.replace(/\s+order\s+by\s+[\s\S]*$/i, '').replace(/^order\s+by\s+[\s\S]*$/i, '').trim();
}
