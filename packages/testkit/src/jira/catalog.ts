import { Random } from '../random';

/**
 * The site-wide catalog of a simulated Jira Cloud: status categories, issue types, the field list (system fields
 * and seeded custom field ids) and the accounts that author the changelogs.
 */

export type CategoryKey = 'new' | 'indeterminate' | 'done';

export const STATUS_CATEGORIES: Readonly<Record<CategoryKey, { id: number; key: CategoryKey; colorName: string; name: string }>> = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
};

export interface StatusDef {
  readonly id: string;
  readonly name: string;
  readonly category: CategoryKey;
  /** The board column the simulator put the status in (when it said). */
  readonly column?: string;
}

export interface IssueTypeDef {
  readonly id: string;
  readonly name: string;
  readonly subtask: boolean;
  readonly hierarchyLevel: number;
  readonly description: string;
  readonly avatarId: number;
}

/** Issue types of a company-managed software project, with the ids a fresh Jira Cloud site tends to give them. */
export const KNOWN_ISSUE_TYPES: readonly IssueTypeDef[] = [
  { id: '10000', name: 'Epic', subtask: false, hierarchyLevel: 1, description: 'A big user story that needs to be broken down.', avatarId: 10307 },
  { id: '10001', name: 'Story', subtask: false, hierarchyLevel: 0, description: 'Functionality or a feature expressed as a user goal.', avatarId: 10315 },
  { id: '10002', name: 'Task', subtask: false, hierarchyLevel: 0, description: 'A small, distinct piece of work.', avatarId: 10318 },
  { id: '10003', name: 'Sub-task', subtask: true, hierarchyLevel: -1, description: 'A small piece of work that\'s part of a larger task.', avatarId: 10316 },
  { id: '10004', name: 'Bug', subtask: false, hierarchyLevel: 0, description: 'A problem or error.', avatarId: 10303 },
  { id: '10005', name: 'Impediment', subtask: false, hierarchyLevel: 0, description: 'Something that blocks the team.', avatarId: 10300 },
];

