import type { SimulatedTeam } from '../ground-truth';
import { JiraSite } from './site';
import type { JiraIdMap, JiraSiteOptions } from './site';
import { parseInstant } from './time';
import {
  boardConfigurationJson,
  boardJson,
  FieldSelection,
  filterJson,
  issueJson,
  issueTypeJson,
  myselfJson,
  projectJson,
  sprintJson,
  statusJson,
  velocityJson,
  versionJson,
} from './wire';
import type { JsonObject } from './wire';

/** Everything a simulated Jira site serves, as plain JSON (keys of the records are board ids / project keys). */
export interface RenderedJiraSite {
  baseUrl: string;
  myself: JsonObject;
  /** `GET /rest/api/3/field`. */
  fields: JsonObject[];
  /** `GET /rest/api/3/status`. */
  statuses: JsonObject[];
  /** `GET /rest/api/3/issuetype`. */
  issueTypes: JsonObject[];
  projects: JsonObject[];
  /** `GET /rest/agile/1.0/board` values. */
  boards: JsonObject[];
  /** Board id -> `GET /rest/agile/1.0/board/{id}/configuration`. */
  boardConfigurations: Record<string, JsonObject>;
  /** Filter id -> `GET /rest/api/3/filter/{id}`. */
  filters: Record<string, JsonObject>;
  /** Board id -> sprints (closed, active, future). */
  sprints: Record<string, JsonObject[]>;
  /** Project key -> `GET /rest/api/3/project/{key}/versions`. */
  versions: Record<string, JsonObject[]>;
  /** Every issue with all fields and its complete changelog, newest history first (as `expand=changelog`). */
  issues: JsonObject[];
  /** Board id -> `GET /rest/greenhopper/1.0/rapid/charts/velocity?rapidViewId={id}`. */
  velocity: Record<string, JsonObject>;
  idMap: JiraIdMap;
}

/**
 * Renders teams into Jira Cloud's JSON without a server: deterministic (the site clock defaults to the latest `asOf`
 * of the teams, which only the versions' `overdue` flags read).
 */
export function renderJiraSite(teams: readonly SimulatedTeam[], options: JiraSiteOptions = {}): RenderedJiraSite {
  const asOf = Math.max(...teams.map((t) => parseInstant(t.snapshot.asOf)));
  return renderSite(new JiraSite(teams, { now: () => asOf, ...options }));
}

/** The JSON of an existing site (for example a running server's `site`, after mutations). */
export function renderSite(site: JiraSite): RenderedJiraSite {
  const all = FieldSelection.parse(['*all'], 'all');
  const teams = site.teams;
  return {
    baseUrl: site.baseUrl,
    myself: myselfJson(site),
    fields: site.fields.map((f) => ({ ...f }) as unknown as JsonObject),
    statuses: site.statuses.map((s) => statusJson(site, s, true)),
    issueTypes: site.issueTypes.map((t) => issueTypeJson(site, t, true)),
    projects: teams.map((t) => projectJson(site, t)),
    boards: teams.map((t) => boardJson(site, t)),
    boardConfigurations: Object.fromEntries(teams.map((t) => [String(t.boardId), boardConfigurationJson(site, t)])),
    filters: Object.fromEntries(teams.map((t) => [t.filterId, filterJson(site, t)])),
    sprints: Object.fromEntries(teams.map((t) => [String(t.boardId), site.sprintsOf(t).map((s) => sprintJson(site, s))])),
    versions: Object.fromEntries(teams.map((t) => [t.key, site.versionsOf(t).map((v) => versionJson(site, v))])),
    issues: site.issues.filter((i) => !i.deleted).map((i) => issueJson(site, i, all, { changelog: Number.MAX_SAFE_INTEGER })),
    velocity: Object.fromEntries(teams.map((t) => [String(t.boardId), velocityJson(site, t)])),
    idMap: site.idMap,
  };
}
