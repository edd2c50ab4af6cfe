import { FLAGGED_OPTION_ID, RESOLUTION_DONE, STATUS_CATEGORIES } from './catalog';
import type { Account, IssueTypeDef, StatusDef } from './catalog';
import type { HistoryRecord, IssueRecord, JiraSite, SprintRecord, TeamRecord, VersionRecord } from './site';
import { agileDateTime, localDate } from './time';

/**
 * Jira Cloud's JSON shapes, rendered from a {@link JiraSite}'s records. Key sets and value types follow real
 * responses (see the tests, which compare them with recorded Jira Cloud responses).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const AVATAR = 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials';

export function userJson(site: JiraSite, a: Account, withEmail = true): JsonObject {
  const initials = a.displayName
    .split(' ')
    .map((w) => w.charAt(0))
    .join('')
    .slice(0, 2)
    .toUpperCase();
  const avatar = (size: number): string => `${AVATAR}/${initials}-0.png?size=${size}&s=${size}`;
  return {
    self: `${site.baseUrl}/rest/api/3/user?accountId=${a.accountId}`,
    accountId: a.accountId,
    ...(withEmail ? { emailAddress: a.emailAddress } : {}),
    avatarUrls: { '48x48': avatar(48), '24x24': avatar(24), '16x16': avatar(16), '32x32': avatar(32) },
    displayName: a.displayName,
    active: true,
    timeZone: a.timeZone,
    accountType: 'atlassian',
  };
}

export function statusCategoryJson(site: JiraSite, s: StatusDef): JsonObject {
  const c = STATUS_CATEGORIES[s.category];
  return { self: `${site.baseUrl}/rest/api/3/statuscategory/${c.id}`, id: c.id, key: c.key, colorName: c.colorName, name: c.name };
}

/** A status; `/rest/api/3/status` adds `untranslatedName`, the issue field does not. */
export function statusJson(site: JiraSite, s: StatusDef, endpoint: boolean): JsonObject {
  return {
    self: `${site.baseUrl}/rest/api/3/status/${s.id}`,
    description: '',
    iconUrl: `${site.baseUrl}/`,
    name: s.name,
    ...(endpoint ? { untranslatedName: s.name } : {}),
    id: s.id,
    statusCategory: statusCategoryJson(site, s),
  };
}

export function issueTypeJson(site: JiraSite, t: IssueTypeDef, endpoint: boolean): JsonObject {
  return {
    self: `${site.baseUrl}/rest/api/3/issuetype/${t.id}`,
    id: t.id,
    description: t.description,
    iconUrl: `${site.baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${t.avatarId}?size=medium`,
    name: t.name,
    ...(endpoint ? { untranslatedName: t.name } : {}),
    subtask: t.subtask,
    avatarId: t.avatarId,
    hierarchyLevel: t.hierarchyLevel,
  };
}

function projectAvatars(site: JiraSite, team: TeamRecord): JsonObject {
  const url = (size: string): string =>
    `${site.baseUrl}/rest/api/3/universal_avatar/view/type/project/avatar/10400${size ? `?size=${size}` : ''}`;
  return { '48x48': url(''), '24x24': url('small'), '16x16': url('xsmall'), '32x32': url('medium') };
}

export function projectJson(site: JiraSite, team: TeamRecord): JsonObject {
  return {
    self: `${site.baseUrl}/rest/api/3/project/${team.projectId}`,
    id: team.projectId,
    key: team.key,
    name: team.name,
    projectTypeKey: 'software',
    simplified: false,
    avatarUrls: projectAvatars(site, team),
  };
}

/** `GET /rest/api/3/project/{key}`. */
export function projectDetailJson(site: JiraSite, team: TeamRecord): JsonObject {
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    ...projectJson(site, team),
    description: '',
    lead: userJson(site, team.accounts[0]!, false),
    issueTypes: site.issueTypes.map((t) => issueTypeJson(site, t, false)),
    assigneeType: 'UNASSIGNED',
    versions: [],
    components: [],
    style: 'classic',
    isPrivate: false,
    properties: {},
  };
}

