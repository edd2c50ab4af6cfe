import type { ItemKind } from '@agile-kpi/core';

/**
 * The two inherited processes a simulated Azure DevOps organisation uses: work item types, their states with state
 * categories, the estimate and backlog-order fields, and the mapping from the simulator's statuses to states.
 *
 * Both are inherited processes with custom states (Scrum: "In Review" and "Blocked" on Product Backlog Item and Bug;
 * Agile: "Blocked" on User Story and Bug), which is why they are named "Sim Scrum" / "Sim Agile" and not "Scrum".
 */

export type AzureDevOpsProcess = 'scrum' | 'agile';

/** Azure DevOps state categories (`GET .../workitemtypes/{type}/states` -> `category`). */
export type StateCategory = 'Proposed' | 'InProgress' | 'Resolved' | 'Completed' | 'Removed';

export interface StateDef {
  readonly name: string;
  /** Hex colour without `#`, as the API gives it. */
  readonly color: string;
  readonly category: StateCategory;
  /** A state added in the inherited process (not in the system process). */
  readonly custom?: boolean;
}

/** Where a type sits: the requirement backlog, a child task, a portfolio item, or an impediment. */
export type TypeLevel = 'requirement' | 'task' | 'portfolio' | 'impediment';

export interface WorkItemTypeDef {
  readonly name: string;
  readonly referenceName: string;
  readonly description: string;
  readonly color: string;
  readonly icon: string;
  readonly level: TypeLevel;
  readonly states: readonly StateDef[];
  /** Whether the process's estimate field is on this type (requirement-level types only). */
  readonly estimated: boolean;
}

export interface ProcessDef {
  readonly process: AzureDevOpsProcess;
  /** The inherited process's name (`capabilities.processTemplate.templateName`). */
  readonly templateName: string;
  readonly templateTypeId: string;
  /** `Microsoft.VSTS.Scheduling.Effort` (Scrum) or `Microsoft.VSTS.Scheduling.StoryPoints` (Agile). */
  readonly estimateField: string;
  /** `Microsoft.VSTS.Common.BacklogPriority` (Scrum) or `Microsoft.VSTS.Common.StackRank` (Agile). */
  readonly orderField: string;
  readonly types: readonly WorkItemTypeDef[];
  /** The type each simulator item kind becomes. */
  readonly typeOfKind: Readonly<Record<ItemKind, string>>;
}

const GREY = 'b2b2b2';
const BLUE = '007acc';
const ORANGE = 'ff9d00';
const GREEN = '339933';
const WHITE = 'ffffff';
const CUSTOM = '5688E0';

const s = (name: string, color: string, category: StateCategory, custom = false): StateDef =>
  custom ? { name, color, category, custom } : { name, color, category };

const SCRUM_REQUIREMENT: readonly StateDef[] = [
  s('New', GREY, 'Proposed'),
  s('Approved', GREY, 'Proposed'),
  s('Committed', BLUE, 'InProgress'),
  s('In Review', CUSTOM, 'InProgress', true),
  s('Blocked', 'cc293d', 'InProgress', true),
  s('Done', GREEN, 'Completed'),
  s('Removed', WHITE, 'Removed'),
];
const SCRUM_TASK: readonly StateDef[] = [
  s('To Do', GREY, 'Proposed'),
  s('In Progress', BLUE, 'InProgress'),
  s('Done', GREEN, 'Completed'),
  s('Removed', WHITE, 'Removed'),
];
const SCRUM_PORTFOLIO: readonly StateDef[] = [
  s('New', GREY, 'Proposed'),
  s('In Progress', BLUE, 'InProgress'),
  s('Done', GREEN, 'Completed'),
  s('Removed', WHITE, 'Removed'),
];
const SCRUM_IMPEDIMENT: readonly StateDef[] = [s('Open', BLUE, 'InProgress'), s('Closed', GREEN, 'Completed')];

const AGILE_REQUIREMENT: readonly StateDef[] = [
  s('New', GREY, 'Proposed'),
  s('Active', BLUE, 'InProgress'),
  s('Blocked', 'cc293d', 'InProgress', true),
  s('Resolved', ORANGE, 'Resolved'),
  s('Closed', GREEN, 'Completed'),
  s('Removed', WHITE, 'Removed'),
];
const AGILE_TASK: readonly StateDef[] = [
  s('New', GREY, 'Proposed'),
  s('Active', BLUE, 'InProgress'),
  s('Closed', GREEN, 'Completed'),
  s('Removed', WHITE, 'Removed'),
];
const AGILE_PORTFOLIO: readonly StateDef[] = [
  s('New', GREY, 'Proposed'),
  s('Active', BLUE, 'InProgress'),
  s('Resolved', ORANGE, 'Resolved'),
  s('Closed', GREEN, 'Completed'),
  s('Removed', WHITE, 'Removed'),
];
const AGILE_ISSUE: readonly StateDef[] = [s('Active', BLUE, 'InProgress'), s('Resolved', ORANGE, 'Resolved'), s('Closed', GREEN, 'Completed')];

