import { FIELDS, fieldByName } from './fields';
import type { FieldDef } from './fields';
import type { StateDef, WorkItemTypeDef } from './process';
import type { AdoAccount, AzureDevOpsSite, NodeRecord, ProjectRecord, RevisionRecord, WorkItemRecord } from './site';
import { adoDate, adoDateTime, END_OF_TIME } from './time';

/** Azure DevOps' JSON shapes, built from the site's records. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface FieldOptions {
  /** Identities as IdentityRef objects (work items, revisions, updates) or "Name <email>" strings (reporting default). */
  identities: 'ref' | 'string';
  /** Include long-text (HTML) fields. */
  longText: boolean;
  /** Include `System.RevisedDate` (revisions, reporting). */
  revisedDate: boolean;
  /** Only these fields (reference names, as the caller spelled them resolved to canonical). */
  only?: readonly string[];
}

const enc = encodeURIComponent;

export function identityRef(site: AzureDevOpsSite, a: AdoAccount): JsonObject {
  return {
    displayName: a.displayName,
    url: `https://spsprodweu5.vssps.visualstudio.com/A${site.organizationId}/_apis/Identities/${a.id}`,
    _links: { avatar: { href: `${site.baseUrl}/_apis/GraphProfile/MemberAvatars/${a.descriptor}` } },
    id: a.id,
    uniqueName: a.uniqueName,
    imageUrl: `${site.baseUrl}/_apis/GraphProfile/MemberAvatars/${a.descriptor}`,
    descriptor: a.descriptor,
  };
}

export function identityString(a: AdoAccount): string {
  return `${a.displayName} <${a.uniqueName}>`;
}

export function workItemUrl(site: AzureDevOpsSite, item: WorkItemRecord): string {
  return `${site.baseUrl}/${item.project.id}/_apis/wit/workItems/${item.id}`;
}

/** `System.RevisedDate` of a revision: the date it was superseded (the next revision's changed date), or the end of time. */
export function revisedDate(item: WorkItemRecord, index: number): string {
  const next = item.revisions[index + 1];
  return next ? adoDateTime(next.ms) : END_OF_TIME;
}

/** Every field of a revision, in Azure DevOps' usual order. */
export function fieldsOf(site: AzureDevOpsSite, item: WorkItemRecord, index: number, o: FieldOptions): JsonObject {
  const r = item.revisions[index]!;
  const s = r.state;
  const p = site.process;
  const who = (a: AdoAccount): Json => (o.identities === 'ref' ? identityRef(site, a) : identityString(a));
  const out: JsonObject = {};
  out['System.Id'] = item.id;
  out['System.AreaId'] = s.area.id;
  out['System.AreaPath'] = site.pathOf(s.area);
  out['System.TeamProject'] = item.project.name;
  out['System.IterationId'] = s.iteration.id;
  out['System.IterationPath'] = site.pathOf(s.iteration);
  out['System.WorkItemType'] = s.type.name;
  out['System.State'] = s.state.name;
  out['System.Reason'] = s.reason;
  out['System.CreatedDate'] = adoDateTime(item.createdMs);
  out['System.CreatedBy'] = who(item.createdBy);
  out['System.ChangedDate'] = adoDateTime(r.ms);
  out['System.ChangedBy'] = who(r.by);
  out['System.CommentCount'] = 0;
  out['System.Title'] = s.title;
  out['System.Rev'] = r.rev;
  if (o.revisedDate) out['System.RevisedDate'] = revisedDate(item, index);
  if (r.deleted) out['System.IsDeleted'] = true;
  out['Microsoft.VSTS.Common.StateChangeDate'] = adoDateTime(s.stateChangeMs);
  if (s.activatedMs !== null) out['Microsoft.VSTS.Common.ActivatedDate'] = adoDateTime(s.activatedMs);
  if (s.closedMs !== null) out['Microsoft.VSTS.Common.ClosedDate'] = adoDateTime(s.closedMs);
  out['Microsoft.VSTS.Common.Priority'] = 2;
  if (s.order !== null) out[p.orderField] = s.order;
  if (s.estimate !== null) out[p.estimateField] = s.estimate;
  if (s.blocked !== null) out['Microsoft.VSTS.CMMI.Blocked'] = s.blocked ? 'Yes' : 'No';
  if (s.tags.length > 0) out['System.Tags'] = s.tags.join('; ');
  if (s.parent !== null) out['System.Parent'] = s.parent;
  if (o.longText && s.described) out['System.Description'] = `<div>${escapeHtml(s.title)}: what and why, agreed with the Product Owner.</div>`;
  if (!o.only) return out;
  const picked: JsonObject = {};
  for (const name of o.only) if (name in out) picked[name] = out[name]!;
  return picked;
}

