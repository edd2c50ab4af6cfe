import { createHash } from 'node:crypto';
import type { Change, Snapshot, StatusValue, WorkItem } from '@agile-kpi/core';
import type { GroundTruth, SimulatedTeam } from '../ground-truth';
import { Random } from '../random';
import {
  azureDevOpsStateOf,
  processDef,
  reasonFor,
  stateDef,
  typeByName,
  workItemTypeOf,
} from './process';
import type { AzureDevOpsProcess, ProcessDef, StateDef, WorkItemTypeDef } from './process';
import { addDays, isLocalMidnight, localDate, parseInstant } from './time';

/**
 * A simulated Azure DevOps Services organisation: one project (named after the team key) with one team
 * ("<key> Team") per simulated team, rendered from the neutral model into work items with full revisions, and the
 * only place those records change.
 *
 * Rendering is the inverse of what an Azure DevOps adapter does:
 * - one revision at creation (rev 1, every creation value), then one revision per instant at which any rendered
 *   field changes (several fields at one instant make one revision); an instant whose changes render to the same
 *   values (a sprint added that is not the latest one) makes none;
 * - the simulator's cumulative sprint list becomes ONE iteration path: the sprint of the set with the latest start,
 *   or the project root (the team's backlog iteration) when the set is empty;
 * - statuses become states through {@link azureDevOpsStateOf}; labels and release membership become tags
 *   (`release:<name>`); flagged becomes `Microsoft.VSTS.CMMI.Blocked` ("Yes"/"No", absent until first set).
 * Watermarks (`System.Watermark`, the reporting API's continuation) grow with time across the whole organisation, so
 * a site built from the same teams cut at an earlier instant numbers the revisions it has the same way.
 */

export interface AzureDevOpsSiteOptions {
  /** 'scrum' (default) or 'agile'. */
  process?: AzureDevOpsProcess;
  /** Organisation name (default 'simorg'). */
  organization?: string;
  /** The organisation URL every `url` is built from. The server sets it to its own. Default `https://dev.azure.com/<org>`. */
  baseUrl?: string;
  /** Seeds accounts. Default: the first team's seed. */
  seed?: number;
  /** The API user's time zone: WIQL dates (date precision) and `@today` are read in it. Default 'UTC'. */
  userTimeZone?: string;
  /** The site's clock (epoch ms): time frames, WIQL `@today`, default mutation instants. Default `Date.now`. */
  now?: () => number;
}

export interface AdoAccount {
  readonly id: string;
  readonly displayName: string;
  readonly uniqueName: string;
  readonly descriptor: string;
}

export type NodeKind = 'root' | 'sprint' | 'folder' | 'release' | 'area';

/** A classification node (iteration or area). */
export interface NodeRecord {
  /** Integer node id (`System.IterationId` / `System.AreaId`). */
  readonly id: number;
  /** The node's GUID: a team iteration's `id`. */
  readonly identifier: string;
  readonly structure: 'iteration' | 'area';
  readonly kind: NodeKind;
  name: string;
  readonly project: ProjectRecord;
  readonly parent?: NodeRecord;
  readonly children: NodeRecord[];
  /** The sim sprint or release id behind it. */
  readonly simId?: string;
  /** `YYYY-MM-DD` (shown as midnight UTC) or null. */
  startDate: string | null;
  finishDate: string | null;
  /** The instant used to pick "the sprint of the set with the latest start". */
  readonly startMs?: number;
  /** Whether the team subscribes to it (sprints only). */
  readonly teamIteration: boolean;
}

export interface ProjectRecord {
  readonly index: number;
  /** The project name: the team key ("SIM"). */
  readonly name: string;
  readonly id: string;
  readonly team: { readonly id: string; readonly name: string };
  readonly zone: string;
  readonly workingDays: readonly number[];
  readonly accounts: readonly AdoAccount[];
  readonly rootIteration: NodeRecord;
  readonly rootArea: NodeRecord;
  readonly teamArea: NodeRecord;
  readonly releasesFolder: NodeRecord;
  readonly snapshot?: Snapshot;
  readonly truth?: GroundTruth;
}

/** The rendered values of one revision. */
export interface ItemState {
  readonly type: WorkItemTypeDef;
  readonly state: StateDef;
  readonly reason: string;
  readonly title: string;
  readonly area: NodeRecord;
  readonly iteration: NodeRecord;
  readonly estimate: number | null;
  readonly order: number | null;
  /** Sorted (case-insensitive), no duplicates. */
  readonly tags: readonly string[];
  /** null = never set (field absent). */
  readonly blocked: boolean | null;
  readonly parent: number | null;
  readonly described: boolean;
  readonly stateChangeMs: number;
  readonly activatedMs: number | null;
  readonly closedMs: number | null;
}

