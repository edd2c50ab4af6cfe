import type { Release, Snapshot, Sprint, TeamSettings, WorkItem } from '@agile-kpi/core';
import type { FeatureTruth, GroundTruth, ReleaseTruth, SimulatedTeam, SprintTruth } from './ground-truth';
import type { LiveItem, LiveRelease, LiveSprint, LiveState } from './live-state';
import type { ResolvedTeamOptions } from './options';
import type { TeamClock } from './team-clock';

/**
 * Turns the simulator's final live state into the neutral-model snapshot and the ground truth.
 *
 * The timelines are handed over as they were written (no copy, no re-sorting: they are ascending by construction);
 * the truth is what {@link LiveState} recorded at each sprint start, close and release date.
 */
export interface OutputInput {
  readonly options: ResolvedTeamOptions;
  readonly clock: TeamClock;
  readonly state: LiveState;
  readonly sprints: readonly LiveSprint[];
  readonly releases: readonly LiveRelease[];
  readonly asOfMs: number;
  /** Epics labelled `feature:<key>`: when each was done (by asOf) and the release it went in then. */
  readonly features?: readonly { readonly feature: string; readonly epic: LiveItem; readonly doneMs?: number; readonly release?: LiveRelease | null }[];
  readonly team: {
    readonly workingDays: readonly number[];
    readonly workingHours: { readonly start: string; readonly end: string };
    readonly goalLabel: string;
  };
}

const byNumber = (a: LiveItem, b: LiveItem): number => a.n - b.n;
const keys = (items: Iterable<LiveItem>): string[] => [...items].sort(byNumber).map((i) => i.key);

export function buildOutput(input: OutputInput): SimulatedTeam {
  const { options: o, clock, state } = input;
  const iso = (ms: number): string => clock.iso(ms);
  const team: TeamSettings = {
    id: `sim:team:${o.teamKey.toLowerCase()}`,
    name: o.teamName,
    timeZone: o.timeZone,
    workingDays: [...input.team.workingDays],
    workingHours: { ...input.team.workingHours },
    holidays: [],
    estimateUnit: 'points',
    doneRule: 'board-column',
    columns: ['To Do', 'In Progress', 'In Review', 'Done'],
    blockedStatuses: ['Blocked'],
    impedimentSources: ['flagged', 'item-type', 'blocked-status'],
    goalLabel: input.team.goalLabel,
    includeSubtasks: false,
    bugsOnBacklog: true,
  };
  const items: WorkItem[] = state.items.map((i) => ({
    id: i.id,
    key: i.key,
    url: `https://sim.example/browse/${i.key}`,
    type: { kind: i.kind, original: i.spec.original },
    title: i.spec.title,
    createdAt: iso(i.createdMs),
    updatedAt: iso(i.lastMs),
    ...(i.parent ? { parentId: i.parent.id } : {}),
    status: i.statusLog,
    estimate: i.estimateLog,
    sprints: i.sprintLog,
    releases: i.releaseLog,
    flagged: i.flagLog,
    labels: i.labelLog,
    rank: String(i.spec.rank).padStart(9, '0'),
    described: i.spec.described,
  }));
  const last = input.sprints[input.sprints.length - 1];
  const sprints: Sprint[] = input.sprints.map((s) => ({
    id: s.id,
    name: s.name,
    state: s === last ? 'active' : 'closed',
    startAt: iso(s.startMs),
    plannedEndAt: iso(s.plannedEndMs),
    ...(s.closeMs !== undefined ? { closedAt: iso(s.closeMs) } : {}),
    ...(s.goal !== undefined ? { goal: s.goal } : {}),
    ...(s.verdict ? { verdict: s.verdict } : {}),
  }));
  const releases: Release[] = input.releases.map((r) => ({
    id: r.id,
    name: r.name,
    startAt: iso(r.startMs),
    ...(r.releasedMs !== undefined ? { releasedAt: iso(r.releasedMs) } : {}),
    plannedDate: r.snapshots,
    currentPlannedDate: r.plannedDate,
  }));
  const snapshot: Snapshot = {
    schemaVersion: 1,
    source: { tracker: 'simulator', generator: `agile-kpi testkit seed=${o.seed}` },
    team,
    asOf: iso(input.asOfMs),
    items,
    sprints,
    releases,
    warnings: [],
  };

  const sprintTruth: SprintTruth[] = input.sprints.map((s) => ({
    sprintId: s.id,
    state: s === last ? 'active' : 'closed',
    committedPoints: s.committedPoints,
    committedKeys: keys(s.committed),
    completedPoints: s.completedPoints,
    completedKeys: keys(s.completed),
    completedPointsByKey: Object.fromEntries(s.completed.map((i, n) => [i.key, s.completedEstimates[n] ?? 0])),
    addedKeys: keys(s.added),
    removedKeys: keys(s.removed),
    reEstimatedKeys: keys(s.reEstimated),
    carriedOverKeys: keys(s.carried),
    completedOutsideKeys: keys([...s.outside].filter((i) => i.countable)),
    goalItemKeys: keys(s.goalItems),
    ...(s.verdict ? { verdict: s.verdict.outcome } : {}),
  }));
  const releaseTruth: ReleaseTruth[] = input.releases.map((r) => ({
    releaseId: r.id,
    plannedKeys: keys(r.planned),
    deliveredKeys: keys(r.delivered),
    releasedAt: r.releasedMs !== undefined ? iso(r.releasedMs) : null,
  }));
  const features: FeatureTruth[] = (input.features ?? []).map((f) => {
    const shippedMs = f.release ? f.release.releasedMs : f.doneMs;
    return {
      feature: f.feature,
      epicId: f.epic.id,
      epicKey: f.epic.key,
      childKeys: keys(state.items.filter((i) => i.parent === f.epic && i.countable)),
      doneAt: f.doneMs !== undefined ? iso(f.doneMs) : null,
      releaseId: f.release?.id ?? null,
      shippedAt: shippedMs !== undefined ? iso(shippedMs) : null,
    };
  });
  const truth: GroundTruth = {
    seed: o.seed,
    activeSprintId: last?.id ?? '',
    sprints: sprintTruth,
    impediments: state.impediments.map((i) => ({ ...i })),
    releases: releaseTruth,
    features,
  };
  return { snapshot, truth };
}