const t = (
  name: string,
  ref: string,
  description: string,
  color: string,
  icon: string,
  level: TypeLevel,
  states: readonly StateDef[],
): WorkItemTypeDef => ({
  name,
  referenceName: `Microsoft.VSTS.WorkItemTypes.${ref}`,
  description,
  color,
  icon,
  level,
  states,
  estimated: level === 'requirement',
});

export const SCRUM: ProcessDef = {
  process: 'scrum',
  templateName: 'Sim Scrum',
  templateTypeId: '6b724908-ef14-45cf-84f8-768b5384da45',
  estimateField: 'Microsoft.VSTS.Scheduling.Effort',
  orderField: 'Microsoft.VSTS.Common.BacklogPriority',
  types: [
    t('Product Backlog Item', 'ProductBacklogItem', 'Tracks an activity the team will do that will result in code or other deliverables.', '009CCC', 'icon_list', 'requirement', SCRUM_REQUIREMENT),
    t('Bug', 'Bug', 'Describes a divergence between required and actual behavior, and tracks the work done to correct the defect and verify the correction.', 'CC293D', 'icon_insect', 'requirement', SCRUM_REQUIREMENT),
    t('Task', 'Task', 'Tracks work that needs to be done.', 'F2CB1D', 'icon_clipboard', 'task', SCRUM_TASK),
    t('Epic', 'Epic', 'Epics help teams effectively manage and groom their product backlog', 'FF7B00', 'icon_crown', 'portfolio', SCRUM_PORTFOLIO),
    t('Feature', 'Feature', 'Tracks a feature that will be released with the product', '773B93', 'icon_trophy', 'portfolio', SCRUM_PORTFOLIO),
    t('Impediment', 'Impediment', 'Tracks an obstacle to progress.', 'B4009E', 'icon_traffic_cone', 'impediment', SCRUM_IMPEDIMENT),
  ],
  typeOfKind: {
    story: 'Product Backlog Item',
    task: 'Product Backlog Item',
    other: 'Product Backlog Item',
    bug: 'Bug',
    subtask: 'Task',
    epic: 'Epic',
    impediment: 'Impediment',
  },
};

export const AGILE: ProcessDef = {
  process: 'agile',
  templateName: 'Sim Agile',
  templateTypeId: 'adcc42ab-9882-485e-a3ed-7678f01f66bc',
  estimateField: 'Microsoft.VSTS.Scheduling.StoryPoints',
  orderField: 'Microsoft.VSTS.Common.StackRank',
  types: [
    t('User Story', 'UserStory', 'Tracks a user story', '009CCC', 'icon_book', 'requirement', AGILE_REQUIREMENT),
    t('Bug', 'Bug', 'Describes a divergence between required and actual behavior, and tracks the work done to correct the defect and verify the correction.', 'CC293D', 'icon_insect', 'requirement', AGILE_REQUIREMENT),
    t('Task', 'Task', 'Tracks work that needs to be done.', 'F2CB1D', 'icon_clipboard', 'task', AGILE_TASK),
    t('Epic', 'Epic', 'Epics help teams effectively manage and groom their product backlog', 'FF7B00', 'icon_crown', 'portfolio', AGILE_PORTFOLIO),
    t('Feature', 'Feature', 'Tracks a feature that will be released with the product', '773B93', 'icon_trophy', 'portfolio', AGILE_PORTFOLIO),
    t('Issue', 'Issue', 'Tracks an obstacle to progress.', 'B4009E', 'icon_traffic_cone', 'impediment', AGILE_ISSUE),
  ],
  typeOfKind: {
    story: 'User Story',
    task: 'User Story',
    other: 'User Story',
    bug: 'Bug',
    subtask: 'Task',
    epic: 'Epic',
    impediment: 'Issue',
  },
};

export const AZURE_DEVOPS_PROCESSES: Readonly<Record<AzureDevOpsProcess, ProcessDef>> = { scrum: SCRUM, agile: AGILE };

export function processDef(process: AzureDevOpsProcess): ProcessDef {
  const def = AZURE_DEVOPS_PROCESSES[process];
  if (!def) throw new RangeError(`process must be 'scrum' or 'agile', got ${JSON.stringify(process)}`);
  return def;
}

/** The work item type an item of the simulator becomes. */
export function workItemTypeOf(process: AzureDevOpsProcess, kind: ItemKind): WorkItemTypeDef {
  const def = processDef(process);
  return typeByName(def, def.typeOfKind[kind] ?? def.typeOfKind.other)!;
}

export function typeByName(def: ProcessDef, name: string): WorkItemTypeDef | undefined {
  const lower = name.toLowerCase();
  return def.types.find((x) => x.name.toLowerCase() === lower || x.referenceName.toLowerCase() === lower);
}

/**
 * Simulator status -> state, per process and type level. The simulator's statuses are To Do, In Progress, Blocked,
 * In Review and Done; a type without a matching state takes the nearest one (a Task has no Blocked state: In Progress).
 */