export interface RevisionRecord {
  readonly rev: number;
  /** `System.ChangedDate`. */
  readonly ms: number;
  watermark: number;
  readonly by: AdoAccount;
  readonly state: ItemState;
  /** The revision that moved the item to the recycle bin (`System.IsDeleted`). */
  readonly deleted?: boolean;
}

export interface WorkItemRecord {
  readonly id: number;
  readonly simId?: string;
  /** The simulator's key ("SIM-12"). */
  readonly key?: string;
  readonly project: ProjectRecord;
  readonly createdMs: number;
  readonly createdBy: AdoAccount;
  /** Ascending by rev. */
  readonly revisions: RevisionRecord[];
  /** In the recycle bin. */
  deleted: boolean;
}

/** Sim ids -> Azure DevOps ids. */
export interface AzureDevOpsIdMap {
  /** sim item id -> work item id. */
  workItems: Record<string, number>;
  /** sim sprint id -> iteration (team iteration `id` is the GUID; `nodeId` is `System.IterationId`). */
  iterations: Record<string, { id: string; nodeId: number; name: string; path: string }>;
  /** sim release id -> its tag and its project iteration node. */
  releases: Record<string, { tag: string; id: string; nodeId: number; name: string; path: string }>;
  /** project name (team key) -> project and team. */
  projects: Record<string, { id: string; name: string; team: { id: string; name: string } }>;
  /** The other way round. */
  reverse: {
    workItems: Record<string, string>;
    /** iteration path -> sim sprint id. */
    iterations: Record<string, string>;
    /** release tag -> sim release id. */
    releases: Record<string, string>;
  };
}

/** What {@link AzureDevOpsSite.edit} can change. */
export interface WorkItemEdit {
  /** A state of the item's type, or a simulator status (mapped). */
  state?: string;
  estimate?: number | null;
  /** A sim sprint id, an iteration path or node GUID; null = the backlog (project root). */
  iteration?: string | null;
  blocked?: boolean;
  tags?: readonly string[];
  title?: string;
  /** An area path ("SIM" or "SIM\\SIM Team"). */
  area?: string;
}

export interface WorkItemCreate extends WorkItemEdit {
  /** Project name (team key). */
  project: string;
  /** Work item type name (default: the requirement type, Product Backlog Item / User Story). */
  type?: string;
  title: string;
  /** Parent work item id. */
  parent?: number;
  described?: boolean;
}

const DEFAULT_ORG = 'simorg';
const SECOND = 1000;
const FIRST = ['Alex', 'Sam', 'Robin', 'Kim', 'Jo', 'Maria', 'Chen', 'Priya', 'Lars', 'Aiyana', 'Tomas', 'Noor'];
const LAST = ['Meyer', 'Okafor', 'Lindqvist', 'Tanaka', 'Novak', 'Silva', 'Haddad', 'Walsh', 'Kowalski', 'Ibrahim'];