/** The fields an update diffs: the revision's fields plus the bookkeeping fields updates show. */
function updateFields(site: AzureDevOpsSite, item: WorkItemRecord, index: number): JsonObject {
  const r = item.revisions[index]!;
  return {
    ...fieldsOf(site, item, index, { identities: 'ref', longText: true, revisedDate: true }),
    'System.AuthorizedDate': adoDateTime(r.ms),
    'System.Watermark': r.watermark,
  };
}

/** `GET .../workItems/{id}/updates` entry: the diff from the previous revision. */
export function updateJson(site: AzureDevOpsSite, item: WorkItemRecord, index: number): JsonObject {
  const now = updateFields(site, item, index);
  const before = index > 0 ? updateFields(site, item, index - 1) : {};
  const fields: JsonObject = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
    const a = before[key];
    const b = now[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const change: JsonObject = {};
    if (a !== undefined) change.oldValue = a;
    if (b !== undefined) change.newValue = b;
    fields[key] = change;
  }
  const r = item.revisions[index]!;
  return {
    id: index + 1,
    workItemId: item.id,
    rev: r.rev,
    revisedBy: { ...identityRef(site, r.by), name: identityString(r.by) },
    revisedDate: revisedDate(item, index),
    fields,
    url: `${workItemUrl(site, item)}/updates/${index + 1}`,
  };
}

/** `GET .../workItems/{id}/revisions` entry. */
export function revisionJson(site: AzureDevOpsSite, item: WorkItemRecord, index: number, expand: Expand): JsonObject {
  const r = item.revisions[index]!;
  return {
    id: item.id,
    rev: r.rev,
    fields: fieldsOf(site, item, index, { identities: 'ref', longText: true, revisedDate: true }),
    ...(expand === 'relations' || expand === 'all' ? { relations: relationsOf(site, item, index) } : {}),
    ...(expand === 'links' || expand === 'all' ? { _links: linksOf(site, item) } : {}),
    url: `${workItemUrl(site, item)}/revisions/${r.rev}`,
  };
}

export type Expand = 'none' | 'relations' | 'fields' | 'links' | 'all';

/** A work item as `GET workitems`, `workitemsbatch` give it (the revision at `index`). */
export function workItemJson(site: AzureDevOpsSite, item: WorkItemRecord, index: number, only: readonly string[] | undefined, expand: Expand): JsonObject {
  const r = item.revisions[index]!;
  return {
    id: item.id,
    rev: r.rev,
    fields: fieldsOf(site, item, index, { identities: 'ref', longText: true, revisedDate: false, ...(only ? { only } : {}) }),
    ...(expand === 'relations' || expand === 'all' ? { relations: relationsOf(site, item, index) } : {}),
    ...(expand === 'links' || expand === 'all' ? { _links: linksOf(site, item) } : {}),
    url: workItemUrl(site, item),
  };
}

function relationsOf(site: AzureDevOpsSite, item: WorkItemRecord, index: number): Json[] {
  const out: Json[] = [];
  const s = item.revisions[index]!.state;
  if (s.parent !== null) {
    const parent = site.anyWorkItem(s.parent);
    if (parent) out.push({ rel: 'System.LinkTypes.Hierarchy-Reverse', url: workItemUrl(site, parent), attributes: { isLocked: false, name: 'Parent' } });
  }
  for (const child of site.childrenOf(item.id)) {
    out.push({ rel: 'System.LinkTypes.Hierarchy-Forward', url: workItemUrl(site, child), attributes: { isLocked: false, name: 'Child' } });
  }
  return out;
}

