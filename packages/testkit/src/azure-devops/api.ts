import { FIELDS, fieldByName } from './fields';
import { typeByName } from './process';
import type { RequestKind } from './requests';
import type { AzureDevOpsSite, NodeRecord, ProjectRecord, WorkItemRecord } from './site';
import { adoDateTime } from './time';
import { compileWiql, WiqlError } from './wiql';
import type { WiqlRow } from './wiql';
import {
  connectionDataJson,
  fieldJson,
  fieldsJson,
  fieldsOf,
  identityString,
  nodeJson,
  projectDetailJson,
  projectJson,
  reportingRevisionJson,
  revisionJson,
  stateJson,
  teamFieldValuesJson,
  teamIterationJson,
  teamJson,
  teamSettingsJson,
  updateJson,
  workItemJson,
  workItemTypeJson,
  workItemUrl,
} from './wire';
import type { Expand, Json, JsonObject } from './wire';

/**
 * The REST endpoints of the simulated Azure DevOps, as a pure function of the site and one request: route discovery
 * (location service), routing (case-insensitive, project and team by name or id), paging, WIQL and Azure DevOps'
 * error bodies. The HTTP server around it adds authentication, throttling, faults, latency and the request log.
 */

/** Largest page sizes; every one can be lowered for tests. */
export interface PageCaps {
  /** Reporting revisions per batch (default 1000; `$maxPageSize` may ask for fewer). */
  reportingRevisions?: number;
  /** `workItems/{id}/revisions` without `$top` (default 200). */
  revisions?: number;
  /** `workItems/{id}/updates` without `$top` (default 200). */
  updates?: number;
}

export interface ApiConfig {
  caps: Required<PageCaps>;
  /** WIQL result size limit without `$top` (Azure DevOps: 20 000). */
  wiqlLimit: number;
}

export const DEFAULT_CAPS: Required<PageCaps> = { reportingRevisions: 1000, revisions: 200, updates: 200 };
export const WIQL_LIMIT = 20_000;
/** `workitemsbatch` / `workitems?ids=` limit. */
export const BATCH_LIMIT = 200;

export interface ApiRequest {
  method: string;
  /** The path after the organisation, raw (percent-encoded): `/SIM/SIM%20Team/_apis/wit/wiql`. */
  path: string;
  query: URLSearchParams;
  body?: unknown;
  /** The api-version asked for (Accept header or query). */
  apiVersion?: string;
}

export interface ApiResponse {
  status: number;
  body: Json | string;
  headers?: Record<string, string>;
}

/** The newest api-version the simulated service knows, and the newest released one. */
export const MAX_VERSION = '7.2';
export const RELEASED_VERSION = '7.1';

// ---------------------------------------------------------------------------------------------------------------------
// Location service: what `OPTIONS {org}/_apis/{area}` lists (ids and templates the node-api's route discovery uses).

interface LocationDef {
  id: string;
  resourceName: string;
  routeTemplate: string;
  resourceVersion: number;
}