/** A deterministic GUID from a name (sha1, shaped like a version-5 UUID). */
export function guidOf(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

function randomGuid(rng: Random): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += rng.int(0, 15).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function accountsFor(rng: Random, key: string, count: number): AdoAccount[] {
  const out: AdoAccount[] = [];
  for (let i = 0; i < count; i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const id = randomGuid(rng);
    out.push({
      id,
      displayName: `${first} ${last}`,
      uniqueName: `${first.toLowerCase()}.${last.toLowerCase()}.${key.toLowerCase()}@sim.example`,
      descriptor: `aad.${Buffer.from(id).toString('base64').replace(/=+$/, '').slice(0, 40)}`,
    });
  }
  return out;
}

/** Builds the organisation from the teams; `teams` must have distinct team keys. */
export class AzureDevOpsSite {
  baseUrl: string;
  readonly organization: string;
  readonly process: ProcessDef;
  readonly userTimeZone: string;
  /** The API user (connectionData). */
  readonly self: AdoAccount;
  readonly organizationId: string;
  readonly projects: ProjectRecord[] = [];
  readonly nodes: NodeRecord[] = [];
  readonly workItems: WorkItemRecord[] = [];
  readonly idMap: AzureDevOpsIdMap;
  /** Bumped by every mutation. */
  revision = 0;
  /** Every revision in watermark order. */
  private readonly log: { item: WorkItemRecord; revision: RevisionRecord }[] = [];
  private readonly now: () => number;
  private readonly itemById = new Map<number, WorkItemRecord>();
  private readonly itemBySim = new Map<string, WorkItemRecord>();
  private readonly itemByKey = new Map<string, WorkItemRecord>();
  private readonly nodeByPath = new Map<string, NodeRecord>();
  private readonly nodeByGuid = new Map<string, NodeRecord>();
  /** `teamIndex:simId` -> node (twin teams share sim ids). */
  private readonly teamNodes = new Map<string, NodeRecord>();
  private readonly releaseNames = new Map<string, string>();
  private watermark = 0;

  constructor(input: readonly SimulatedTeam[], options: AzureDevOpsSiteOptions = {}) {
    if (input.length === 0) throw new RangeError('a simulated Azure DevOps organisation needs at least one team');
    this.organization = options.organization ?? DEFAULT_ORG;
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(this.organization)) throw new RangeError(`bad organisation name ${this.organization}`);
    this.baseUrl = (options.baseUrl ?? `https://dev.azure.com/${this.organization}`).replace(/\/+$/, '');
    this.process = processDef(options.process ?? 'scrum');
    this.userTimeZone = options.userTimeZone ?? 'UTC';
    this.now = options.now ?? Date.now;
    const rng = new Random(options.seed ?? input[0]!.truth.seed);
    this.organizationId = guidOf(`org/${this.organization}`);
    this.self = { ...accountsFor(rng.fork(), 'api', 1)[0]!, displayName: 'Sim API User', uniqueName: 'api-user@sim.example' };

    const keys = new Set<string>();
    input.forEach((sim, index) => {
      const key = teamKeyOf(sim.snapshot);
      if (keys.has(key)) throw new RangeError(`two teams use the key ${key}: give each team its own teamKey`);
      keys.add(key);
      this.addProject(sim, index, key, accountsFor(rng.fork(), key, 4));
    });
    this.buildWorkItems();
    this.idMap = this.buildIdMap();
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Lookups.

  nowMs(): number {
    return this.now();
  }

  /** A project by name or id (case-insensitive). */
  project(ref: string): ProjectRecord | undefined {
    const lower = ref.toLowerCase();
    return this.projects.find((p) => p.name.toLowerCase() === lower || p.id === lower);
  }

  /** A team of a project by name or id; undefined = the default (only) team. */
  team(project: ProjectRecord, ref?: string): ProjectRecord['team'] | undefined {
    if (ref === undefined) return project.team;
    const lower = ref.toLowerCase();
    return project.team.name.toLowerCase() === lower || project.team.id === lower ? project.team : undefined;
  }

  /** A work item (not deleted) by id, sim id or sim key. */
  workItem(ref: number | string): WorkItemRecord | undefined {
    const item = this.anyWorkItem(ref);
    return item && !item.deleted ? item : undefined;
  }

  /** Like {@link workItem}, including items in the recycle bin. */
  anyWorkItem(ref: number | string): WorkItemRecord | undefined {
    if (typeof ref === 'number') return this.itemById.get(ref);
    if (/^\d+$/.test(ref)) return this.itemById.get(Number(ref));
    return this.itemBySim.get(ref) ?? this.itemByKey.get(ref.toUpperCase());
  }

  /** Work items not in the recycle bin, by id. */
  visibleWorkItems(): WorkItemRecord[] {
    return this.workItems.filter((w) => !w.deleted);
  }

  /** An iteration or area node by path (`SIM\\Sprint 1`, case-insensitive; a leading `\\` is ignored). */
  node(path: string, structure: 'iteration' | 'area' = 'iteration'): NodeRecord | undefined {
    return this.nodeByPath.get(`${structure}:${normalisePath(path)}`);
  }

  nodeByIdentifier(guid: string): NodeRecord | undefined {
    return this.nodeByGuid.get(guid.toLowerCase());
  }

  nodeById(id: number): NodeRecord | undefined {
    return this.nodes.find((n) => n.id === id);
  }

  /** The path of a node as work item fields write it (`SIM\\Sprint 1`). */
  pathOf(node: NodeRecord): string {
    const parts: string[] = [];
    for (let n: NodeRecord | undefined = node; n; n = n.parent) parts.unshift(n.name);
    return parts.join('\\');
  }

  /** The team's iterations (sprints), by start. */
  teamIterations(project: ProjectRecord): NodeRecord[] {
    return this.nodes.filter((n) => n.project === project && n.teamIteration);
  }

  /** `past`, `current` or `future` at the site clock, by local dates in the team's zone. */
  timeFrame(node: NodeRecord, at = this.now()): 'past' | 'current' | 'future' {
    const today = localDate(at, node.project.zone);
    if (node.finishDate !== null && node.finishDate < today) return 'past';
    if (node.startDate !== null && node.startDate > today) return 'future';
    if (node.startDate === null && node.finishDate === null) return 'future';
    return 'current';
  }

  current(item: WorkItemRecord): RevisionRecord {
    return item.revisions[item.revisions.length - 1]!;
  }

  /** The revision in force at `ms` (undefined before creation). */
  revisionAt(item: WorkItemRecord, ms: number): RevisionRecord | undefined {
    let found: RevisionRecord | undefined;
    for (const r of item.revisions) {
      if (r.deleted) break;
      if (r.ms <= ms) found = r;
      else break;
    }
    return found;
  }

  /** Every revision with a watermark above `after`, in watermark order. */
  revisionsAfter(after: number): readonly { item: WorkItemRecord; revision: RevisionRecord }[] {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid]!.revision.watermark <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.log.slice(lo);
  }

  /** The highest watermark so far. */
  get lastWatermark(): number {
    return this.watermark;
  }

  /** Children (not deleted) of a work item, by id. */
  childrenOf(id: number): WorkItemRecord[] {
    return this.workItems.filter((w) => !w.deleted && this.current(w).state.parent === id);
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Mutations.

  /**
   * Changes a work item as a user would: one new revision at `at` (default: the site clock, but never before the
   * item's last change). Returns it, or `null` when nothing changed.
   */
  edit(ref: number | string, changes: WorkItemEdit, at?: string | number): RevisionRecord | null {
    const item = this.mustItem(ref);
    const last = this.current(item);
    const ms = this.mutationInstant(at, last.ms);
    const s = last.state;
    const next: Mutable<ItemState> = { ...s };
    if (changes.state !== undefined) {
      const name = azureDevOpsStateOf(this.process.process, s.type.name, changes.state);
      const st = stateDef(s.type, name);
      if (!st) throw new RangeError(`${s.type.name} has no state ${changes.state}`);
      Object.assign(next, this.transition(s, st, ms));
    }
    if (changes.estimate !== undefined) {
      if (!s.type.estimated && changes.estimate !== null) throw new RangeError(`${s.type.name} has no estimate field`);
      next.estimate = changes.estimate;
    }
    if (changes.iteration !== undefined) next.iteration = this.mustIteration(item.project, changes.iteration);
    if (changes.blocked !== undefined) next.blocked = changes.blocked;
    if (changes.tags !== undefined) next.tags = sortTags(changes.tags);
    if (changes.title !== undefined) next.title = changes.title;
    if (changes.area !== undefined) next.area = this.mustNode(changes.area, 'area');
    if (sameState(s, next)) return null;
    return this.append(item, next, ms, false);
  }

  /** Creates a work item (one revision). Returns its id. */
  createWorkItem(input: WorkItemCreate, at?: string | number): { id: number } {
    const project = this.project(input.project);
    if (!project) throw new RangeError(`no project ${input.project}`);
    const ms = this.mutationInstant(at, 0);
    const type = typeByName(this.process, input.type ?? workItemTypeOf(this.process.process, 'story').name);
    if (!type) throw new RangeError(`no work item type ${String(input.type)}`);
    const id = Math.max(0, ...this.workItems.map((w) => w.id)) + 1;
    const stateName = input.state !== undefined ? azureDevOpsStateOf(this.process.process, type.name, input.state) : type.states[0]!.name;
    const st = stateDef(type, stateName);
    if (!st) throw new RangeError(`${type.name} has no state ${String(input.state)}`);
    if (input.parent !== undefined) this.mustItem(input.parent);
    const by = project.accounts[0]!;
    const inProgress = st.category !== 'Proposed' && st.category !== 'Removed';
    const state: ItemState = {
      type,
      state: st,
      reason: reasonFor(this.process.process, type, null, st),
      title: input.title,
      area: input.area !== undefined ? this.mustNode(input.area, 'area') : project.teamArea,
      iteration: input.iteration !== undefined ? this.mustIteration(project, input.iteration) : project.rootIteration,
      estimate: type.estimated ? input.estimate ?? null : null,
      order: 900_000_000 + id,
      tags: sortTags(input.tags ?? []),
      blocked: input.blocked ?? null,
      parent: input.parent ?? null,
      described: input.described ?? false,
      stateChangeMs: ms,
      activatedMs: inProgress ? ms : null,
      closedMs: st.category === 'Completed' ? ms : null,
    };
    const item: WorkItemRecord = { id, project, createdMs: ms, createdBy: by, revisions: [], deleted: false };
    this.addItem(item);
    this.append(item, state, ms, false);
    return { id };
  }

  /**
   * Moves a work item to the recycle bin: WIQL, work item and revision endpoints stop finding it; the reporting API
   * shows its revisions (and the deleting one, `System.IsDeleted`) only with `includeDeleted`.
   */
  deleteWorkItem(ref: number | string, at?: string | number): void {
    const item = this.mustItem(ref);
    const last = this.current(item);
    const ms = this.mutationInstant(at, last.ms);
    this.append(item, last.state, ms, true);
    item.deleted = true;
  }

  /** Changes an iteration node's dates (sprint or release: sim id, path or GUID). */
  setIterationDates(ref: string, dates: { startDate?: string | null; finishDate?: string | null }): void {
    const node = this.findIteration(ref);
    if (!node) throw new RangeError(`no iteration ${ref}`);
    if (dates.startDate !== undefined) node.startDate = dates.startDate;
    if (dates.finishDate !== undefined) node.finishDate = dates.finishDate;
    this.revision++;
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Building.

  private addProject(sim: SimulatedTeam, index: number, key: string, accounts: AdoAccount[]): void {
    const zone = sim.snapshot.team.timeZone;
    const base = 100_000 * (index + 1);
    const teamName = `${key} Team`;
    const org = this.organization;
    const partial = {
      index,
      name: key,
      id: guidOf(`${org}/project/${key}`),
      team: { id: guidOf(`${org}/team/${key}`), name: teamName },
      zone,
      workingDays: [...sim.snapshot.team.workingDays],
      accounts,
      snapshot: sim.snapshot,
      truth: sim.truth,
    } as unknown as Mutable<ProjectRecord>;
    const node = (
      id: number,
      structure: 'iteration' | 'area',
      kind: NodeKind,
      name: string,
      parent: NodeRecord | undefined,
      extra: Partial<NodeRecord> = {},
    ): NodeRecord => {
      const record: NodeRecord = {
        id,
        identifier: '',
        structure,
        kind,
        name,
        project: partial as ProjectRecord,
        ...(parent ? { parent } : {}),
        children: [],
        startDate: null,
        finishDate: null,
        teamIteration: false,
        ...extra,
      };
      const path = this.pathOf(record);
      (record as { identifier: string }).identifier = guidOf(`${org}/${structure}/${path.toLowerCase()}`);
      parent?.children.push(record);
      this.nodes.push(record);
      this.nodeByPath.set(`${structure}:${normalisePath(path)}`, record);
      this.nodeByGuid.set(record.identifier, record);
      if (record.simId) this.teamNodes.set(`${index}:${record.simId}`, record);
      return record;
    };
    partial.rootIteration = node(base + 1, 'iteration', 'root', key, undefined);
    partial.rootArea = node(base + 2, 'area', 'root', key, undefined);
    partial.teamArea = node(base + 3, 'area', 'area', teamName, partial.rootArea);
    const project = partial as ProjectRecord;
    this.projects.push(project);

    // Sprints: SIM\Sprint N, subscribed by the team, dates by the rule in the README.
    const sprints = [...sim.snapshot.sprints]
      .map((s, order) => ({ s, order, startMs: s.startAt !== undefined ? parseInstant(s.startAt) : undefined }))
      .sort((a, b) => (a.startMs ?? Infinity) - (b.startMs ?? Infinity) || a.order - b.order);
    sprints.forEach(({ s, order, startMs }, k) => {
      const next = sprints[k + 1];
      const startDate = startMs !== undefined ? localDate(startMs, zone) : null;
      const nextStart = next?.startMs !== undefined ? localDate(next.startMs, zone) : null;
      const finishDate = s.plannedEndAt !== undefined ? sprintFinishDate(parseInstant(s.plannedEndAt), zone, nextStart) : null;
      node(base + 100 + order, 'iteration', 'sprint', sprintNodeName(s.name, key), project.rootIteration, {
        simId: s.id,
        startDate,
        finishDate,
        ...(startMs !== undefined ? { startMs } : {}),
        teamIteration: true,
      });
    });
    // Releases: SIM\Releases\<name>, not subscribed by the team.
    partial.releasesFolder = node(base + 4, 'iteration', 'folder', 'Releases', project.rootIteration);
    sim.snapshot.releases.forEach((r, order) => {
      const planned = r.currentPlannedDate !== undefined ? r.currentPlannedDate : lastValue(r.plannedDate) ?? null;
      node(base + 10_000 + order, 'iteration', 'release', r.name, project.releasesFolder, {
        simId: r.id,
        startDate: r.startAt !== undefined ? localDate(parseInstant(r.startAt), zone) : null,
        finishDate: planned ?? null,
      });
      this.releaseNames.set(`${index}:${r.id}`, r.name);
    });
  }

  private buildWorkItems(): void {
    // Work item ids come from the simulator's item numbers alone (never from what else exists), so that a site built
    // from the same team cut at an earlier instant numbers every item the same way. A team whose block of numbers an
    // earlier team already uses (two teams simulated with the same teamIndex) numbers from its position instead.
    const blockOwner = new Map<number, number>();
    const pending: { sim: WorkItem; item: WorkItemRecord }[] = [];
    for (const project of this.projects) {
      for (const sim of project.snapshot!.items) {
        const number = Number(sim.key.slice(sim.key.lastIndexOf('-') + 1));
        const simNumber = Number(/(\d+)$/.exec(sim.id)?.[1] ?? number);
        const block = Math.floor(simNumber / 1_000_000);
        if (!blockOwner.has(block)) blockOwner.set(block, project.index);
        const id = blockOwner.get(block) === project.index ? simNumber : (project.index + 1) * 10_000_000 + number;
        if (this.itemById.has(id)) throw new RangeError(`${sim.key}: work item id ${id} is taken (two items with the same simulator id?)`);
        const createdMs = parseInstant(sim.createdAt);
        const item: WorkItemRecord = {
          id,
          simId: sim.id,
          key: sim.key,
          project,
          createdMs,
          createdBy: project.accounts[number % project.accounts.length]!,
          revisions: [],
          deleted: false,
        };
        this.addItem(item);
        pending.push({ sim, item });
      }
    }
    const bySim = new Map(pending.map((p) => [`${p.item.project.index}:${p.sim.id}`, p.item]));
    for (const { sim, item } of pending) {
      const parent = sim.parentId !== undefined ? bySim.get(`${item.project.index}:${sim.parentId}`) : undefined;
      this.replay(sim, item, parent?.id ?? null);
    }
    // Watermarks grow with time across the organisation.
    const all: { item: WorkItemRecord; revision: RevisionRecord }[] = [];
    for (const item of this.workItems) for (const revision of item.revisions) all.push({ item, revision });
    all.sort((a, b) => a.revision.ms - b.revision.ms || a.item.id - b.item.id || a.revision.rev - b.revision.rev);
    for (const entry of all) {
      entry.revision.watermark = ++this.watermark;
      this.log.push(entry);
    }
  }

  /** Turns an item's timelines into its creation revision plus one revision per later change instant. */
  private replay(sim: WorkItem, item: WorkItemRecord, parent: number | null): void {
    const project = item.project;
    const created = item.createdMs;
    const type = workItemTypeOf(this.process.process, sim.type.kind);
    interface Raw {
      status: StatusValue;
      sprints: readonly string[];
      estimate: number | null;
      flagged: boolean | null;
      labels: readonly string[];
      releases: readonly string[];
    }
    const raw: Raw = { status: { name: 'To Do', category: 'todo' }, sprints: [], estimate: null, flagged: null, labels: [], releases: [] };
    const events: { ms: number; order: number; apply: () => void }[] = [];
    const feed = <T>(timeline: readonly Change<T>[], order: number, set: (value: T) => void): void => {
      timeline.forEach((change, i) => {
        const ms = parseInstant(change.at);
        if (ms <= created) set(change.value);
        else events.push({ ms, order: order * 1_000_000 + i, apply: () => set(change.value) });
      });
    };
    feed(sim.status, 0, (v) => (raw.status = v));
    feed(sim.sprints, 1, (v) => (raw.sprints = v));
    feed(sim.estimate, 2, (v) => (raw.estimate = v));
    feed(sim.flagged, 3, (v) => (raw.flagged = v));
    feed(sim.releases, 4, (v) => (raw.releases = v));
    feed(sim.labels, 5, (v) => (raw.labels = v));

    const iterationOf = (ids: readonly string[]): NodeRecord => {
      let best: NodeRecord | undefined;
      for (const simId of ids) {
        const n = this.teamNodes.get(`${project.index}:${simId}`);
        if (!n || n.kind !== 'sprint') throw new RangeError(`${sim.key}: unknown sprint ${simId}`);
        if (!best || (n.startMs ?? -Infinity) > (best.startMs ?? -Infinity) || ((n.startMs ?? -Infinity) === (best.startMs ?? -Infinity) && n.id > best.id)) best = n;
      }
      return best ?? project.rootIteration;
    };
    const tagsOf = (labels: readonly string[], releases: readonly string[]): string[] =>
      sortTags([
        ...labels,
        ...releases.map((r) => {
          const name = this.releaseNames.get(`${project.index}:${r}`);
          if (name === undefined) throw new RangeError(`${sim.key}: unknown release ${r}`);
          return `release:${name}`;
        }),
      ]);
    const render = (prev: ItemState | null, ms: number): ItemState => {
      const st = stateDef(type, azureDevOpsStateOf(this.process.process, type.name, raw.status.name, raw.status.category))!;
      const base = {
        type,
        title: prev?.title ?? sim.title,
        area: prev?.area ?? project.teamArea,
        iteration: iterationOf(raw.sprints),
        estimate: type.estimated ? raw.estimate : null,
        order: prev?.order ?? (sim.rank !== undefined && /^\d+$/.test(sim.rank) ? Number(sim.rank) : null),
        tags: tagsOf(raw.labels, raw.releases),
        blocked: raw.flagged,
        parent: prev?.parent ?? parent,
        described: prev?.described ?? sim.described,
      };
      if (prev === null) {
        const active = st.category !== 'Proposed' && st.category !== 'Removed';
        return {
          ...base,
          state: st,
          reason: reasonFor(this.process.process, type, null, st),
          stateChangeMs: ms,
          activatedMs: active ? ms : null,
          closedMs: st.category === 'Completed' ? ms : null,
        };
      }
      if (st === prev.state) {
        return { ...base, state: prev.state, reason: prev.reason, stateChangeMs: prev.stateChangeMs, activatedMs: prev.activatedMs, closedMs: prev.closedMs };
      }
      return { ...base, ...this.transition(prev, st, ms) };
    };

    let state = render(null, created);
    item.revisions.push({ rev: 1, ms: created, watermark: 0, by: item.createdBy, state });
    events.sort((a, b) => a.ms - b.ms || a.order - b.order);
    let i = 0;
    while (i < events.length) {
      const ms = events[i]!.ms;
      while (i < events.length && events[i]!.ms === ms) events[i++]!.apply();
      const next = render(state, ms);
      if (sameState(state, next)) continue;
      state = next;
      const rev = item.revisions.length + 1;
      item.revisions.push({ rev, ms, watermark: 0, by: project.accounts[(item.id + rev) % project.accounts.length]!, state });
    }
  }

  /** State, reason and the state dates after moving from `prev` to `to` at `ms`. */
  private transition(
    prev: ItemState,
    to: StateDef,
    ms: number,
  ): Pick<ItemState, 'state' | 'reason' | 'stateChangeMs' | 'activatedMs' | 'closedMs'> {
    if (to === prev.state) return { state: prev.state, reason: prev.reason, stateChangeMs: prev.stateChangeMs, activatedMs: prev.activatedMs, closedMs: prev.closedMs };
    const from = prev.state.category;
    let activatedMs = prev.activatedMs;
    if (to.category === 'Proposed') activatedMs = null;
    else if (to.category === 'InProgress' && (from === 'Proposed' || activatedMs === null)) activatedMs = ms;
    const closedMs = to.category === 'Completed' ? (from === 'Completed' ? prev.closedMs : ms) : null;
    return {
      state: to,
      reason: reasonFor(this.process.process, prev.type, prev.state, to),
      stateChangeMs: ms,
      activatedMs,
      closedMs,
    };
  }

  private append(item: WorkItemRecord, state: ItemState, ms: number, deleted: boolean): RevisionRecord {
    const rev = item.revisions.length + 1;
    const revision: RevisionRecord = {
      rev,
      ms,
      watermark: ++this.watermark,
      by: item.project.accounts[(item.id + rev) % item.project.accounts.length]!,
      state,
      ...(deleted ? { deleted } : {}),
    };
    item.revisions.push(revision);
    this.log.push({ item, revision });
    this.revision++;
    return revision;
  }

  private addItem(item: WorkItemRecord): void {
    this.workItems.push(item);
    this.itemById.set(item.id, item);
    if (item.simId) this.itemBySim.set(item.simId, item);
    if (item.key) this.itemByKey.set(item.key.toUpperCase(), item);
  }

  private buildIdMap(): AzureDevOpsIdMap {
    const map: AzureDevOpsIdMap = {
      workItems: {},
      iterations: {},
      releases: {},
      projects: {},
      reverse: { workItems: {}, iterations: {}, releases: {} },
    };
    for (const w of this.workItems) {
      if (!w.simId) continue;
      map.workItems[w.simId] = w.id;
      map.reverse.workItems[String(w.id)] = w.simId;
    }
    for (const n of this.nodes) {
      if (!n.simId) continue;
      const path = this.pathOf(n);
      if (n.kind === 'sprint') {
        map.iterations[n.simId] = { id: n.identifier, nodeId: n.id, name: n.name, path };
        map.reverse.iterations[path] = n.simId;
      } else if (n.kind === 'release') {
        const tag = `release:${n.name}`;
        map.releases[n.simId] = { tag, id: n.identifier, nodeId: n.id, name: n.name, path };
        map.reverse.releases[tag] = n.simId;
      }
    }
    for (const p of this.projects) map.projects[p.name] = { id: p.id, name: p.name, team: { ...p.team } };
    return map;
  }

  private findIteration(ref: string): NodeRecord | undefined {
    for (const p of this.projects) {
      const n = this.teamNodes.get(`${p.index}:${ref}`);
      if (n) return n;
    }
    return this.nodeByGuid.get(ref.toLowerCase()) ?? this.node(ref, 'iteration');
  }

  private mustIteration(project: ProjectRecord, ref: string | null): NodeRecord {
    if (ref === null) return project.rootIteration;
    const n = this.teamNodes.get(`${project.index}:${ref}`) ?? this.findIteration(ref);
    if (!n || n.structure !== 'iteration') throw new RangeError(`no iteration ${ref}`);
    return n;
  }

  private mustNode(path: string, structure: 'iteration' | 'area'): NodeRecord {
    const n = this.node(path, structure);
    if (!n) throw new RangeError(`no ${structure} path ${path}`);
    return n;
  }

  private mustItem(ref: number | string): WorkItemRecord {
    const item = this.workItem(ref);
    if (!item) throw new RangeError(`no work item ${String(ref)}`);
    return item;
  }

  private mutationInstant(at: string | number | undefined, notBefore: number): number {
    if (at !== undefined) return typeof at === 'number' ? at : parseInstant(at);
    return Math.max(this.now(), notBefore + SECOND);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A sprint's finish date (inclusive, as Azure DevOps shows it) from its planned end:
 * - planned end exactly at a local midnight: the local date of the instant 1 ms before (the day that just ended);
 * - else the local date of the planned end, minus one day when that is the next sprint's start date (iterations
 *   never overlap);
 * - else the local date of the planned end.
 */
export function sprintFinishDate(plannedEndMs: number, zone: string, nextStartDate: string | null): string {
  if (isLocalMidnight(plannedEndMs, zone)) return localDate(plannedEndMs - 1, zone);
  const d = localDate(plannedEndMs, zone);
  return nextStartDate !== null && d === nextStartDate ? addDays(d, -1) : d;
}

/** "SIM Sprint 3" -> "Sprint 3" (the node lives under the project already). */
export function sprintNodeName(name: string, key: string): string {
  const prefix = `${key} `;
  const bare = name.startsWith(prefix) ? name.slice(prefix.length) : name;
  return bare.replace(/[\\/:*?"<>|#$&+,;=@[\]^`{}~]/g, '-').trim() || name;
}

export function teamKeyOf(snapshot: Snapshot): string {
  const first = snapshot.items[0]?.key;
  if (first && first.includes('-')) return first.slice(0, first.lastIndexOf('-'));
  const tail = snapshot.team.id.slice(snapshot.team.id.lastIndexOf(':') + 1);
  return tail.toUpperCase().replace(/[^A-Z0-9]/g, '') || 'SIM';
}

/** Tags as Azure DevOps keeps them: unique (case-insensitive), sorted. */
export function sortTags(tags: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const t of tags) {
    const trimmed = t.trim();
    if (trimmed && !seen.has(trimmed.toLowerCase())) seen.set(trimmed.toLowerCase(), trimmed);
  }
  return [...seen.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

export function normalisePath(path: string): string {
  return path.replace(/\//g, '\\').replace(/^\\+|\\+$/g, '').toLowerCase();
}

function sameState(a: ItemState, b: ItemState): boolean {
  return (
    a.state === b.state &&
    a.iteration === b.iteration &&
    a.area === b.area &&
    a.estimate === b.estimate &&
    a.blocked === b.blocked &&
    a.title === b.title &&
    a.tags.length === b.tags.length &&
    a.tags.every((t, i) => t === b.tags[i])
  );
}

function lastValue<T>(timeline: readonly Change<T>[]): T | undefined {
  return timeline.length > 0 ? timeline[timeline.length - 1]!.value : undefined;
}
