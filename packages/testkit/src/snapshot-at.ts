import type { Change, Instant, Release, Snapshot, Sprint, Timeline, WorkItem } from '@agile-kpi/core';
import type { FeatureTruth, GroundTruth, ImpedimentTruth, ReleaseTruth, SimulatedTeam, SprintTruth } from './ground-truth';
import { offsetMinutes } from './jira/time';

/**
 * The team as it was at instant `at`: what a tracker would have shown, and an adapter synced, at that moment.
 *
 * Pure: the input is not changed (unchanged timelines are shared, not copied). `at` must not be after the team's
 * `asOf` (the simulation knows nothing later); cutting at `asOf` itself returns a deep-equal team.
 *
 * Snapshot:
 * - items created after `at` are dropped (and a `parentId` pointing at one of them);
 * - every timeline keeps its changes at or before `at`; `updatedAt` is the latest of them (or `createdAt`);
 * - every sprint stays (the simulator plans them all up front, so their ids and names are known), in its state at
 *   `at`: closed when `closedAt <= at`; active when `startAt <= at` and not closed by then (no `closedAt`);
 *   future otherwise, with its planned `startAt` / `plannedEndAt` (Jira shows planned dates on future sprints)
 *   but no `closedAt` and no goal (the simulator writes the goal at planning: in the 40 minutes before the start,
 *   or with the 'dates' sprint calendar on the afternoon of the last working day before it).
 *   A verdict recorded after `at` is dropped;
 * - every release stays (a version created ahead of its start, as product owners do); `releasedAt` only when
 *   `<= at`; `plannedDate` keeps the snapshots taken by `at`, and `currentPlannedDate` is the date Jira showed at
 *   `at`: the last snapshot at or before `at`; before the first snapshot, the first one (snapshots start with the
 *   release, and a slip only ever comes later); for a release that was never snapshotted, the date shown at
 *   `asOf` (nothing earlier is known: for a release that slipped, that is the later date);
 * - `asOf` is `at`, written in the team's zone.
 *
 * Truth (only what was recorded by `at`, nothing recomputed):
 * - sprints closed by `at` keep their entries (with the verdict only when it was given by `at`); the active
 *   sprint's figures "as of `asOf`" cannot be rewound honestly, so it has no entry unless `at` is `asOf`, but
 *   `activeSprintId` names it ('' between sprints and before the first one);
 * - impediments raised by `at`, with `resolvedAt` null when they were resolved later;
 * - releases started by `at` (their planned scope is recorded at the start); `releasedAt` null and no delivered
 *   keys when they shipped later;
 * - feature epics created by `at`, with only their children created by then; not done (no release) and not
 *   shipped when those came later.
 */
export function snapshotAt(team: SimulatedTeam, at: string | number): SimulatedTeam {
  const t = typeof at === 'number' ? at : toMs(at);
  if (!Number.isFinite(t)) throw new RangeError(`snapshotAt: not an instant: ${String(at)}`);
  const { snapshot, truth } = team;
  const asOfMs = toMs(snapshot.asOf);
  if (t > asOfMs) throw new RangeError(`snapshotAt: ${String(at)} is after the team's asOf ${snapshot.asOf}`);
  const whole = t === asOfMs;
  const zone = snapshot.team.timeZone;
  const by = (instant: Instant | undefined): boolean => instant !== undefined && toMs(instant) <= t;

  const kept = snapshot.items.filter((i) => by(i.createdAt));
  const present = new Set(kept.map((i) => i.id));
  const items = kept.map((i) => cutItem(i, t, present));

  const sprints = snapshot.sprints.map((s) => cutSprint(s, t));
  const closedBy = new Set(sprints.filter((s) => s.state === 'closed').map((s) => s.id));
  const active = sprints.find((s) => s.state === 'active');
  const releases = snapshot.releases.map((r) => cutRelease(r, t, whole));

  const verdictKept = new Set(sprints.filter((s) => s.verdict !== undefined).map((s) => s.id));
  const truthSprints: SprintTruth[] = truth.sprints
    .filter((st) => (whole ? true : st.state === 'closed' && closedBy.has(st.sprintId)))
    .map((st) => {
      if (st.verdict === undefined || verdictKept.has(st.sprintId)) return st;
      const { verdict: _dropped, ...rest } = st;
      return rest;
    });
  const impediments: ImpedimentTruth[] = truth.impediments
    .filter((i) => by(i.raisedAt))
    .map((i) => (i.resolvedAt !== null && !by(i.resolvedAt) ? { ...i, resolvedAt: null } : i));
  const startOf = new Map(snapshot.releases.map((r) => [r.id, r.startAt]));
  const truthReleases: ReleaseTruth[] = truth.releases
    .filter((r) => {
      const start = startOf.get(r.releaseId);
      return start === undefined || by(start);
    })
    .map((r) => (r.releasedAt !== null && !by(r.releasedAt) ? { ...r, releasedAt: null, deliveredKeys: [] } : r));

  const keyPresent = new Set(kept.map((i) => i.key));
  const features: FeatureTruth[] = truth.features
    .filter((f) => present.has(f.epicId))
    .map((f) => {
      if (whole) return f;
      const done = f.doneAt !== null && by(f.doneAt);
      return {
        ...f,
        childKeys: f.childKeys.filter((k) => keyPresent.has(k)),
        doneAt: done ? f.doneAt : null,
        releaseId: done ? f.releaseId : null,
        shippedAt: f.shippedAt !== null && by(f.shippedAt) ? f.shippedAt : null,
      };
    });

  const cutSnapshot: Snapshot = {
    ...snapshot,
    asOf: whole ? snapshot.asOf : isoInZone(t, zone),
    items,
    sprints,
    releases,
  };
  const cutTruth: GroundTruth = {
    ...truth,
    activeSprintId: whole ? truth.activeSprintId : active?.id ?? '',
    sprints: truthSprints,
    impediments,
    releases: truthReleases,
    features,
  };
  return { snapshot: cutSnapshot, truth: cutTruth };
}