const LOCATIONS: Record<string, { area: string; id: string; locations: LocationDef[] }> = {
  location: {
    area: 'Location',
    id: 'e81700f7-3be2-46de-8624-2eb35882fcaa',
    locations: [
      { id: 'e81700f7-3be2-46de-8624-2eb35882fcaa', resourceName: 'ResourceAreas', routeTemplate: '_apis/{resource}/{areaId}', resourceVersion: 1 },
      { id: '00d9565f-ed9c-4a06-9a50-00e7896ccab4', resourceName: 'ConnectionData', routeTemplate: '_apis/{resource}', resourceVersion: 1 },
    ],
  },
  core: {
    area: 'core',
    id: '79134c72-4a58-4b42-976c-04e7115f32bf',
    locations: [
      { id: '603fe2ac-9723-48b9-88ad-09305aa6c6e1', resourceName: 'projects', routeTemplate: '_apis/{resource}/{*projectId}', resourceVersion: 4 },
      { id: 'd30a3dd1-f8ba-442a-b86a-bd0c0c383e59', resourceName: 'teams', routeTemplate: '_apis/projects/{projectId}/{resource}/{*teamId}', resourceVersion: 3 },
      { id: '7a4d9ee9-3433-4347-b47a-7a80f1cf307e', resourceName: 'teams', routeTemplate: '_apis/{resource}', resourceVersion: 3 },
    ],
  },
  wit: {
    area: 'wit',
    id: '5264459e-e5e0-4bd8-b118-0985e68a4ec5',
    locations: [
      { id: '1a9c53f7-f243-4447-b110-35ef023636e4', resourceName: 'wiql', routeTemplate: '{project}/{team}/_apis/{area}/{resource}/{id}', resourceVersion: 2 },
      { id: '908509b6-4248-4475-a1cd-829139ba419f', resourceName: 'workItemsBatch', routeTemplate: '{project}/_apis/{area}/{resource}', resourceVersion: 1 },
      { id: '72c7ddf8-2cdc-4f60-90cd-ab71c14a399b', resourceName: 'workItems', routeTemplate: '{project}/_apis/{area}/{resource}/{id}', resourceVersion: 3 },
      { id: 'a00c85a5-80fa-4565-99c3-bcd2181434bb', resourceName: 'revisions', routeTemplate: '{project}/_apis/{area}/workItems/{id}/{resource}/{revisionNumber}', resourceVersion: 3 },
      { id: '6570bf97-d02c-4a91-8d93-3abe9895b1a9', resourceName: 'updates', routeTemplate: '{project}/_apis/{area}/workItems/{id}/{resource}/{updateNumber}', resourceVersion: 3 },
      { id: 'f828fe59-dd87-495d-a17c-7a8d6211ca6c', resourceName: 'workItemRevisions', routeTemplate: '{project}/_apis/{area}/reporting/{resource}', resourceVersion: 2 },
      { id: '7c8d7a76-4a09-43e8-b5df-bd792f4ac6aa', resourceName: 'workItemTypes', routeTemplate: '{project}/_apis/{area}/{resource}/{type}', resourceVersion: 2 },
      { id: '7c9d7a76-4a09-43e8-b5df-bd792f4ac6aa', resourceName: 'states', routeTemplate: '{project}/_apis/{area}/workItemTypes/{type}/{resource}', resourceVersion: 1 },
      { id: 'a70579d1-f53a-48ee-a5be-7be8659023b9', resourceName: 'classificationNodes', routeTemplate: '{project}/_apis/{area}/{resource}', resourceVersion: 2 },
      { id: '5a172953-1b41-49d3-840a-33f79c3ce89f', resourceName: 'classificationNodes', routeTemplate: '{project}/_apis/{area}/{resource}/{structureGroup}/{*path}', resourceVersion: 2 },
      { id: 'b51fd764-e5c2-4b9b-aaf7-3395cf4bdd94', resourceName: 'fields', routeTemplate: '{project}/_apis/{area}/{resource}/{fieldNameOrRefName}', resourceVersion: 2 },
    ],
  },
  work: {
    area: 'work',
    id: '1d4f49f9-02b9-4e26-b826-2cdb6195f2a9',
    locations: [
      { id: 'c3c1012b-bea7-49d7-b45e-1664e566f84c', resourceName: 'teamsettings', routeTemplate: '{project}/{team}/_apis/{area}/{resource}', resourceVersion: 1 },
      { id: 'c9175577-28a1-4b06-9197-8636af9f64ad', resourceName: 'iterations', routeTemplate: '{project}/{team}/_apis/{area}/teamsettings/{resource}/{id}', resourceVersion: 1 },
      { id: '07ced576-58ed-49e6-9c1e-5cb53ab8bf2a', resourceName: 'teamfieldvalues', routeTemplate: '{project}/{team}/_apis/{area}/teamsettings/{resource}', resourceVersion: 1 },
      { id: '5b3ef1a6-d3ab-44cd-bafd-c7f45db850fa', resourceName: 'workitems', routeTemplate: '{project}/{team}/_apis/{area}/teamsettings/iterations/{iterationId}/{resource}', resourceVersion: 1 },
    ],
  },
};

function locationsJson(areaName: string): JsonObject {
  const area = LOCATIONS[areaName.toLowerCase()];
  const value = (area?.locations ?? []).map((l) => ({
    id: l.id,
    area: area!.area,
    resourceName: l.resourceName,
    routeTemplate: l.routeTemplate,
    resourceVersion: l.resourceVersion,
    minVersion: '1.0',
    maxVersion: MAX_VERSION,
    releasedVersion: RELEASED_VERSION,
  }));
  return { count: value.length, value };
}

function resourceAreasJson(site: AzureDevOpsSite): JsonObject {
  const value = Object.values(LOCATIONS).map((a) => ({ id: a.id, name: a.area, locationUrl: `${site.baseUrl}/` }));
  return { count: value.length, value };
}

// ---------------------------------------------------------------------------------------------------------------------
// Errors.

/** Azure DevOps' error body. */
export function adoError(status: number, message: string, typeKey: string, typeName?: string, eventId = 3000): ApiResponse {
  return {
    status,
    body: {
      $id: '1',
      innerException: null,
      message,
      typeName: typeName ?? `Microsoft.TeamFoundation.WorkItemTracking.Server.${typeKey}, Microsoft.TeamFoundation.WorkItemTracking.Server`,
      typeKey,
      errorCode: 0,
      eventId,
    },
  };
}

export const QUERY_SIZE_LIMIT_MESSAGE = (limit: number): string =>
  `VS402337: The number of work items returned exceeds the size limit of ${limit}. Change the query to return fewer work items.`;

const notFoundRoute = (path: string): ApiResponse =>
  adoError(404, `The controller for path '${path}' was not found or does not implement IController.`, 'HttpException', 'System.Web.HttpException, System.Web', 0);