function linksOf(site: AzureDevOpsSite, item: WorkItemRecord): JsonObject {
  const url = workItemUrl(site, item);
  const type = site.current(item).state.type.name;
  return {
    self: { href: url },
    workItemUpdates: { href: `${url}/updates` },
    workItemRevisions: { href: `${url}/revisions` },
    workItemComments: { href: `${url}/comments` },
    html: { href: `${site.baseUrl}/${item.project.id}/_workitems/edit/${item.id}` },
    workItemType: { href: `${site.baseUrl}/${item.project.id}/_apis/wit/workItemTypes/${enc(type)}` },
    fields: { href: `${site.baseUrl}/${item.project.id}/_apis/wit/fields` },
  };
}

/** A reporting revision: `{id, rev, fields}`. */
export function reportingRevisionJson(
  site: AzureDevOpsSite,
  item: WorkItemRecord,
  revision: RevisionRecord,
  o: { identityRef: boolean; longText: boolean; only?: readonly string[] },
): JsonObject {
  return {
    id: item.id,
    rev: revision.rev,
    fields: fieldsOf(site, item, revision.rev - 1, {
      identities: o.identityRef ? 'ref' : 'string',
      longText: o.longText,
      revisedDate: true,
      ...(o.only ? { only: o.only } : {}),
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Metadata.

export function fieldJson(site: AzureDevOpsSite, f: FieldDef): JsonObject {
  return {
    name: f.name,
    referenceName: f.referenceName,
    description: '',
    type: f.type,
    usage: 'workItem',
    readOnly: f.readOnly,
    canSortBy: f.type !== 'html' && f.type !== 'plainText',
    isQueryable: true,
    supportedOperations: [],
    isIdentity: f.type === 'identity',
    isPicklist: false,
    isPicklistSuggested: false,
    url: `${site.baseUrl}/_apis/wit/fields/${f.referenceName}`,
  };
}

export function fieldsJson(site: AzureDevOpsSite): JsonObject {
  return { count: FIELDS.length, value: FIELDS.map((f) => fieldJson(site, f)) };
}

export function stateJson(s: StateDef): JsonObject {
  return { name: s.name, color: s.color, category: s.category };
}

/** The fields each type carries (what `workitemtypes/{type}` lists). */
function typeFields(site: AzureDevOpsSite, type: WorkItemTypeDef): FieldDef[] {
  const names = [
    'System.Id',
    'System.Title',
    'System.State',
    'System.Reason',
    'System.AreaPath',
    'System.IterationPath',
    'System.WorkItemType',
    'System.TeamProject',
    'System.CreatedDate',
    'System.CreatedBy',
    'System.ChangedDate',
    'System.ChangedBy',
    'System.Rev',
    'System.Tags',
    'System.Parent',
    'System.Description',
    'Microsoft.VSTS.Common.Priority',
    'Microsoft.VSTS.Common.StateChangeDate',
    'Microsoft.VSTS.Common.ActivatedDate',
    'Microsoft.VSTS.Common.ClosedDate',
    site.process.orderField,
    ...(type.estimated ? [site.process.estimateField] : []),
    ...(type.level === 'task' ? ['Microsoft.VSTS.Scheduling.RemainingWork'] : []),
    'Microsoft.VSTS.CMMI.Blocked',
  ];
  return names.map((n) => fieldByName(n)!);
}

export function workItemTypeJson(site: AzureDevOpsSite, project: ProjectRecord, type: WorkItemTypeDef): JsonObject {
  const fields = typeFields(site, type).map((f) => ({
    defaultValue: null,
    alwaysRequired: f.referenceName === 'System.Title',
    referenceName: f.referenceName,
    name: f.name,
    url: `${site.baseUrl}/${project.id}/_apis/wit/workItemTypes/${enc(type.name)}/fields/${f.referenceName}`,
  }));
  return {
    name: type.name,
    referenceName: type.referenceName,
    description: type.description,
    color: type.color,
    icon: { id: type.icon, url: `https://tfsprodweu5.visualstudio.com/_apis/wit/workItemIcons/${type.icon}?color=${type.color}&v=2` },
    isDisabled: false,
    xmlForm: '',
    fields,
    fieldInstances: fields,
    transitions: Object.fromEntries(
      ['', ...type.states.map((s) => s.name)].map((from) => [from, type.states.filter((s) => s.name !== from).map((s) => ({ to: s.name, actions: null }))]),
    ),
    states: type.states.map(stateJson),
    url: `${site.baseUrl}/${project.id}/_apis/wit/workItemTypes/${enc(type.name)}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Classification nodes and team settings.

function nodeGroup(node: NodeRecord): 'Iterations' | 'Areas' {
  return node.structure === 'iteration' ? 'Iterations' : 'Areas';
}

function nodeRelative(site: AzureDevOpsSite, node: NodeRecord): string[] {
  return site.pathOf(node).split('\\').slice(1);
}

/** `\\SIM\\Iteration\\Sprint 1`: the path the classification node API gives. */
export function nodeApiPath(site: AzureDevOpsSite, node: NodeRecord): string {
  const group = node.structure === 'iteration' ? 'Iteration' : 'Area';
  return `\\${[node.project.name, group, ...nodeRelative(site, node)].join('\\')}`;
}

export function nodeUrl(site: AzureDevOpsSite, node: NodeRecord): string {
  const rel = nodeRelative(site, node).map(enc);
  return `${site.baseUrl}/${node.project.id}/_apis/wit/classificationNodes/${nodeGroup(node)}${rel.length ? `/${rel.join('/')}` : ''}`;
}

/** A classification node with `depth` levels of children. */
export function nodeJson(site: AzureDevOpsSite, node: NodeRecord, depth: number, top = true): JsonObject {
  const out: JsonObject = {
    id: node.id,
    identifier: node.identifier,
    name: node.name,
    structureType: node.structure,
    hasChildren: node.children.length > 0,
    path: nodeApiPath(site, node),
  };
  if (node.structure === 'iteration' && (node.startDate !== null || node.finishDate !== null)) {
    out.attributes = { startDate: adoDate(node.startDate), finishDate: adoDate(node.finishDate) };
  }
  if (depth > 0 && node.children.length > 0) out.children = node.children.map((c) => nodeJson(site, c, depth - 1, false));
  if (top) {
    out._links = {
      self: { href: nodeUrl(site, node) },
      ...(node.parent ? { parent: { href: nodeUrl(site, node.parent) } } : {}),
    };
  }
  out.url = nodeUrl(site, node);
  return out;
}

function teamBase(site: AzureDevOpsSite, project: ProjectRecord): string {
  return `${site.baseUrl}/${project.id}/${project.team.id}/_apis/work/teamsettings`;
}

/** A team iteration (`teamsettings/iterations`). */
export function teamIterationJson(site: AzureDevOpsSite, node: NodeRecord, links: boolean): JsonObject {
  const project = node.project;
  const url = `${teamBase(site, project)}/iterations/${node.identifier}`;
  return {
    id: node.identifier,
    name: node.name,
    path: site.pathOf(node),
    attributes: { startDate: adoDate(node.startDate), finishDate: adoDate(node.finishDate), timeFrame: site.timeFrame(node) },
    url,
    ...(links
      ? {
          _links: {
            self: { href: url },
            project: { href: `${site.baseUrl}/_apis/projects/${project.id}` },
            team: { href: `${site.baseUrl}/_apis/projects/${project.id}/teams/${project.team.id}` },
            teamSettings: { href: teamBase(site, project) },
            teamIterations: { href: `${teamBase(site, project)}/iterations` },
            capacity: { href: `${url}/capacities` },
            classificationNode: { href: nodeUrl(site, node) },
            teamDaysOff: { href: `${url}/teamdaysoff` },
          },
        }
      : {}),
  };
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function iterationRef(site: AzureDevOpsSite, node: NodeRecord, path: string): JsonObject {
  return { id: node.identifier, name: node.name, path, url: nodeUrl(site, node) };
}

/** `GET {project}/{team}/_apis/work/teamsettings`. */
export function teamSettingsJson(site: AzureDevOpsSite, project: ProjectRecord): JsonObject {
  const sprints = site.teamIterations(project);
  const current =
    sprints.find((n) => site.timeFrame(n) === 'current') ?? sprints.find((n) => site.timeFrame(n) === 'future') ?? sprints[sprints.length - 1];
  const base = teamBase(site, project);
  return {
    backlogIteration: iterationRef(site, project.rootIteration, ''),
    bugsBehavior: 'asRequirements',
    workingDays: project.workingDays.map((d) => WEEKDAYS[(d - 1) % 7]!),
    backlogVisibilities: {
      'Microsoft.EpicCategory': true,
      'Microsoft.FeatureCategory': true,
      'Microsoft.RequirementCategory': true,
    },
    ...(current ? { defaultIteration: iterationRef(site, current, site.pathOf(current)) } : {}),
    defaultIterationMacro: '@currentIteration',
    url: base,
    _links: {
      self: { href: base },
      project: { href: `${site.baseUrl}/_apis/projects/${project.id}` },
      team: { href: `${site.baseUrl}/_apis/projects/${project.id}/teams/${project.team.id}` },
      teamIterations: { href: `${base}/iterations` },
      teamFieldValues: { href: `${base}/teamfieldvalues` },
      classificationNode: [{ href: nodeUrl(site, project.rootIteration) }, ...(current ? [{ href: nodeUrl(site, current) }] : [])],
    },
  };
}

/** `GET {project}/{team}/_apis/work/teamsettings/teamfieldvalues`. */
export function teamFieldValuesJson(site: AzureDevOpsSite, project: ProjectRecord): JsonObject {
  const base = teamBase(site, project);
  const area = site.pathOf(project.teamArea);
  return {
    field: { referenceName: 'System.AreaPath', url: `${site.baseUrl}/_apis/wit/fields/System.AreaPath` },
    defaultValue: area,
    values: [{ value: area, includeChildren: true }],
    url: `${base}/teamfieldvalues`,
    _links: {
      self: { href: `${base}/teamfieldvalues` },
      project: { href: `${site.baseUrl}/_apis/projects/${project.id}` },
      team: { href: `${site.baseUrl}/_apis/projects/${project.id}/teams/${project.team.id}` },
      teamSettings: { href: base },
      areaPathClassificationNodes: { href: `${site.baseUrl}/${project.id}/_apis/wit/classificationNodes/Areas` },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Core: projects and teams.

const LAST_UPDATE = '2024-06-03T08:12:44.387Z';

export function projectJson(site: AzureDevOpsSite, p: ProjectRecord): JsonObject {
  return {
    id: p.id,
    name: p.name,
    description: `Simulated project of ${p.team.name}`,
    url: `${site.baseUrl}/_apis/projects/${p.id}`,
    state: 'wellFormed',
    revision: 400 + p.index,
    visibility: 'private',
    lastUpdateTime: LAST_UPDATE,
  };
}

export function projectDetailJson(site: AzureDevOpsSite, p: ProjectRecord, capabilities: boolean): JsonObject {
  return {
    ...projectJson(site, p),
    _links: {
      self: { href: `${site.baseUrl}/_apis/projects/${p.id}` },
      collection: { href: `${site.baseUrl}/_apis/projectCollections/${site.organizationId}` },
      web: { href: `${site.baseUrl}/${enc(p.name)}` },
    },
    ...(capabilities
      ? {
          capabilities: {
            versioncontrol: { sourceControlType: 'Git', gitEnabled: 'True', tfvcEnabled: 'False' },
            processTemplate: { templateName: site.process.templateName, templateTypeId: site.process.templateTypeId },
          },
        }
      : {}),
    defaultTeam: { id: p.team.id, name: p.team.name, url: `${site.baseUrl}/_apis/projects/${p.id}/teams/${p.team.id}` },
  };
}

export function teamJson(site: AzureDevOpsSite, p: ProjectRecord): JsonObject {
  return {
    id: p.team.id,
    name: p.team.name,
    url: `${site.baseUrl}/_apis/projects/${p.id}/teams/${p.team.id}`,
    description: 'The default project team.',
    identityUrl: `https://spsprodweu5.vssps.visualstudio.com/A${site.organizationId}/_apis/Identities/${p.team.id}`,
    projectName: p.name,
    projectId: p.id,
  };
}

export function connectionDataJson(site: AzureDevOpsSite): JsonObject {
  const user = {
    id: site.self.id,
    descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${site.self.uniqueName}`,
    subjectDescriptor: site.self.descriptor,
    providerDisplayName: site.self.displayName,
    isActive: true,
    properties: { Account: { $type: 'System.String', $value: site.self.uniqueName } },
    resourceVersion: 2,
    metaTypeId: 0,
  };
  return {
    authenticatedUser: user,
    authorizedUser: user,
    instanceId: site.organizationId,
    deploymentId: '00000000-0000-0000-0000-000000000000',
    deploymentType: 'hosted',
    locationServiceData: {
      serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7',
      defaultAccessMappingMoniker: 'PublicAccessMapping',
      lastChangeId: 1000,
      lastChangeId64: 1000,
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
