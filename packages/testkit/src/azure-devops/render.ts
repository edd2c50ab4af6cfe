import type { SimulatedTeam } from '../ground-truth';
import { AzureDevOpsSite } from './site';
import type { AzureDevOpsIdMap, AzureDevOpsSiteOptions } from './site';
import {
  nodeJson,
  projectDetailJson,
  reportingRevisionJson,
  revisionJson,
  stateJson,
  teamFieldValuesJson,
  teamIterationJson,
  teamJson,
  teamSettingsJson,
  workItemJson,
  workItemTypeJson,
} from './wire';
import type { Json, JsonObject } from './wire';

/** A work item or one of its revisions: `{id, rev, fields, url}`. */
export interface RenderedWorkItem {
  id: number;
  rev: number;
  fields: Record<string, Json>;
  url: string;
}

/** Everything a simulated Azure DevOps organisation serves, as plain JSON (records keyed by project name). */
export interface RenderedAzureDevOpsSite {
  /** The organisation URL every `url` is built from. */
  url: string;
  organization: string;
  process: 'scrum' | 'agile';
  /** `GET _apis/projects/{project}?includeCapabilities=true`. */
  projects: JsonObject[];
  /** `GET _apis/projects/{project}/teams` values. */
  teams: JsonObject[];
  /** Project -> `GET {project}/_apis/wit/workitemtypes` values. */
  workItemTypes: Record<string, JsonObject[]>;
  /** Project -> type name -> `GET {project}/_apis/wit/workitemtypes/{type}/states` values. */
  states: Record<string, Record<string, JsonObject[]>>;
  /** Project -> `GET {project}/{team}/_apis/work/teamsettings`. */
  teamSettings: Record<string, JsonObject>;
  /** Project -> `GET {project}/{team}/_apis/work/teamsettings/teamfieldvalues`. */
  teamFieldValues: Record<string, JsonObject>;
  /** Project -> `GET {project}/{team}/_apis/work/teamsettings/iterations` values. */
  iterations: Record<string, JsonObject[]>;
  /** Project -> `GET {project}/_apis/wit/classificationnodes/{areas|iterations}` with every level. */
  classificationNodes: Record<string, { areas: JsonObject; iterations: JsonObject }>;
  /** Every work item as `workitemsbatch` gives it now (recycle bin excluded), by id. */
  workItems: RenderedWorkItem[];
  /** Work item id -> `GET .../workItems/{id}/revisions` values. */
  revisions: Record<string, RenderedWorkItem[]>;
  /** The reporting revisions of the whole organisation, in watermark order (all fields, identities as strings). */
  reportingRevisions: Omit<RenderedWorkItem, 'url'>[];
  idMap: AzureDevOpsIdMap;
}

/** Renders simulated teams as an Azure DevOps organisation without a server. */
export function renderAzureDevOpsSite(teams: readonly SimulatedTeam[], options: AzureDevOpsSiteOptions = {}): RenderedAzureDevOpsSite {
  const site = new AzureDevOpsSite(teams, options);
  const byProject = <T>(f: (p: AzureDevOpsSite['projects'][number]) => T): Record<string, T> =>
    Object.fromEntries(site.projects.map((p) => [p.name, f(p)]));
  const items = site.visibleWorkItems();
  return {
    url: site.baseUrl,
    organization: site.organization,
    process: site.process.process,
    projects: site.projects.map((p) => projectDetailJson(site, p, true)),
    teams: site.projects.map((p) => teamJson(site, p)),
    workItemTypes: byProject((p) => site.process.types.map((t) => workItemTypeJson(site, p, t))),
    states: byProject(() => Object.fromEntries(site.process.types.map((t) => [t.name, t.states.map(stateJson)]))),
    teamSettings: byProject((p) => teamSettingsJson(site, p)),
    teamFieldValues: byProject((p) => teamFieldValuesJson(site, p)),
    iterations: byProject((p) => site.teamIterations(p).map((n) => teamIterationJson(site, n, false))),
    classificationNodes: byProject((p) => ({ areas: nodeJson(site, p.rootArea, 99), iterations: nodeJson(site, p.rootIteration, 99) })),
    workItems: items.map((w) => workItemJson(site, w, w.revisions.length - 1, undefined, 'none') as unknown as RenderedWorkItem),
    revisions: Object.fromEntries(
      items.map((w) => [String(w.id), w.revisions.map((r) => revisionJson(site, w, r.rev - 1, 'none') as unknown as RenderedWorkItem)]),
    ),
    reportingRevisions: site
      .revisionsAfter(0)
      .filter(({ item }) => !item.deleted)
      .map(({ item, revision }) => reportingRevisionJson(site, item, revision, { identityRef: false, longText: true }) as unknown as Omit<RenderedWorkItem, 'url'>),
    idMap: site.idMap,
  };
}