const projectNotFound = (name: string): ApiResponse =>
  adoError(
    404,
    `TF200016: The following project does not exist: ${name}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
    'ProjectDoesNotExistWithNameException',
    'Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi',
  );

const teamNotFound = (name: string): ApiResponse =>
  adoError(404, `The team with id '${name}' does not exist.`, 'TeamNotFoundException', 'Microsoft.TeamFoundation.Core.WebApi.TeamNotFoundException, Microsoft.TeamFoundation.Core.WebApi');

const workItemNotFound = (id: string | number): ApiResponse =>
  adoError(404, `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`, 'WorkItemUnauthorizedAccessException');

const fieldNotFound = (name: string): ApiResponse => adoError(400, `TF51535: Cannot find field ${name}.`, 'WorkItemTrackingFieldDefinitionNotFoundException');

const badRequest = (message: string, typeKey = 'VssPropertyValidationException'): ApiResponse =>
  adoError(400, message, typeKey, `Microsoft.VisualStudio.Services.Common.${typeKey}, Microsoft.VisualStudio.Services.Common`);

// ---------------------------------------------------------------------------------------------------------------------
// Routing.

interface Parsed {
  /** Decoded segments before `_apis` (project, team). */
  prefix: string[];
  /** Decoded segments after `_apis`. */
  rest: string[];
  /** `rest` lowercased. */
  lower: string[];
}

function parsePath(path: string): Parsed | undefined {
  const raw = path.split('/').filter((x) => x !== '');
  const at = raw.findIndex((x) => x.toLowerCase() === '_apis');
  if (at < 0 || at > 2) return undefined;
  const decode = (x: string): string => {
    try {
      return decodeURIComponent(x);
    } catch {
      return x;
    }
  };
  const prefix = raw.slice(0, at).map(decode);
  const rest = raw.slice(at + 1).map(decode);
  return { prefix, rest, lower: rest.map((x) => x.toLowerCase()) };
}

/** The request kind of a method and path (for the request log and fault rules). */
export function requestKind(method: string, path: string): RequestKind {
  const p = parsePath(path);
  if (!p) return 'other';
  const [a, b, c, d, e] = p.lower;
  if (method === 'OPTIONS' || a === 'resourceareas' || a === 'connectiondata') return 'location';
  if (a === 'projects') return c === 'teams' ? 'teams' : 'projects';
  if (a === 'teams') return 'teams';
  if (a === 'wit') {
    if (b === 'wiql') return 'wiql';
    if (b === 'workitemsbatch') return 'workitemsbatch';
    if (b === 'reporting' && c === 'workitemrevisions') return 'reportingRevisions';
    if (b === 'workitems') return d === 'revisions' ? 'revisions' : d === 'updates' ? 'updates' : 'workitems';
    if (b === 'workitemtypes') return d === 'states' ? 'states' : 'types';
    if (b === 'fields') return 'fields';
    if (b === 'classificationnodes') return 'classificationNodes';
  }
  if (a === 'work' && b === 'teamsettings') {
    if (c === 'iterations') return e === 'workitems' ? 'iterationWorkItems' : 'iterations';
    if (c === 'teamfieldvalues') return 'teamfieldvalues';
    if (c === undefined) return 'teamsettings';
  }
  return 'other';
}

/**
 * Checks the api-version as Azure DevOps does: a version above the newest is refused, a preview version without
 * `-preview` is refused, and a POST without any version is refused (a GET without one gets the newest released).
 */
export function checkApiVersion(method: string, version: string | undefined): ApiResponse | undefined {
  if (method === 'OPTIONS') return undefined;
  if (version === undefined || version.trim() === '') {
    if (method === 'GET' || method === 'HEAD') return undefined;
    return badRequest(
      `No api-version was supplied for the "${method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. '?api-version=1.0').`,
      'VssVersionNotSpecifiedException',
    );
  }
  const m = /^(\d+)\.(\d+)(-preview(\.\d+)?)?$/i.exec(version.trim());
  if (!m) return badRequest(`The api-version '${version}' is not valid. It must be of the form "Major.Minor[-preview[.ResourceVersion]]".`, 'VssInvalidApiVersionException');
  const asked = Number(`${m[1]}.${m[2]}`);
  if (asked > Number(MAX_VERSION)) {
    return badRequest(
      `The requested REST API version of ${m[1]}.${m[2]} is out of range for this server. The latest REST API version this server supports is ${MAX_VERSION}.`,
      'VssVersionOutOfRangeException',
    );
  }
  if (asked > Number(RELEASED_VERSION) && !m[3]) {
    return badRequest(
      `The requested version "${version}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${version}-preview"`,
      'VssInvalidPreviewVersionException',
    );
  }
  return undefined;
}