/** A version inside an issue's `fixVersions`. */
export function fixVersionJson(site: JiraSite, v: VersionRecord): JsonObject {
  return {
    self: `${site.baseUrl}/rest/api/3/version/${v.id}`,
    id: v.id,
    description: v.description,
    name: v.name,
    archived: v.archived,
    released: v.released,
    ...(v.releaseDate !== undefined ? { releaseDate: v.releaseDate } : {}),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const userDate = (date: string): string => {
  const [y, m, d] = date.split('-').map(Number);
  return `${d}/${MONTHS[(m ?? 1) - 1]}/${String(y).slice(-2)}`;
};

/** A version of `/rest/api/3/project/{key}/version(s)`. */
export function versionJson(site: JiraSite, v: VersionRecord): JsonObject {
  const today = localDate(site.nowMs(), v.team.zone);
  return {
    self: `${site.baseUrl}/rest/api/3/version/${v.id}`,
    id: v.id,
    description: v.description,
    name: v.name,
    archived: v.archived,
    released: v.released,
    ...(v.startDate !== undefined ? { startDate: v.startDate } : {}),
    ...(v.releaseDate !== undefined ? { releaseDate: v.releaseDate } : {}),
    ...(v.releaseDate !== undefined ? { overdue: !v.released && v.releaseDate < today } : {}),
    ...(v.startDate !== undefined ? { userStartDate: userDate(v.startDate) } : {}),
    ...(v.releaseDate !== undefined ? { userReleaseDate: userDate(v.releaseDate) } : {}),
    projectId: Number(v.team.projectId),
  };
}

/** A version of the agile API (`/rest/agile/1.0/board/{id}/version`): numeric id. */
export function agileVersionJson(site: JiraSite, v: VersionRecord): JsonObject {
  return {
    self: `${site.baseUrl}/rest/agile/1.0/version/${v.id}`,
    id: Number(v.id),
    projectId: Number(v.team.projectId),
    name: v.name,
    description: v.description,
    archived: v.archived,
    released: v.released,
    ...(v.releaseDate !== undefined ? { releaseDate: `${v.releaseDate}T00:00:00.000Z` } : {}),
  };
}

/** A sprint of the agile API (`/rest/agile/1.0/board/{id}/sprint`, `/rest/agile/1.0/sprint/{id}`). */
export function sprintJson(site: JiraSite, s: SprintRecord): JsonObject {
  return {
    id: s.id,
    self: `${site.baseUrl}/rest/agile/1.0/sprint/${s.id}`,
    state: s.state,
    name: s.name,
    ...(s.startMs !== undefined ? { startDate: agileDateTime(s.startMs) } : {}),
    ...(s.endMs !== undefined ? { endDate: agileDateTime(s.endMs) } : {}),
    ...(s.state === 'closed' && s.completeMs !== undefined ? { completeDate: agileDateTime(s.completeMs) } : {}),
    createdDate: agileDateTime(s.createdMs),
    originBoardId: s.team.boardId,
    goal: s.goal,
  };
}

/** A sprint inside an issue's Sprint field. */
export function sprintFieldJson(s: SprintRecord): JsonObject {
  return {
    id: s.id,
    name: s.name,
    state: s.state,
    boardId: s.team.boardId,
    goal: s.goal,
    ...(s.startMs !== undefined ? { startDate: agileDateTime(s.startMs) } : {}),
    ...(s.endMs !== undefined ? { endDate: agileDateTime(s.endMs) } : {}),
    ...(s.state === 'closed' && s.completeMs !== undefined ? { completeDate: agileDateTime(s.completeMs) } : {}),
  };
}

export function historyJson(site: JiraSite, issue: IssueRecord, h: HistoryRecord): JsonObject {
  return {
    id: String(h.id),
    author: userJson(site, h.author),
    created: site.time(h.ms, issue.team),
    items: h.items.map((i) => ({ ...i })) as unknown as Json,
  };
}

export function boardJson(site: JiraSite, team: TeamRecord): JsonObject {
  return {
    id: team.boardId,
    self: `${site.baseUrl}/rest/agile/1.0/board/${team.boardId}`,
    name: `${team.key} board`,
    type: 'scrum',
    location: {
      projectId: Number(team.projectId),
      displayName: `${team.name} (${team.key})`,
      projectName: team.name,
      projectKey: team.key,
      projectTypeKey: 'software',
      avatarURI: `${site.baseUrl}/rest/api/2/universal_avatar/view/type/project/avatar/10400?size=small`,
      name: `${team.name} (${team.key})`,
    },
  };
}

export function boardConfigurationJson(site: JiraSite, team: TeamRecord): JsonObject {
  return {
    id: team.boardId,
    name: `${team.key} board`,
    type: 'scrum',
    self: `${site.baseUrl}/rest/agile/1.0/board/${team.boardId}/configuration`,
    location: { type: 'project', key: team.key, id: team.projectId, self: `${site.baseUrl}/rest/api/2/project/${team.projectId}`, name: team.name },
    filter: { id: team.filterId, self: `${site.baseUrl}/rest/api/2/filter/${team.filterId}` },
    columnConfig: {
      columns: team.columns.map((c) => ({
        name: c.name,
        statuses: c.statusIds.map((id) => ({ id, self: `${site.baseUrl}/rest/api/2/status/${id}` })),
      })),
      constraintType: 'none',
    },
    estimation: { type: 'field', field: { fieldId: site.fieldIds.storyPointEstimate, displayName: 'Story point estimate' } },
    ranking: { rankCustomFieldId: Number(site.fieldIds.rank.slice('customfield_'.length)) },
  };
}

export function filterJql(team: TeamRecord): string {
  return `project = ${team.key} ORDER BY Rank ASC`;
}

export function filterJson(site: JiraSite, team: TeamRecord): JsonObject {
  const jql = filterJql(team);
  return {
    self: `${site.baseUrl}/rest/api/3/filter/${team.filterId}`,
    id: team.filterId,
    name: `Filter for ${team.key} board`,
    owner: userJson(site, team.accounts[0]!, false),
    jql,
    viewUrl: `${site.baseUrl}/issues/?filter=${team.filterId}`,
    searchUrl: `${site.baseUrl}/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}`,
    favourite: false,
    favouritedCount: 0,
    sharePermissions: [{ id: Number(team.filterId), type: 'project', project: projectJson(site, team) }],
    editPermissions: [],
    isWritable: false,
    subscriptions: [],
  };
}

export function myselfJson(site: JiraSite): JsonObject {
  return {
    ...userJson(site, site.self),
    locale: 'en_US',
    groups: { size: 1, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: 'groups,applicationRoles',
  };
}

export function serverInfoJson(site: JiraSite): JsonObject {
  const now = site.nowMs();
  return {
    baseUrl: site.baseUrl,
    displayUrl: site.baseUrl,
    displayUrlServicedeskHelpCenter: site.baseUrl,
    displayUrlConfluence: site.baseUrl,
    version: '1001.0.0-SNAPSHOT',
    versionNumbers: [1001, 0, 0],
    deploymentType: 'Cloud',
    buildNumber: 100290,
    buildDate: '2025-01-06T00:00:00.000+0000',
    serverTime: new Date(now).toISOString().replace('Z', '+0000'),
    scmInfo: '0b5f6a3c3e7b9e1f0d1c4a2b8e9f7d6c5b4a3e2d',
    serverTitle: 'Jira',
    defaultLocale: { locale: 'en_US' },
    serverTimeZone: 'Etc/UTC',
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Issues.

/** Which fields a request asked for (`fields=summary,status`, `*all`, `*navigable`, `-description`). */
export class FieldSelection {
  private constructor(
    private readonly base: 'none' | 'navigable' | 'all',
    private readonly include: ReadonlySet<string>,
    private readonly exclude: ReadonlySet<string>,
  ) {}

  /** `defaultAll`: what an empty list means (`id` only for search, everything for `GET issue`). */
  static parse(values: readonly string[] | undefined, empty: 'none' | 'navigable' | 'all'): FieldSelection {
    const tokens = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
    if (tokens.length === 0) return new FieldSelection(empty, new Set(), new Set());
    let base: 'none' | 'navigable' | 'all' = 'none';
    const include = new Set<string>();
    const exclude = new Set<string>();
    let positive = false;
    for (const t of tokens) {
      if (t === '*all') {
        base = 'all';
        positive = true;
      } else if (t === '*navigable') {
        if (base !== 'all') base = 'navigable';
        positive = true;
      } else if (t.startsWith('-')) exclude.add(t.slice(1));
      else {
        include.add(t);
        positive = true;
      }
    }
    // Only exclusions: "all navigable fields except...".
    if (!positive) base = 'navigable';
    return new FieldSelection(base, include, exclude);
  }

  has(id: string, navigable: boolean): boolean {
    if (this.exclude.has(id)) return false;
    if (this.include.has(id)) return true;
    return this.base === 'all' || (this.base === 'navigable' && navigable);
  }

  /** Whether only `id` / `key` (or nothing) were asked for: the search's larger page cap applies. */
  get idsOnly(): boolean {
    return this.base === 'none' && [...this.include].every((f) => f === 'id' || f === 'key');
  }
}

const PRIORITY = (site: JiraSite): JsonObject => ({
  self: `${site.baseUrl}/rest/api/3/priority/3`,
  iconUrl: `${site.baseUrl}/images/icons/priorities/medium.svg`,
  name: 'Medium',
  id: '3',
});

/** Children (sub-tasks) per parent id, cached per site revision. */
const childCache = new WeakMap<JiraSite, { revision: number; size: number; map: Map<string, IssueRecord[]> }>();

function subtasksOf(site: JiraSite, issue: IssueRecord): IssueRecord[] {
  let cached = childCache.get(site);
  if (!cached || cached.revision !== site.revision || cached.size !== site.issues.length) {
    const map = new Map<string, IssueRecord[]>();
    for (const i of site.issues) {
      if (i.deleted || i.parentId === undefined || !i.type.subtask) continue;
      const list = map.get(i.parentId);
      if (list) list.push(i);
      else map.set(i.parentId, [i]);
    }
    cached = { revision: site.revision, size: site.issues.length, map };
    childCache.set(site, cached);
  }
  return cached.map.get(issue.id) ?? [];
}

function issueLinkJson(site: JiraSite, i: IssueRecord): JsonObject {
  return {
    id: i.id,
    key: i.key,
    self: `${site.baseUrl}/rest/api/3/issue/${i.id}`,
    fields: {
      summary: i.summary,
      status: statusJson(site, i.status, false),
      priority: PRIORITY(site),
      issuetype: issueTypeJson(site, i.type, false),
    },
  };
}

function describe(i: IssueRecord): Json {
  if (!i.described) return null;
  return {
    type: 'doc',
    version: 1,
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: `As a user I want to ${i.summary.toLowerCase()}.` }] },
      { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Acceptance criteria' }] },
      {
        type: 'bulletList',
        content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Works as described.' }] }] }],
      },
    ],
  };
}

/** Every field of an issue: [id, navigable, value]. */
function issueFieldEntries(site: JiraSite, i: IssueRecord): [string, boolean, () => Json][] {
  const f = site.fieldIds;
  const team = i.team;
  const time = (ms: number): string => site.time(ms, team);
  const parent = i.parentId !== undefined ? site.issue(i.parentId) : undefined;
  const user = (a: Account): JsonObject => userJson(site, a, false);
  const sprints = (): Json => {
    const list = i.sprints.map((id) => site.sprint(id)).filter((s): s is SprintRecord => s !== undefined);
    return list.length > 0 ? list.map(sprintFieldJson) : null;
  };
  const entries: [string, boolean, () => Json][] = [
    ['statuscategorychangedate', true, () => time(i.categoryChangeMs)],
    ['issuetype', true, () => issueTypeJson(site, i.type, false)],
    ['timespent', true, () => null],
    ['project', true, () => projectJson(site, team)],
    ['fixVersions', true, () => i.versions.map((id) => site.version(id)).filter((v): v is VersionRecord => !!v).map((v) => fixVersionJson(site, v))],
    ['aggregatetimespent', true, () => null],
    [
      'resolution',
      true,
      () =>
        i.resolutionMs !== null
          ? { self: `${site.baseUrl}/rest/api/3/resolution/${RESOLUTION_DONE.id}`, id: RESOLUTION_DONE.id, description: RESOLUTION_DONE.description, name: RESOLUTION_DONE.name }
          : null,
    ],
    ['resolutiondate', true, () => (i.resolutionMs !== null ? time(i.resolutionMs) : null)],
    ['workratio', true, () => -1],
    ['lastViewed', true, () => null],
    ['watches', true, () => ({ self: `${site.baseUrl}/rest/api/3/issue/${i.key}/watchers`, watchCount: 1, isWatching: false })],
    ['created', true, () => time(i.createdMs)],
    ['priority', true, () => PRIORITY(site)],
    ['labels', true, () => [...i.labels]],
    ['timeestimate', true, () => null],
    ['aggregatetimeoriginalestimate', true, () => null],
    ['versions', true, () => []],
    ['issuelinks', true, () => []],
    ['assignee', true, () => null],
    ['updated', true, () => time(i.updatedMs)],
    ['status', true, () => statusJson(site, i.status, false)],
    ['components', true, () => []],
    ['timeoriginalestimate', true, () => null],
    ['description', true, () => describe(i)],
    ['security', true, () => null],
    ['aggregatetimeestimate', true, () => null],
    ['summary', true, () => i.summary],
    ['creator', true, () => user(i.reporter)],
    ['subtasks', true, () => subtasksOf(site, i).map((c) => issueLinkJson(site, c))],
    ['reporter', true, () => user(i.reporter)],
    ['aggregateprogress', true, () => ({ progress: 0, total: 0 })],
    ['environment', true, () => null],
    ['duedate', true, () => null],
    ['progress', true, () => ({ progress: 0, total: 0 })],
    ['votes', true, () => ({ self: `${site.baseUrl}/rest/api/3/issue/${i.key}/votes`, votes: 0, hasVoted: false })],
    [f.sprint, true, sprints],
    [f.storyPointEstimate, true, () => i.estimate],
    [f.storyPoints, true, () => null],
    [
      f.flagged,
      true,
      () => (i.flagged ? [{ self: `${site.baseUrl}/rest/api/3/customFieldOption/${FLAGGED_OPTION_ID}`, value: 'Impediment', id: FLAGGED_OPTION_ID }] : null),
    ],
    [f.rank, true, () => i.rank],
    [f.epicLink, true, () => null],
    [f.startDate, true, () => null],
    [f.team, true, () => null],
    [f.development, true, () => '{}'],
    [f.targetEnd, true, () => null],
    ['comment', false, () => ({ comments: [], self: `${site.baseUrl}/rest/api/3/issue/${i.id}/comment`, maxResults: 0, total: 0, startAt: 0 })],
    ['attachment', false, () => []],
    ['worklog', false, () => ({ startAt: 0, maxResults: 20, total: 0, worklogs: [] })],
    ['timetracking', false, () => ({})],
  ];
  if (parent) entries.splice(1, 0, ['parent', true, () => issueLinkJson(site, parent)]);
  return entries;
}

export interface IssueRenderOptions {
  /** Embed `changelog` (newest first, as Jira's `expand=changelog`), at most this many histories. */
  changelog?: number;
  names?: Record<string, string>;
}

export const ISSUE_EXPAND = 'operations,versionedRepresentations,editmeta,changelog,customfield_10010.requestTypePractice,renderedFields';

export function issueJson(site: JiraSite, i: IssueRecord, selection: FieldSelection, options: IssueRenderOptions = {}): JsonObject {
  const fields: JsonObject = {};
  for (const [id, navigable, value] of issueFieldEntries(site, i)) {
    if (!selection.has(id, navigable)) continue;
    fields[id] = value();
    if (options.names) options.names[id] = site.fields.find((f) => f.id === id)?.name ?? id;
  }
  const out: JsonObject = { expand: ISSUE_EXPAND, id: i.id, self: `${site.baseUrl}/rest/api/3/issue/${i.id}`, key: i.key };
  if (options.changelog !== undefined) {
    const newest = i.histories.slice().reverse().slice(0, Math.max(0, options.changelog));
    out.changelog = {
      startAt: 0,
      maxResults: newest.length,
      total: i.histories.length,
      histories: newest.map((h) => historyJson(site, i, h)),
    };
  }
  out.fields = fields;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Velocity (greenhopper).

const javaDouble = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/** Committed (estimated) and completed points of a closed sprint, as Jira's velocity chart shows them. */
export function velocityOf(site: JiraSite, s: SprintRecord): { estimated: number; completed: number } {
  const truth = s.simId !== undefined ? s.team.truth?.sprints.find((t) => t.sprintId === s.simId) : undefined;
  if (truth && truth.state === 'closed') return { estimated: truth.committedPoints, completed: truth.completedPoints };
  // A sprint closed on the running server: today's values (Jira's own chart reads them at the close instant).
  const done = new Set(site.doneStatusIds(s.team));
  let estimated = truth ? truth.committedPoints : 0;
  let completed = 0;
  for (const i of site.issues) {
    if (i.deleted || i.team !== s.team || !i.sprints.includes(s.id) || i.type.subtask || i.type.hierarchyLevel !== 0) continue;
    if (i.type.name === 'Impediment') continue;
    if (!truth) estimated += i.estimate ?? 0;
    if (done.has(i.status.id)) completed += i.estimate ?? 0;
  }
  return { estimated, completed };
}

/** `GET /rest/greenhopper/1.0/rapid/charts/velocity?rapidViewId=ID`: closed sprints, newest first. */
export function velocityJson(site: JiraSite, team: TeamRecord, limit?: number): JsonObject {
  const closed = site
    .sprintsOf(team)
    .filter((s) => s.state === 'closed')
    .sort((a, b) => (b.completeMs ?? 0) - (a.completeMs ?? 0) || b.id - a.id);
  const shown = limit !== undefined ? closed.slice(0, limit) : closed;
  const entries: JsonObject = {};
  for (const s of shown) {
    const v = velocityOf(site, s);
    entries[String(s.id)] = {
      estimated: { value: v.estimated, text: javaDouble(v.estimated) },
      completed: { value: v.completed, text: javaDouble(v.completed) },
    };
  }
  return {
    sprints: shown.map((s) => ({ id: s.id, sequence: s.id, name: s.name, state: 'CLOSED', linkedPagesCount: 0, goal: s.goal })),
    velocityStatEntries: entries,
  };
}
