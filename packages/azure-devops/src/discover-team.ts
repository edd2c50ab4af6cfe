import { readRecord, skippedWarning } from '@agile-kpi/tracker-client';
import { AdoError } from './ado-error';
import type { AdoClient, TeamScope } from './ado-client';
import type { Warn } from './collect';
import { ROUTES } from './routes';
import {
  type AdoIteration,
  type ClassificationNode,
  classificationNodeSchema,
  iterationDatesSchema,
  iterationSchema,
  iterationsSchema,
  statesSchema,
  teamFieldValuesSchema,
  teamSettingsSchema,
  workItemTypesSchema,
} from './wire';

/** Estimate fields by process: Agile StoryPoints, Scrum Effort, CMMI Size. */
export const ESTIMATE_FIELDS = ['Microsoft.VSTS.Scheduling.StoryPoints', 'Microsoft.VSTS.Scheduling.Effort', 'Microsoft.VSTS.Scheduling.Size'] as const;
/** Backlog order: BacklogPriority (Scrum), StackRank (Agile, CMMI). */
export const ORDER_FIELDS = ['Microsoft.VSTS.Common.BacklogPriority', 'Microsoft.VSTS.Common.StackRank'] as const;
/** Requirement-level types of the three processes. */
export const REQUIREMENT_TYPES = ['Product Backlog Item', 'User Story', 'Requirement'] as const;
/** Impediment types: Scrum has Impediment, Agile and CMMI have Issue. */
export const IMPEDIMENT_TYPES = ['Impediment', 'Issue'] as const;