/** Answers one request (after authentication and faults). */
export function handleApi(site: AzureDevOpsSite, cfg: ApiConfig, req: ApiRequest): ApiResponse {
  const p = parsePath(req.path);
  const fullPath = `/${site.organization}${req.path}`;
  if (!p) return notFoundRoute(fullPath);
  const method = req.method;
  if (method === 'OPTIONS') {
    if (p.prefix.length === 0 && p.rest.length === 1) return { status: 200, body: locationsJson(p.rest[0]!) };
    return { status: 200, body: { count: 0, value: [] } };
  }
  const versionError = checkApiVersion(method, req.apiVersion);
  if (versionError) return versionError;
  const [a, b, c, d, e] = p.lower;
  const n = p.lower.length;
  const only = (...methods: string[]): ApiResponse | undefined =>
    methods.includes(method) ? undefined : adoError(405, `The requested resource does not support http method '${method}'.`, 'HttpException', 'System.Web.HttpException, System.Web', 0);

  // Organisation-level resources.
  if (a === 'resourceareas' || a === 'connectiondata' || a === 'projects' || a === 'teams') {
    if (p.prefix.length > 0) return notFoundRoute(fullPath);
    const bad = only('GET');
    if (bad) return bad;
    if (a === 'resourceareas') {
      if (n === 1) return { status: 200, body: resourceAreasJson(site) };
      const area = resourceAreasJson(site).value as JsonObject[];
      const hit = area.find((x) => String(x.id) === b || String(x.name).toLowerCase() === b);
      return hit ? { status: 200, body: hit } : adoError(404, `Resource area ${p.rest[1]} was not found.`, 'ResourceAreaNotFoundException');
    }
    if (a === 'connectiondata') return { status: 200, body: connectionDataJson(site) };
    if (a === 'teams') {
      const value = paged(site.projects.map((x) => teamJson(site, x)), req.query);
      return { status: 200, body: { value, count: value.length } };
    }
    if (n === 1) {
      const value = paged(site.projects.map((x) => projectJson(site, x)), req.query);
      return { status: 200, body: { count: value.length, value } };
    }
    const project = site.project(p.rest[1]!);
    if (!project) return projectNotFound(p.rest[1]!);
    if (n === 2) return { status: 200, body: projectDetailJson(site, project, req.query.get('includeCapabilities') === 'true') };
    if (c === 'teams') {
      if (n === 3) return { status: 200, body: { value: [teamJson(site, project)], count: 1 } };
      if (n === 4) return site.team(project, p.rest[3]) ? { status: 200, body: teamJson(site, project) } : teamNotFound(p.rest[3]!);
    }
    return notFoundRoute(fullPath);
  }

  const projectRef = p.prefix[0];
  const teamRef = p.prefix[1];
  const project = projectRef !== undefined ? site.project(projectRef) : undefined;
  if (projectRef !== undefined && !project) return projectNotFound(projectRef);
  const needProject = (): ApiResponse | undefined => (project ? undefined : notFoundRoute(fullPath));
  const noTeam = (): ApiResponse | undefined => (teamRef !== undefined ? notFoundRoute(fullPath) : undefined);

  try {
    if (a === 'wit') {
      if (b === 'wiql' && n === 2) {
        if (teamRef !== undefined && !site.team(project!, teamRef)) return teamNotFound(teamRef);
        return only('POST') ?? wiql(site, cfg, req, project, teamRef !== undefined);
      }
      if (b === 'workitemsbatch' && n === 2) return noTeam() ?? only('POST') ?? workItemsBatch(site, req, project);
      if (b === 'reporting' && c === 'workitemrevisions' && n === 3) return noTeam() ?? only('GET', 'POST') ?? reportingRevisions(site, cfg, req, project, projectRef);
      if (b === 'workitems') {
        const bad = noTeam() ?? only('GET');
        if (bad) return bad;
        if (n === 2) return workItemsList(site, req, project);
        const id = p.rest[2]!;
        if (!/^\d+$/.test(id)) return badRequest(`The value '${id}' is not valid for id.`, 'ArgumentException');
        const item = site.workItem(Number(id));
        if (!item || (project && item.project !== project)) return workItemNotFound(id);
        if (n === 3) return workItem(site, req, item);
        if (d === 'revisions' && n <= 5) return revisions(site, cfg, req, item, e);
        if (d === 'updates' && n <= 5) return updates(site, cfg, req, item, e);
        return notFoundRoute(fullPath);
      }
      if (b === 'fields') {
        const bad = noTeam() ?? only('GET');
        if (bad) return bad;
        if (n === 2) return { status: 200, body: fieldsJson(site) };
        const def = fieldByName(p.rest[2]!);
        return def ? { status: 200, body: fieldJson(site, def) } : adoError(404, `TF51535: Cannot find field ${p.rest[2]}.`, 'WorkItemTrackingFieldDefinitionNotFoundException');
      }
      if (b === 'workitemtypes') {
        const bad = needProject() ?? noTeam() ?? only('GET');
        if (bad) return bad;
        if (n === 2) {
          const value = site.process.types.map((t) => workItemTypeJson(site, project!, t));
          return { status: 200, body: { count: value.length, value } };
        }
        const type = typeByName(site.process, p.rest[2]!);
        if (!type) return adoError(404, `VS402323: Work item type ${p.rest[2]} does not exist.`, 'WorkItemTypeNotFoundException');
        if (n === 3) return { status: 200, body: workItemTypeJson(site, project!, type) };
        if (d === 'states' && n === 4) {
          const value = type.states.map(stateJson);
          return { status: 200, body: { count: value.length, value } };
        }
        return notFoundRoute(fullPath);
      }
      if (b === 'classificationnodes') return needProject() ?? noTeam() ?? only('GET') ?? classificationNodes(site, req, project!, p.rest.slice(2));
    }
    if (a === 'work' && b === 'teamsettings') {
      const bad = needProject() ?? only('GET');
      if (bad) return bad;
      if (!site.team(project!, teamRef)) return teamNotFound(teamRef!);
      if (n === 2) return { status: 200, body: teamSettingsJson(site, project!) };
      if (c === 'teamfieldvalues' && n === 3) return { status: 200, body: teamFieldValuesJson(site, project!) };
      if (c === 'iterations') return iterations(site, req, project!, p.rest[3], n === 5 && e === 'workitems', n);
      return notFoundRoute(fullPath);
    }
  } catch (err) {
    if (err instanceof WiqlError) return badRequest(err.message, err.typeKey);
    throw err;
  }
  return notFoundRoute(fullPath);
}