export const RESOLUTION_DONE = { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' } as const;

/** The option id of Flagged's only option, "Impediment" (the same on every site). */
export const FLAGGED_OPTION_ID = '10019';

/** Custom field ids of one site: chosen from the site seed, so that an adapter has to discover them. */
export interface CustomFieldIds {
  /** Sprint, `com.pyxis.greenhopper.jira:gh-sprint`. */
  readonly sprint: string;
  /** Story point estimate, `com.pyxis.greenhopper.jira:jsw-story-points`: the boards' estimation field. */
  readonly storyPointEstimate: string;
  /** Classic "Story Points" (`...customfieldtypes:float`): exists, never the boards' estimation field, always empty. */
  readonly storyPoints: string;
  /** Flagged, `...customfieldtypes:multicheckboxes`. */
  readonly flagged: string;
  /** Rank, `com.pyxis.greenhopper.jira:gh-lexo-rank`. */
  readonly rank: string;
  readonly epicLink: string;
  readonly startDate: string;
  readonly team: string;
  readonly development: string;
  readonly targetEnd: string;
}

export interface FieldDef {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly custom: boolean;
  readonly orderable: boolean;
  readonly navigable: boolean;
  readonly searchable: boolean;
  readonly clauseNames: readonly string[];
  readonly schema?: Record<string, unknown>;
}

export function chooseCustomFieldIds(rng: Random): CustomFieldIds {
  const used = new Set<number>();
  const pick = (): string => {
    let n = rng.int(10014, 10199);
    while (used.has(n)) n = n >= 10199 ? 10014 : n + 1;
    used.add(n);
    return `customfield_${n}`;
  };
  return {
    sprint: pick(),
    storyPointEstimate: pick(),
    storyPoints: pick(),
    flagged: pick(),
    rank: pick(),
    epicLink: pick(),
    startDate: pick(),
    team: pick(),
    development: pick(),
    targetEnd: pick(),
  };
}

const system = (
  id: string,
  name: string,
  schema: Record<string, unknown> | undefined,
  clauseNames: readonly string[] = [id],
  flags: { orderable?: boolean; navigable?: boolean; searchable?: boolean } = {},
): FieldDef => ({
  id,
  key: id,
  name,
  custom: false,
  orderable: flags.orderable ?? true,
  navigable: flags.navigable ?? true,
  searchable: flags.searchable ?? true,
  clauseNames,
  ...(schema ? { schema } : {}),
});

const custom = (id: string, name: string, type: string, customType: string, items?: string): FieldDef => {
  const n = Number(id.slice('customfield_'.length));
  return {
    id,
    key: id,
    name,
    custom: true,
    orderable: true,
    navigable: true,
    searchable: true,
    clauseNames: [`cf[${n}]`, name],
    schema: { type, ...(items ? { items } : {}), custom: customType, customId: n },
  };
};

/** `GET /rest/api/3/field`, in the order Jira lists them (system fields first). */
export function fieldDefs(ids: CustomFieldIds): FieldDef[] {
  return [
    system('statuscategorychangedate', 'Status Category Changed', { type: 'datetime', system: 'statuscategorychangedate' }, ['statusCategoryChangedDate'], { orderable: false }),
    system('parent', 'Parent', undefined, ['parent'], { orderable: false }),
    system('fixVersions', 'Fix versions', { type: 'array', items: 'version', system: 'fixVersions' }, ['fixVersion']),
    system('resolution', 'Resolution', { type: 'resolution', system: 'resolution' }),
    system('resolutiondate', 'Resolved', { type: 'datetime', system: 'resolutiondate' }, ['resolutiondate', 'resolved'], { orderable: false }),
    system('lastViewed', 'Last Viewed', { type: 'datetime', system: 'lastViewed' }, ['lastViewed'], { orderable: false }),
    system('priority', 'Priority', { type: 'priority', system: 'priority' }),
    system('labels', 'Labels', { type: 'array', items: 'string', system: 'labels' }),
    system('issuelinks', 'Linked Issues', { type: 'array', items: 'issuelinks', system: 'issuelinks' }, [], { searchable: true }),
    system('assignee', 'Assignee', { type: 'user', system: 'assignee' }),
    system('status', 'Status', { type: 'status', system: 'status' }, ['status'], { orderable: false }),
    system('components', 'Components', { type: 'array', items: 'component', system: 'components' }, ['component']),
    system('issuekey', 'Key', undefined, ['id', 'issue', 'issuekey', 'key'], { orderable: false, searchable: false }),
    system('subtasks', 'Sub-tasks', { type: 'array', items: 'issuelinks', system: 'subtasks' }, ['subtasks'], { orderable: false }),
    system('reporter', 'Reporter', { type: 'user', system: 'reporter' }),
    system('progress', 'Progress', { type: 'progress', system: 'progress' }, ['progress'], { orderable: false }),
    system('votes', 'Votes', { type: 'votes', system: 'votes' }, ['votes'], { orderable: false }),
    system('issuetype', 'Issue Type', { type: 'issuetype', system: 'issuetype' }, ['issuetype', 'type']),
    system('project', 'Project', { type: 'project', system: 'project' }, ['project'], { orderable: false }),
    system('created', 'Created', { type: 'datetime', system: 'created' }, ['created', 'createdDate'], { orderable: false }),
    system('updated', 'Updated', { type: 'datetime', system: 'updated' }, ['updated', 'updatedDate'], { orderable: false }),
    system('description', 'Description', { type: 'string', system: 'description' }),
    system('summary', 'Summary', { type: 'string', system: 'summary' }),
    system('comment', 'Comment', { type: 'comments-page', system: 'comment' }, ['comment'], { navigable: false }),
    system('attachment', 'Attachment', { type: 'array', items: 'attachment', system: 'attachment' }, ['attachments'], { navigable: false }),
    system('worklog', 'Log Work', { type: 'array', items: 'worklog', system: 'worklog' }, [], { navigable: false, searchable: true }),
    system('timetracking', 'Time tracking', { type: 'timetracking', system: 'timetracking' }, [], { navigable: false, searchable: true }),
    system('environment', 'Environment', { type: 'string', system: 'environment' }),
    system('duedate', 'Due date', { type: 'date', system: 'duedate' }, ['due', 'duedate']),
    system('watches', 'Watchers', { type: 'watches', system: 'watches' }, ['watchers'], { orderable: false }),
    system('creator', 'Creator', { type: 'user', system: 'creator' }, ['creator'], { orderable: false }),
    system('versions', 'Affects versions', { type: 'array', items: 'version', system: 'versions' }, ['affectedVersion']),
    system('security', 'Security Level', { type: 'securitylevel', system: 'security' }, ['level']),
    system('workratio', 'Work Ratio', { type: 'number', system: 'workratio' }, ['workratio'], { orderable: false }),
    custom(ids.sprint, 'Sprint', 'array', 'com.pyxis.greenhopper.jira:gh-sprint', 'json'),
    custom(ids.storyPointEstimate, 'Story point estimate', 'number', 'com.pyxis.greenhopper.jira:jsw-story-points'),
    custom(ids.storyPoints, 'Story Points', 'number', 'com.atlassian.jira.plugin.system.customfieldtypes:float'),
    custom(ids.flagged, 'Flagged', 'array', 'com.atlassian.jira.plugin.system.customfieldtypes:multicheckboxes', 'option'),
    custom(ids.rank, 'Rank', 'any', 'com.pyxis.greenhopper.jira:gh-lexo-rank'),
    custom(ids.epicLink, 'Epic Link', 'any', 'com.pyxis.greenhopper.jira:gh-epic-link'),
    custom(ids.startDate, 'Start date', 'date', 'com.atlassian.jira.plugin.system.customfieldtypes:datepicker'),
    custom(ids.team, 'Team', 'team', 'com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team'),
    custom(ids.development, 'development', 'any', 'com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf'),
    custom(ids.targetEnd, 'Target end', 'date', 'com.atlassian.jpo:jpo-custom-field-baseline-end'),
  ];
}

const FIRST = ['Alex', 'Sam', 'Robin', 'Kim', 'Jo', 'Maria', 'Chen', 'Priya', 'Lars', 'Aiyana', 'Tomás', 'Noor'];
const LAST = ['Meyer', 'Okafor', 'Lindqvist', 'Tanaka', 'Novak', 'Silva', 'Haddad', 'Walsh', 'Kowalski', 'Ibrahim'];

export interface Account {
  readonly accountId: string;
  readonly displayName: string;
  readonly emailAddress: string;
  readonly timeZone: string;
}

/** A 24-hex-digit Atlassian account id. */
export function accountId(rng: Random): string {
  let out = '';
  for (let i = 0; i < 24; i++) out += rng.int(0, 15).toString(16);
  return out;
}

export function teamAccounts(rng: Random, teamKey: string, zone: string, count: number): Account[] {
  const out: Account[] = [];
  for (let i = 0; i < count; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    out.push({
      accountId: accountId(rng),
      displayName: `${first} ${last}`,
      emailAddress: `${first.toLowerCase()}.${last.toLowerCase()}.${teamKey.toLowerCase()}@sim.example`.normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
      timeZone: zone,
    });
  }
  return out;
}