function cutItem(item: WorkItem, t: number, present: ReadonlySet<string>): WorkItem {
  const status = cut(item.status, t);
  const estimate = cut(item.estimate, t);
  const sprints = cut(item.sprints, t);
  const releases = cut(item.releases, t);
  const flagged = cut(item.flagged, t);
  const labels = cut(item.labels, t);
  let updatedAt = item.updatedAt;
  if (toMs(updatedAt) > t) {
    let latest = toMs(item.createdAt);
    updatedAt = item.createdAt;
    for (const timeline of [status, estimate, sprints, releases, flagged, labels] as readonly Timeline<unknown>[]) {
      const last = timeline[timeline.length - 1];
      if (last !== undefined && toMs(last.at) > latest) {
        latest = toMs(last.at);
        updatedAt = last.at;
      }
    }
  }
  const { parentId, ...rest } = item;
  return {
    ...rest,
    ...(parentId !== undefined && present.has(parentId) ? { parentId } : {}),
    updatedAt,
    status,
    estimate,
    sprints,
    releases,
    flagged,
    labels,
  };
}

function cutSprint(sprint: Sprint, t: number): Sprint {
  const closed = sprint.closedAt !== undefined && toMs(sprint.closedAt) <= t;
  const started = sprint.startAt !== undefined && toMs(sprint.startAt) <= t;
  const state = closed ? 'closed' : started ? 'active' : 'future';
  if (state === sprint.state && (sprint.verdict === undefined || toMs(sprint.verdict.at) <= t)) return sprint;
  const { closedAt, goal, verdict, ...rest } = sprint;
  return {
    ...rest,
    state,
    ...(closed ? { closedAt } : {}),
    ...(state !== 'future' && goal !== undefined ? { goal } : {}),
    ...(verdict !== undefined && toMs(verdict.at) <= t ? { verdict } : {}),
  };
}

function cutRelease(release: Release, t: number, whole: boolean): Release {
  if (whole) return release;
  const plannedDate = cut(release.plannedDate, t);
  const { releasedAt, currentPlannedDate, ...rest } = release;
  let current: Release['currentPlannedDate'] = currentPlannedDate;
  if (plannedDate.length > 0) current = plannedDate[plannedDate.length - 1]!.value;
  else if (release.plannedDate.length > 0) current = release.plannedDate[0]!.value;
  return {
    ...rest,
    ...(releasedAt !== undefined && toMs(releasedAt) <= t ? { releasedAt } : {}),
    plannedDate,
    ...(current !== undefined ? { currentPlannedDate: current } : {}),
  };
}

/** The changes at or before `t` (the same array when none is later). */
function cut<T>(timeline: Timeline<T>, t: number): Timeline<T> {
  const last = timeline[timeline.length - 1];
  if (last === undefined || toMs(last.at) <= t) return timeline;
  let end = timeline.length - 1;
  while (end > 0 && toMs(timeline[end - 1]!.at) > t) end--;
  return timeline.slice(0, end) as readonly Change<T>[];
}

function toMs(instant: Instant): number {
  return Date.parse(instant);
}

/** `2025-06-16T12:00:00.000+02:00` (or `...Z` in UTC): the simulator's format, in `zone`. */
function isoInZone(ms: number, zone: string): string {
  const offset = offsetMinutes(ms, zone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
  if (offset === 0 && (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'utc')) return `${local}Z`;
  const abs = Math.abs(offset);
  return `${local}${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