function paged<T>(list: T[], query: URLSearchParams): T[] {
  const skip = Math.max(0, Number(query.get('$skip') ?? 0) || 0);
  const top = query.get('$top') !== null ? Math.max(0, Number(query.get('$top')) || 0) : Infinity;
  return list.slice(skip, skip + top);
}

// ---------------------------------------------------------------------------------------------------------------------
// WIQL.

function wiql(site: AzureDevOpsSite, cfg: ApiConfig, req: ApiRequest, project: ProjectRecord | undefined, withTeam: boolean): ApiResponse {
  const body = req.body as { query?: unknown } | undefined;
  if (!body || typeof body !== 'object' || typeof body.query !== 'string') {
    return badRequest('The request body must contain the query: {"query": "SELECT ... FROM WorkItems ..."}.', 'ArgumentNullException');
  }
  const topText = req.query.get('$top');
  const top = topText !== null ? Number(topText) : undefined;
  if (top !== undefined && (!Number.isInteger(top) || top < 0)) return badRequest(`The value '${topText}' is not valid for $top.`, 'ArgumentException');
  const now = site.nowMs();
  let teamIterations: { paths: string[]; current: number } | undefined;
  if (project && withTeam) {
    const sprints = site.teamIterations(project);
    teamIterations = { paths: sprints.map((s) => site.pathOf(s)), current: sprints.findIndex((s) => site.timeFrame(s, now) === 'current') };
  }
  const compiled = compileWiql(body.query, {
    ...(project ? { project: project.name } : {}),
    ...(teamIterations ? { teamIterations } : {}),
    me: identityString(site.self),
    nowMs: now,
    userTimeZone: site.userTimeZone,
    timePrecision: req.query.get('timePrecision') === 'true',
    pathExists: (path, structure) => site.node(path, structure) !== undefined,
  });
  const asOf = compiled.asOfMs;
  const rows: { id: number; row: WiqlRow }[] = [];
  for (const item of site.visibleWorkItems()) {
    const revision = asOf !== undefined ? site.revisionAt(item, asOf) : site.current(item);
    if (!revision) continue;
    const row = wiqlRow(site, item, revision.rev - 1);
    if (compiled.matches(row)) rows.push({ id: item.id, row });
  }
  if (top === undefined && rows.length > cfg.wiqlLimit) {
    return adoError(
      400,
      QUERY_SIZE_LIMIT_MESSAGE(cfg.wiqlLimit),
      'WorkItemTrackingQueryResultSizeLimitExceededException',
      'Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemTrackingQueryResultSizeLimitExceededException, Microsoft.TeamFoundation.WorkItemTracking.Server',
      3200,
    );
  }
  rows.sort((x, y) => compiled.compare(x.row, y.row));
  const kept = top !== undefined ? rows.slice(0, top) : rows;
  const fieldRef = (def: { referenceName: string; name: string }): JsonObject => ({
    referenceName: def.referenceName,
    name: def.name,
    url: `${site.baseUrl}/_apis/wit/fields/${def.referenceName}`,
  });
  return {
    status: 200,
    body: {
      queryType: 'flat',
      queryResultType: 'workItem',
      asOf: adoDateTime(asOf ?? now),
      columns: compiled.columns.map(fieldRef),
      ...(compiled.orderBy.length > 0 ? { sortColumns: compiled.orderBy.map((o) => ({ field: fieldRef(o.field), descending: o.descending })) } : {}),
      workItems: kept.map(({ id }) => ({ id, url: `${site.baseUrl}/_apis/wit/workItems/${id}` })),
    },
  };
}