/** Everything about a team that mapping needs besides its work items. */
export interface TeamContext {
  readonly project: string;
  readonly team: string;
  /** The team's area paths (team field values): its work items live under them. */
  readonly areaPaths: readonly { readonly value: string; readonly includeChildren: boolean }[];
  readonly backlogIterationPath?: string;
  readonly bugsBehavior: string;
  /** ISO weekdays (1 = Monday). */
  readonly workingDays: readonly number[];
  readonly iterations: readonly AdoIteration[];
  /** Work item types with their states' categories (never hard-coded state names). */
  readonly types: readonly { readonly name: string; readonly states: readonly { readonly name: string; readonly category: string }[] }[];
  readonly estimateField?: string;
  readonly orderField?: string;
  readonly impedimentType?: string;
  readonly requirementTypes: readonly string[];
  /**
   * Every iteration node of the project with dates (release iterations among them), flattened; `id` is the
   * node's identifier (paths are not unique in every answer), dates are "YYYY-MM-DD".
   */
  readonly iterationNodes: readonly { readonly id: string; readonly name: string; readonly path: string; readonly startDate?: string; readonly finishDate?: string }[];
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * Discovers a team: its settings (backlog iteration, bugs behaviour, working days), area paths, iterations
 * with dates, the project's work item types with their state categories, the process's estimate and order
 * fields, its impediment type, and the iteration tree (release iterations carry release dates). An iteration
 * whose dates cannot be read is left out, with a warning.
 *
 * @example const ctx = await discoverTeam(client, { project: 'Fabrikam', team: 'Fabrikam Team' }, (w) => warnings.push(w))
 */
export async function discoverTeam(client: AdoClient, scope: TeamScope, warn: Warn): Promise<TeamContext> {
  const rv = { project: scope.project, team: scope.team };
  const [settings, fieldValues, iterations, types, nodes] = await Promise.all([
    client.call(ROUTES.teamSettings, rv, teamSettingsSchema),
    client.call(ROUTES.teamFieldValues, rv, teamFieldValuesSchema),
    client.call(ROUTES.teamIterations, rv, iterationsSchema),
    client.call(ROUTES.workItemTypes, { project: scope.project }, workItemTypesSchema),
    client.call(ROUTES.classificationNodes, { project: scope.project, structureGroup: 'Iterations' }, classificationNodeSchema, { query: { $depth: 10 } }),
  ]);
  const enabled = types.body.filter((t) => !t.isDisabled);
  const states = await Promise.all(
    enabled.map(async (t) => ({ name: t.name, states: (await client.call(ROUTES.workItemTypeStates, { project: scope.project, type: t.name }, statesSchema)).body })),
  );
  const requirementTypes = enabled.map((t) => t.name).filter((n) => (REQUIREMENT_TYPES as readonly string[]).includes(n));
  const requirementFields = new Set(enabled.filter((t) => requirementTypes.includes(t.name)).flatMap((t) => (t.fields ?? []).map((f) => f.referenceName)));
  const estimateField = ESTIMATE_FIELDS.find((f) => requirementFields.has(f));
  const orderField = ORDER_FIELDS.find((f) => requirementFields.has(f));
  const impedimentType = IMPEDIMENT_TYPES.find((n) => enabled.some((t) => t.name === n));
  const areaField = fieldValues.body.field?.referenceName ?? 'System.AreaPath';
  const nodeList = flatten(nodes.body, warn);
  return {
    project: scope.project,
    team: scope.team,
    areaPaths: areaField === 'System.AreaPath' ? fieldValues.body.values.map((v) => ({ value: v.value, includeChildren: v.includeChildren ?? false })) : [],
    ...(settings.body.backlogIteration?.path !== undefined ? { backlogIterationPath: settings.body.backlogIteration.path } : {}),
    bugsBehavior: settings.body.bugsBehavior ?? 'asRequirements',
    workingDays: (settings.body.workingDays ?? WEEKDAYS.slice(0, 5)).map((d) => WEEKDAYS.indexOf(d.toLowerCase()) + 1).filter((d) => d > 0),
    iterations: iterations.body.flatMap((raw) => {
      const r = readRecord(iterationSchema, raw);
      if (!r.ok) {
        warn(skippedWarning(`iteration ${nameOf(raw)}`, r.problems));
        return [];
      }
      // Microsoft's own example leaves `path` out: the iteration node with the same identifier has it.
      const node = r.value.path === undefined ? nodeList.find((n) => n.id === r.value.id) : undefined;
      const path = r.value.path ?? (node ? iterationPath(node.path) : undefined);
      return [{ ...r.value, ...(path !== undefined ? { path } : {}) }];
    }),
    types: states,
    ...(estimateField ? { estimateField } : {}),
    ...(orderField ? { orderField } : {}),
    ...(impedimentType ? { impedimentType } : {}),
    requirementTypes,
    iterationNodes: nodeList,
  };
}

function flatten(node: ClassificationNode, warn: Warn, out: TeamContext['iterationNodes'][number][] = []): TeamContext['iterationNodes'][number][] {
  const dates = readRecord(iterationDatesSchema, node.attributes ?? {});
  if (dates.ok) {
    out.push({
      id: node.identifier ?? `${node.path ?? ''}\\${node.name}`,
      name: node.name,
      path: node.path ?? node.name,
      ...(dates.value.startDate ? { startDate: dates.value.startDate } : {}),
      ...(dates.value.finishDate ? { finishDate: dates.value.finishDate } : {}),
    });
  } else {
    warn(skippedWarning(`iteration node ${node.path ?? node.name}`, dates.problems));
  }
  for (const c of node.children ?? []) flatten(c, warn, out);
  return out;
}

/**
 * The project's default team, for a page that has no team in its context. Azure DevOps routes take the team as
 * optional (`x-ms-required: false` in Microsoft's specs) and answer for the project's default team without one:
 * Microsoft's own example reads `GET {project}/_apis/work/teamsettings` and gets the default team's settings,
 * whose `_links.team.href` ends with the team's id (`.../_apis/projects/{project}/teams/{team}`). Azure DevOps
 * takes a team's id wherever it takes its name, so the id is all the adapter needs.
 */
export async function defaultTeamOf(client: AdoClient, project: string): Promise<string> {
  const { body } = await client.call(ROUTES.teamSettings, { project }, teamSettingsSchema, { what: "find the project's default team" });
  const id = /\/teams\/([^/?#]+)$/.exec(body._links?.team?.href ?? '')?.[1];
  if (!id) throw new AdoError('unexpected-shape', `Azure DevOps did not say which team is project ${project}'s default team (no _links.team in its team settings)`);
  return decodeURIComponent(id);
}

/** A node's path ("\\Fabrikam\\Iteration\\Sprint 1") as work items carry it ("Fabrikam\\Sprint 1"). */
export function iterationPath(nodePath: string): string {
  const parts = nodePath.replace(/^\\+/, '').split('\\');
  if (parts[1]?.toLowerCase() === 'iteration') parts.splice(1, 1);
  return parts.join('\\');
}

function nameOf(raw: unknown): string {
  const r = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return typeof r['path'] === 'string' ? r['path'] : typeof r['name'] === 'string' ? r['name'] : typeof r['id'] === 'string' ? r['id'] : 'without a name';
}
