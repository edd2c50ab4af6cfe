import type { HistoryIndex, SprintSchedule, WorkItemHistory } from '../history/history-index';
import { contains, type Interval } from '../history/timeline-index';
import type { Evidence, EvidenceEvent, Exclusion, Warning } from '../result';
import { formatInstant } from '../time/instant';
import { kindExclusion } from './kind-exclusion';

/**
 * What happened to a sprint's scope between its start and its close (or `asOf` for the active sprint):
 * the reconstruction that velocity, the sprint goal rate and sprint progress all read. Definitions live in
 * `velocity.ts`; this module only classifies items.
 */
export interface SprintScope {
  readonly schedule: SprintSchedule;
  readonly startMs: number;
  /** Close instant, or asOf for the active sprint. */
  readonly endMs: number;
  readonly committed: ScopeEntry[];
  readonly added: ScopeEntry[];
  readonly removed: ScopeEntry[];
  readonly completed: ScopeEntry[];
  readonly carriedOver: ScopeEntry[];
  readonly reEstimated: ScopeEntry[];
  readonly completedOutside: ScopeEntry[];
  /** In the sprint at its end (done or not), outside-completed excluded. */
  readonly atEnd: ScopeEntry[];
  readonly excluded: Exclusion[];
  readonly warnings: Warning[];
}

export interface ScopeEntry {
  readonly history: WorkItemHistory;
  /** Points (or 1 when the team estimates by count) that this entry contributes; null = unestimated. */
  readonly points: number | null;
  readonly events: EvidenceEvent[];
}

/**
 * Classifies every item that was ever in a started sprint.
 * - committed: in the sprint at its start, estimate at start (removed later: still committed);
 * - added: joined after the start, estimate when it joined; removed: left before the end, estimate when it left;
 * - completed: in the sprint at the end and done at the end, estimate at the end;
 * - carried over: in the sprint at the end, not done;
 * - re-estimated: estimate changed while in the sprint (delta = sum of the changes);
 * - completed outside: already done when it entered the sprint: excluded from all the above.
 */
export function sprintScope(index: HistoryIndex, schedule: SprintSchedule, endMs: number): SprintScope {
  const startMs = schedule.startMs!;
  const sprintId = schedule.sprint.id;
  const unit = index.team.estimateUnit;
  const scope: SprintScope = {
    schedule,
    startMs,
    endMs,
    committed: [],
    added: [],
    removed: [],
    completed: [],
    carriedOver: [],
    reEstimated: [],
    completedOutside: [],
    atEnd: [],
    excluded: [],
    warnings: [],
  };
  const pointsAt = (h: WorkItemHistory, t: number): number | null => (unit === 'count' ? 1 : h.estimate.at(t));

  for (const m of index.sprintMemberships(sprintId)) {
    const h = m.history;
    const memberAt = (t: number) => contains(m.intervals, t) && !contains(h.removedIntervals, t);
    const joinedDuring = m.intervals.filter((iv) => iv.from > startMs && iv.from <= endMs);
    const atStart = memberAt(startMs);
    const atEnd = memberAt(endMs);
    if (!atStart && joinedDuring.length === 0) continue; // in the sprint only before its start or after its end
    const notSprintWork = kindExclusion(h, 'sprint', index.team);
    if (notSprintWork) {
      scope.excluded.push({ id: h.item.id, key: h.item.key, reason: notSprintWork });
      continue;
    }
    const entryMs = atStart ? startMs : joinedDuring[0]!.from;
    if (index.isDoneAt(h, entryMs)) {
      scope.completedOutside.push({ history: h, points: pointsAt(h, entryMs), events: [membershipEvent(h, entryMs, sprintId, true)] });
      continue;
    }
    if (atStart) {
      const points = pointsAt(h, startMs);
      scope.committed.push({ history: h, points, events: estimateEvents(h, -Infinity, startMs).slice(-1) });
      if (points === null) {
        scope.warnings.push({
          code: 'committed-unestimated',
          message: `${h.item.key} was committed to ${schedule.sprint.name} without an estimate; it counts 0`,
          itemId: h.item.id,
          itemKey: h.item.key,
          sprintId,
        });
      }
    } else {
      const joinMs = joinedDuring[0]!.from;
      scope.added.push({ history: h, points: pointsAt(h, joinMs), events: [membershipEvent(h, joinMs, sprintId, true)] });
    }
    if (!atEnd) {
      const leftMs = lastLeave(m.intervals, h.removedIntervals, startMs, endMs);
      scope.removed.push({ history: h, points: pointsAt(h, leftMs - 1), events: [membershipEvent(h, leftMs, sprintId, false)] });
    }
    if (unit !== 'count') {
      const changes = estimateChangesWhileMember(h, m.intervals, startMs, endMs);
      if (changes.length) {
        const delta = changes.reduce((s, c) => s + ((c.to as number | null) ?? 0) - ((c.from as number | null) ?? 0), 0);
        scope.reEstimated.push({ history: h, points: delta, events: changes });
      }
    }
    if (atEnd) {
      const points = pointsAt(h, endMs);
      const entry = { history: h, points, events: [] as EvidenceEvent[] };
      scope.atEnd.push(entry);
      if (index.isDoneAt(h, endMs)) {
        const doneMs = index.doneSince(h, endMs)!;
        scope.completed.push({ ...entry, events: statusEventAt(h, doneMs) });
      } else {
        scope.carriedOver.push({ ...entry, events: [] });
      }
    }
  }
  return scope;
}