function wiqlRow(site: AzureDevOpsSite, item: WorkItemRecord, index: number): WiqlRow {
  let fields: JsonObject | undefined;
  let history: JsonObject[] | undefined;
  const scalar = (v: Json | undefined): string | number | boolean | undefined =>
    v === null || v === undefined ? undefined : typeof v === 'object' ? JSON.stringify(v) : v;
  return {
    get(ref) {
      fields ??= fieldsOf(site, item, index, { identities: 'string', longText: true, revisedDate: false });
      return scalar(fields[ref]);
    },
    history(ref) {
      history ??= item.revisions.slice(0, index + 1).map((_, i) => fieldsOf(site, item, i, { identities: 'string', longText: true, revisedDate: false }));
      return history.map((h) => scalar(h[ref]));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Work items.

interface GetRequest {
  ids: unknown;
  fields?: unknown;
  asOf?: unknown;
  expand?: unknown;
  errorPolicy?: unknown;
}

function parseExpand(value: unknown): Expand | undefined {
  if (value === undefined || value === null || value === '') return 'none';
  const text = String(value).toLowerCase();
  const byNumber: Record<string, Expand> = { '0': 'none', '1': 'relations', '2': 'fields', '3': 'links', '4': 'all' };
  if (byNumber[text]) return byNumber[text];
  return (['none', 'relations', 'fields', 'links', 'all'] as const).find((x) => x === text);
}

/** Shared by `workitemsbatch` and `workitems?ids=`. */
function getWorkItems(site: AzureDevOpsSite, input: GetRequest, project: ProjectRecord | undefined, single: boolean): ApiResponse {
  const ids = input.ids;
  if (!Array.isArray(ids) || ids.length === 0) return badRequest('VS403478: The ids parameter is required: specify the work item ids to get.', 'ArgumentNullException');
  if (ids.length > BATCH_LIMIT) return badRequest(`VS403474: You requested ${ids.length} work items which exceeds the limit of ${BATCH_LIMIT}.`);
  const expand = parseExpand(input.expand);
  if (!expand) return badRequest(`The value '${String(input.expand)}' is not valid for $expand.`, 'ArgumentException');
  let only: string[] | undefined;
  if (input.fields !== undefined && input.fields !== null) {
    if (!Array.isArray(input.fields)) return badRequest('fields must be a list of field reference names.', 'ArgumentException');
    if (input.fields.length > 0) {
      if (expand !== 'none') return badRequest('The expand parameter can not be used with the fields parameter.', 'ConflictingParametersException');
      only = [];
      for (const name of input.fields) {
        const def = fieldByName(String(name));
        if (!def) return fieldNotFound(String(name));
        only.push(def.referenceName);
      }
    }
  }
  let asOf: number | undefined;
  if (input.asOf !== undefined && input.asOf !== null && input.asOf !== '') {
    asOf = Date.parse(String(input.asOf));
    if (!Number.isFinite(asOf)) return badRequest(`The value '${String(input.asOf)}' is not a valid date for asOf.`, 'ArgumentException');
  }
  const policy = String(input.errorPolicy ?? 'fail').toLowerCase();
  const omit = policy === 'omit' || policy === '2';
  const value: Json[] = [];
  for (const raw of ids) {
    const id = Number(raw);
    const item = Number.isInteger(id) ? site.workItem(id) : undefined;
    const revision = item && (!project || item.project === project) ? (asOf !== undefined ? site.revisionAt(item, asOf) : site.current(item)) : undefined;
    if (!item || !revision) {
      if (omit) {
        value.push(null);
        continue;
      }
      return workItemNotFound(String(raw));
    }
    value.push(workItemJson(site, item, revision.rev - 1, only, expand));
  }
  if (single) return { status: 200, body: value[0]! };
  return { status: 200, body: { count: value.length, value } };
}

function workItemsBatch(site: AzureDevOpsSite, req: ApiRequest, project: ProjectRecord | undefined): ApiResponse {
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return badRequest('The request body must be a work item batch get request: {"ids": [...]}.', 'ArgumentNullException');
  return getWorkItems(site, { ids: body.ids, fields: body.fields, asOf: body.asOf, expand: body.$expand, errorPolicy: body.errorPolicy }, project, false);
}

const csv = (value: string | null): string[] | undefined =>
  value === null ? undefined : value.split(',').map((x) => x.trim()).filter((x) => x !== '');

function workItemsList(site: AzureDevOpsSite, req: ApiRequest, project: ProjectRecord | undefined): ApiResponse {
  const q = req.query;
  return getWorkItems(site, { ids: csv(q.get('ids')), fields: csv(q.get('fields')), asOf: q.get('asOf') ?? undefined, expand: q.get('$expand') ?? undefined, errorPolicy: q.get('errorPolicy') ?? undefined }, project, false);
}

function workItem(site: AzureDevOpsSite, req: ApiRequest, item: WorkItemRecord): ApiResponse {
  const q = req.query;
  return getWorkItems(site, { ids: [item.id], fields: csv(q.get('fields')), asOf: q.get('asOf') ?? undefined, expand: q.get('$expand') ?? undefined }, undefined, true);
}

function pageOf(req: ApiRequest, cap: number, total: number): { skip: number; top: number } | ApiResponse {
  const skipText = req.query.get('$skip');
  const topText = req.query.get('$top');
  const skip = skipText !== null ? Number(skipText) : 0;
  const top = topText !== null ? Number(topText) : cap;
  if (!Number.isInteger(skip) || skip < 0) return badRequest(`The value '${skipText}' is not valid for $skip.`, 'ArgumentException');
  if (!Number.isInteger(top) || top < 0) return badRequest(`The value '${topText}' is not valid for $top.`, 'ArgumentException');
  return { skip: Math.min(skip, total), top: Math.min(top, cap) };
}

function revisions(site: AzureDevOpsSite, cfg: ApiConfig, req: ApiRequest, item: WorkItemRecord, number: string | undefined): ApiResponse {
  const expand = parseExpand(req.query.get('$expand') ?? undefined);
  if (!expand) return badRequest(`The value '${req.query.get('$expand')}' is not valid for $expand.`, 'ArgumentException');
  if (number !== undefined) {
    const rev = Number(number);
    if (!Number.isInteger(rev) || rev < 1 || rev > item.revisions.length) {
      return adoError(404, `TF401236: Revision ${number} of work item ${item.id} does not exist.`, 'WorkItemRevisionNotFoundException');
    }
    return { status: 200, body: revisionJson(site, item, rev - 1, expand) };
  }
  const page = pageOf(req, cfg.caps.revisions, item.revisions.length);
  if ('status' in page) return page;
  const value = item.revisions.slice(page.skip, page.skip + page.top).map((r) => revisionJson(site, item, r.rev - 1, expand));
  return { status: 200, body: { count: value.length, value } };
}

function updates(site: AzureDevOpsSite, cfg: ApiConfig, req: ApiRequest, item: WorkItemRecord, number: string | undefined): ApiResponse {
  if (number !== undefined) {
    const n = Number(number);
    if (!Number.isInteger(n) || n < 1 || n > item.revisions.length) {
      return adoError(404, `TF401240: Update ${number} of work item ${item.id} does not exist.`, 'WorkItemUpdateNotFoundException');
    }
    return { status: 200, body: updateJson(site, item, n - 1) };
  }
  const page = pageOf(req, cfg.caps.updates, item.revisions.length);
  if ('status' in page) return page;
  const value: Json[] = [];
  for (let i = page.skip; i < Math.min(item.revisions.length, page.skip + page.top); i++) value.push(updateJson(site, item, i));
  return { status: 200, body: { count: value.length, value } };
}

// ---------------------------------------------------------------------------------------------------------------------
// Reporting revisions.

function bool(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function reportingRevisions(
  site: AzureDevOpsSite,
  cfg: ApiConfig,
  req: ApiRequest,
  project: ProjectRecord | undefined,
  projectRef: string | undefined,
): ApiResponse {
  const q = req.query;
  const post = req.method === 'POST';
  const body = (post ? req.body ?? {} : {}) as Record<string, unknown>;
  if (post && (typeof body !== 'object' || Array.isArray(body))) return badRequest('The request body must be a reporting revisions filter.', 'ArgumentException');
  const fieldsList = post ? (Array.isArray(body.fields) ? body.fields.map(String) : undefined) : csv(q.get('fields'));
  const types = post ? (Array.isArray(body.types) ? body.types.map(String) : undefined) : csv(q.get('types'));
  const includeDeleted = post ? bool(body.includeDeleted) : bool(q.get('includeDeleted'));
  const includeIdentityRef = post ? bool(body.includeIdentityRef) : bool(q.get('includeIdentityRef'));
  const includeLatestOnly = post ? bool(body.includeLatestOnly) : bool(q.get('includeLatestOnly'));
  const expandText = (q.get('$expand') ?? '').toLowerCase();
  const expandFields = expandText === 'fields' || expandText === '1';
  if (expandText !== '' && !expandFields && expandText !== 'none' && expandText !== '0') {
    return badRequest(`The value '${q.get('$expand')}' is not valid for $expand.`, 'ArgumentException');
  }
  let only: string[] | undefined;
  if (fieldsList && fieldsList.length > 0) {
    only = [];
    for (const name of fieldsList) {
      const def = fieldByName(name);
      if (!def) return fieldNotFound(name);
      only.push(def.referenceName);
    }
  }
  const longText = expandFields || (only?.some((r) => FIELDS.find((x) => x.referenceName === r)?.longText) ?? false);
  const typeSet = types && types.length > 0 ? new Set(types.map((t) => t.toLowerCase())) : undefined;

  const token = q.get('continuationToken');
  const startText = q.get('startDateTime');
  if (token !== null && token !== '' && startText !== null && startText !== '') {
    return badRequest('The continuationToken and startDateTime parameters cannot be used together.', 'ArgumentException');
  }
  let after = 0;
  if (token !== null && token !== '') {
    const m = /^(\d+)(;\d+;\d+)?$/.exec(token.trim());
    if (!m) return badRequest(`The continuation token '${token}' is not valid.`, 'ArgumentException');
    after = Number(m[1]);
  }
  let startMs: number | undefined;
  if (startText !== null && startText !== '') {
    startMs = Date.parse(startText);
    if (!Number.isFinite(startMs)) return badRequest(`The value '${startText}' is not a valid date for startDateTime.`, 'ArgumentException');
  }
  const maxPage = q.get('$maxPageSize');
  const pageSize = Math.max(1, Math.min(cfg.caps.reportingRevisions, maxPage !== null && Number(maxPage) > 0 ? Number(maxPage) : Infinity));

  const entries = site.revisionsAfter(after);
  const values: Json[] = [];
  let last: { watermark: number; id: number; rev: number } | undefined;
  let i = 0;
  for (; i < entries.length && values.length < pageSize; i++) {
    const { item, revision } = entries[i]!;
    last = { watermark: revision.watermark, id: item.id, rev: revision.rev };
    if (project && item.project !== project) continue;
    if (item.deleted && !includeDeleted) continue;
    if (startMs !== undefined && revision.ms < startMs) continue;
    if (typeSet && !typeSet.has(revision.state.type.name.toLowerCase())) continue;
    if (includeLatestOnly && item.revisions[item.revisions.length - 1] !== revision) continue;
    values.push(reportingRevisionJson(site, item, revision, { identityRef: includeIdentityRef, longText, ...(only ? { only } : {}) }));
  }
  const isLastBatch = i >= entries.length;
  const continuationToken = last ? `${last.watermark};${last.id};${last.rev}` : token && token !== '' ? token : `${site.lastWatermark};0;0`;
  const extra = post
    ? ''
    : ['fields', 'types', 'includeIdentityRef', 'includeDeleted', 'includeTagRef', 'includeLatestOnly', '$expand', '$maxPageSize']
        .filter((k) => q.get(k) !== null)
        .map((k) => `&${k}=${encodeURIComponent(q.get(k)!)}`)
        .join('');
  const scope = projectRef !== undefined ? `/${encodeURIComponent(projectRef)}` : '';
  return {
    status: 200,
    body: {
      values,
      nextLink: `${site.baseUrl}${scope}/_apis/wit/reporting/workItemRevisions?continuationToken=${encodeURIComponent(continuationToken)}${extra}&api-version=${req.apiVersion ?? RELEASED_VERSION}`,
      continuationToken,
      isLastBatch,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Classification nodes and team iterations.

function classificationNodes(site: AzureDevOpsSite, req: ApiRequest, project: ProjectRecord, rest: string[]): ApiResponse {
  const depthText = req.query.get('$depth');
  const depth = depthText !== null ? Number(depthText) : 0;
  if (!Number.isInteger(depth) || depth < 0) return badRequest(`The value '${depthText}' is not valid for $depth.`, 'ArgumentException');
  if (rest.length === 0) {
    const ids = csv(req.query.get('ids'));
    if (ids) {
      const omit = (req.query.get('errorPolicy') ?? '').toLowerCase() === 'omit';
      const value: Json[] = [];
      for (const id of ids) {
        const node = site.nodeById(Number(id));
        if (!node || node.project !== project) {
          if (omit) continue;
          return adoError(404, `VS402485: The node with id ${id} does not exist.`, 'ClassificationNodeDoesNotExistException');
        }
        value.push(nodeJson(site, node, depth));
      }
      return { status: 200, body: { count: value.length, value } };
    }
    const value = [nodeJson(site, project.rootArea, depth), nodeJson(site, project.rootIteration, depth)];
    return { status: 200, body: { count: value.length, value } };
  }
  const group = rest[0]!.toLowerCase();
  const structure = group === 'iterations' || group === 'iteration' || group === '1' ? 'iteration' : group === 'areas' || group === 'area' || group === '0' ? 'area' : undefined;
  if (!structure) return badRequest(`The structure group '${rest[0]}' is not valid: use Areas or Iterations.`, 'ArgumentException');
  const relative = rest.slice(1).flatMap((x) => x.split('\\')).filter((x) => x !== '');
  const root = structure === 'iteration' ? project.rootIteration : project.rootArea;
  const node = relative.length === 0 ? root : site.node([project.name, ...relative].join('\\'), structure);
  if (!node) return adoError(404, `VS402485: The node name '${relative.join('\\')}' does not exist.`, 'ClassificationNodeDoesNotExistException');
  return { status: 200, body: nodeJson(site, node, depth) };
}

function iterations(
  site: AzureDevOpsSite,
  req: ApiRequest,
  project: ProjectRecord,
  id: string | undefined,
  workItems: boolean,
  n: number,
): ApiResponse {
  const sprints = site.teamIterations(project);
  if (id === undefined) {
    const timeframe = req.query.get('$timeframe');
    if (timeframe !== null && timeframe !== '' && timeframe.toLowerCase() !== 'current') {
      return badRequest(`The value '${timeframe}' is not valid for $timeframe: only 'current' is supported.`, 'ArgumentException');
    }
    const list = timeframe ? sprints.filter((s) => site.timeFrame(s) === 'current') : sprints;
    const value = list.map((s) => teamIterationJson(site, s, false));
    return { status: 200, body: { count: value.length, value } };
  }
  const node: NodeRecord | undefined = sprints.find((s) => s.identifier === id.toLowerCase());
  if (!node) {
    return adoError(404, `VS403076: The iteration with identifier '${id}' does not exist or is not subscribed by the team.`, 'TeamSettingsIterationNotFoundException');
  }
  if (n === 4) return { status: 200, body: teamIterationJson(site, node, true) };
  if (!workItems || n !== 5) return notFoundRoute(req.path);
  const inIteration = site.visibleWorkItems().filter((w) => site.current(w).state.iteration === node);
  const ids = new Set(inIteration.map((w) => w.id));
  const ref = (w: WorkItemRecord): JsonObject => ({ id: w.id, url: workItemUrl(site, w) });
  const relations = inIteration.map((w) => {
    const parent = site.current(w).state.parent;
    const parentItem = parent !== null && ids.has(parent) ? site.workItem(parent) : undefined;
    return parentItem
      ? { rel: 'System.LinkTypes.Hierarchy-Forward', source: ref(parentItem), target: ref(w) }
      : { rel: null, source: null, target: ref(w) };
  });
  const base = `${site.baseUrl}/${project.id}/${project.team.id}/_apis/work/teamsettings/iterations/${node.identifier}`;
  return {
    status: 200,
    body: {
      workItemRelations: relations,
      url: `${base}/workitems`,
      _links: { self: { href: `${base}/workitems` }, owner: { href: base } },
    },
  };
}