const STATE_MAP: Readonly<Record<AzureDevOpsProcess, Readonly<Record<TypeLevel, Readonly<Record<string, string>>>>>> = {
  scrum: {
    requirement: { 'To Do': 'New', 'In Progress': 'Committed', Blocked: 'Blocked', 'In Review': 'In Review', Done: 'Done' },
    task: { 'To Do': 'To Do', 'In Progress': 'In Progress', Blocked: 'In Progress', 'In Review': 'In Progress', Done: 'Done' },
    portfolio: { 'To Do': 'New', 'In Progress': 'In Progress', Blocked: 'In Progress', 'In Review': 'In Progress', Done: 'Done' },
    impediment: { 'To Do': 'Open', 'In Progress': 'Open', Blocked: 'Open', 'In Review': 'Open', Done: 'Closed' },
  },
  agile: {
    requirement: { 'To Do': 'New', 'In Progress': 'Active', Blocked: 'Blocked', 'In Review': 'Resolved', Done: 'Closed' },
    task: { 'To Do': 'New', 'In Progress': 'Active', Blocked: 'Active', 'In Review': 'Active', Done: 'Closed' },
    portfolio: { 'To Do': 'New', 'In Progress': 'Active', Blocked: 'Active', 'In Review': 'Resolved', Done: 'Closed' },
    impediment: { 'To Do': 'Active', 'In Progress': 'Active', Blocked: 'Active', 'In Review': 'Resolved', Done: 'Closed' },
  },
};

const CATEGORY_OF_SIM: Readonly<Record<string, StateCategory>> = {
  todo: 'Proposed',
  in_progress: 'InProgress',
  done: 'Completed',
  removed: 'Removed',
};

/**
 * The state a simulator status becomes on a type (the mapping tests use to compare rendered states with the
 * simulator). `status` may also be a state of the type already (returned as the type spells it). An unknown status
 * falls back to the first state of its category (`category` is the neutral model's: todo, in_progress, done,
 * removed), or the type's first state.
 */
export function azureDevOpsStateOf(
  process: AzureDevOpsProcess,
  typeName: string,
  status: string,
  category?: 'todo' | 'in_progress' | 'done' | 'removed',
): string {
  const def = processDef(process);
  const type = typeByName(def, typeName);
  if (!type) throw new RangeError(`no work item type ${typeName} in the ${process} process`);
  const mapped = STATE_MAP[process][type.level][status];
  if (mapped !== undefined) return mapped;
  const own = type.states.find((x) => x.name.toLowerCase() === status.toLowerCase());
  if (own) return own.name;
  const wanted = category !== undefined ? CATEGORY_OF_SIM[category] : undefined;
  return (wanted !== undefined ? type.states.find((x) => x.category === wanted) : undefined)?.name ?? type.states[0]!.name;
}

export function stateDef(type: WorkItemTypeDef, name: string): StateDef | undefined {
  const lower = name.toLowerCase();
  return type.states.find((x) => x.name.toLowerCase() === lower);
}

/**
 * `System.Reason` of a transition into `to` (from `from`, or at creation when `from` is null). Close to the system
 * processes' default reasons; custom states get "Moved to state X", as inherited processes write.
 */
export function reasonFor(process: AzureDevOpsProcess, type: WorkItemTypeDef, from: StateDef | null, to: StateDef): string {
  if (to.custom) return `Moved to state ${to.name}`;
  if (from === null) {
    if (type.level === 'impediment') return process === 'scrum' ? 'New impediment' : 'New issue';
    if (type.name === 'Bug') return 'New defect reported';
    if (process === 'scrum') {
      if (type.level === 'task') return 'New task';
      if (type.level === 'portfolio') return `New ${type.name.toLowerCase()}`;
      return 'New backlog item';
    }
    return 'New';
  }
  const back = rankOf(to.category) < rankOf(from.category);
  switch (to.category) {
    case 'Proposed':
      if (process === 'scrum') {
        if (to.name === 'Approved') return 'Approved by the Product Owner';
        return type.level === 'task' ? 'Work stopped' : 'Reconsidering backlog item';
      }
      return 'Implementation halted';
    case 'InProgress':
      if (back) return 'Reactivated';
      if (process === 'scrum') {
        if (type.level === 'requirement') return 'Commitment made by the team';
        if (type.level === 'impediment') return 'Reactivated';
        return 'Work started';
      }
      return type.level === 'task' ? 'Work started' : 'Implementation started';
    case 'Resolved':
      return type.name === 'Bug' ? 'Fixed' : type.level === 'impediment' ? 'Resolved' : 'Code complete and unit tests pass';
    case 'Completed':
      if (process === 'scrum') return type.level === 'impediment' ? 'Impediment removed' : 'Work finished';
      return type.level === 'task' ? 'Completed' : type.name === 'Bug' ? 'Verified' : 'Acceptance tests pass';
    case 'Removed':
      return 'Removed from the backlog';
  }
}

function rankOf(category: StateCategory): number {
  return category === 'Proposed' ? 0 : category === 'InProgress' ? 1 : category === 'Resolved' ? 2 : category === 'Completed' ? 3 : 4;
}