function membershipEvent(h: WorkItemHistory, t: number, sprintId: string, joined: boolean): EvidenceEvent {
  const i = h.sprints.indexAt(t);
  const c = i >= 0 ? h.sprints.change(i) : undefined;
  const base = { at: c?.at ?? formatInstant(t), field: 'sprint' as const, ...(c?.eventId ? { eventId: c.eventId } : {}) };
  return joined ? { ...base, to: sprintId } : { ...base, from: sprintId };
}

function estimateEvents(h: WorkItemHistory, from: number, to: number): EvidenceEvent[] {
  return h.estimate.changesIn(from, to).map(({ change, previous }) => ({
    at: change.at,
    field: 'estimate' as const,
    from: previous,
    to: change.value,
    ...(change.eventId ? { eventId: change.eventId } : {}),
  }));
}

function statusEventAt(h: WorkItemHistory, t: number): EvidenceEvent[] {
  const i = h.status.indexAt(t);
  if (i < 0) return [];
  const c = h.status.change(i);
  const prev = i > 0 ? h.status.value(i - 1).name : undefined;
  return [{ at: c.at, field: 'status', from: prev, to: c.value.name, ...(c.eventId ? { eventId: c.eventId } : {}) }];
}

function estimateChangesWhileMember(h: WorkItemHistory, intervals: readonly Interval[], startMs: number, endMs: number): EvidenceEvent[] {
  const out: EvidenceEvent[] = [];
  for (const iv of intervals) {
    // Strictly after the item is in (a change at the instant it joins is its entry estimate) and
    // before it leaves.
    const a = Math.max(iv.from, startMs);
    const b = iv.to <= endMs ? iv.to - 1 : endMs;
    if (b > a) out.push(...estimateEvents(h, a, b));
  }
  return out;
}

function lastLeave(intervals: readonly Interval[], removed: readonly Interval[], startMs: number, endMs: number): number {
  let t = startMs;
  for (const iv of intervals) if (iv.to > startMs && iv.to <= endMs) t = Math.max(t, iv.to);
  for (const iv of removed) if (iv.from > startMs && iv.from <= endMs) t = Math.max(t, iv.from);
  return t;
}

/** Evidence rows for a list of scope entries. */
export function scopeEvidence<R extends string>(entries: readonly ScopeEntry[], role: R, sprintId: string): Evidence<R>[] {
  return entries.map((e) => ({
    itemId: e.history.item.id,
    key: e.history.item.key,
    ...(e.history.item.url ? { url: e.history.item.url } : {}),
    title: e.history.item.title,
    role,
    contribution: e.points,
    sprintId,
    events: e.events,
  }));
}

export function sumPoints(entries: readonly ScopeEntry[]): number {
  let s = 0;
  for (const e of entries) s += e.points ?? 0;
  return s;
}

interface StartedSprints {
  readonly scopes: readonly SprintScope[];
  readonly excluded: Exclusion[];
  readonly warnings: Warning[];
}

const scopeCache = new WeakMap<HistoryIndex, StartedSprints>();

/**
 * Scopes of every started sprint up to asOf (oldest first), with warnings about sprints that cannot be
 * reconstructed. Computed once per index: velocity, the goal rate and sprint progress all read them.
 * The returned lists are fresh copies the caller may extend.
 */
export function startedSprintScopes(index: HistoryIndex): StartedSprints {
  let cached = scopeCache.get(index);
  if (!cached) {
    cached = reconstructStartedSprints(index);
    scopeCache.set(index, cached);
  }
  return { scopes: cached.scopes, excluded: [...cached.excluded], warnings: [...cached.warnings] };
}

function reconstructStartedSprints(index: HistoryIndex): StartedSprints {
  const excluded: Exclusion[] = [];
  const warnings: Warning[] = [];
  const scopes: SprintScope[] = [];
  let previous: SprintSchedule | undefined;
  for (const s of index.sprints) {
    const sp = s.sprint;
    if (s.stateAtAsOf === 'undated') {
      excluded.push({ id: sp.id, key: sp.name, reason: `sprint ${sp.name} has no start date` });
      warnings.push({ code: 'sprint-without-dates', message: `sprint ${sp.name} has no start date and is left out`, sprintId: sp.id });
      continue;
    }
    if (s.stateAtAsOf === 'future') continue;
    if (s.stateAtAsOf === 'closed' && !sp.closedAt) {
      warnings.push({
        code: 'sprint-without-close-date',
        message: `sprint ${sp.name} is closed but has no close date; its planned end ${sp.plannedEndAt} is used`,
        sprintId: sp.id,
      });
    }
    if (previous && previous.closeMs !== undefined && s.startMs! < previous.closeMs) {
      warnings.push({
        code: 'overlapping-sprints',
        message: `sprints ${previous.sprint.name} and ${sp.name} overlap; items in both count in both`,
        sprintId: sp.id,
      });
    }
    previous = s;
    const endMs = s.stateAtAsOf === 'closed' ? s.closeMs! : index.asOfMs;
    scopes.push(sprintScope(index, s, endMs));
  }
  return { scopes, excluded, warnings };
}

