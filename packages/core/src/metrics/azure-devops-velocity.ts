import type { HistoryIndex, Membership, SprintSchedule, WorkItemHistory } from '../history/history-index';
import { contains } from '../history/timeline-index';
import { type Evidence, round } from '../result';
import { formatInstant } from '../time/instant';
import { countsAs } from './kind-exclusion';

export interface AzureDevOpsLensOptions {
  /** "Days past start date of iteration when planned work is final" (default 0: the start date's own snapshot). */
  readonly plannedDaysAfterStart?: number;
  /** "Days past end date of iteration after which work is late" (default 0). */
  readonly lateDaysAfterEnd?: number;
}

/** Points and item counts of one part of the lens. */
export interface LensFigure {
  readonly points: number;
  readonly items: number;
}

/** The roles of the lens's evidence rows, one per part of Azure DevOps' Velocity widget. */
export type AzureDevOpsLensRole = 'ado-planned' | 'ado-completed' | 'ado-completed-late' | 'ado-incomplete';

export interface AzureDevOpsLens {
  readonly planned: LensFigure;
  readonly completed: LensFigure;
  readonly completedLate: LensFigure;
  readonly incomplete: LensFigure;
  /** Planned as at this instant (the end of the start date, plus the planned-days offset). */
  readonly plannedAt: string;
  /** Completed after this instant is late (the end of the end date, plus the late-days offset). */
  readonly lateAfter: string;
  readonly evidence: readonly Evidence<AzureDevOpsLensRole>[];
}

/**
 * Azure DevOps' lens on a sprint's velocity, counted as Azure DevOps' own Velocity widget counts it
 * (learn.microsoft.com/azure/devops/report/dashboards/team-velocity, "Configure the Velocity widget"):
 *
 * - **Planned**: the work assigned to the iteration as of its **start date**, read as that day's snapshot (so
 *   work assigned during the first day counts), or as of N days past the start date (`plannedDaysAfterStart`);
 *   estimates as at that instant; work already done when it was planned counts too.
 * - **Completed** / **Completed late**: work **currently** assigned to the iteration (at asOf; for Jira, the
 *   latest sprint in the Sprint field) and done; late when its completion (the last entry to done) is after the
 *   end of the iteration's end date plus `lateDaysAfterEnd` days. Estimates as they are now.
 * - **Incomplete**: work currently assigned to the iteration and not done. Work moved to the next sprint after
 *   the end counts there, not here.
 *
 * Days are the team's local days. Where this differs from the neutral Committed / Completed and why both are
 * shown: docs/metrics.md.
 *
 * @example azureDevOpsLens(index, index.sprint('ado:iteration:2')!).planned.points // 20 where Committed is 19
 */
export function azureDevOpsLens(index: HistoryIndex, schedule: SprintSchedule, options: AzureDevOpsLensOptions = {}): AzureDevOpsLens {
  const plannedDays = options.plannedDaysAfterStart ?? 0;
  const lateDays = options.lateDaysAfterEnd ?? 0;
  const cal = index.calendar;
  const sprintId = schedule.sprint.id;
  const startMs = schedule.startMs!;
  const endRefMs = schedule.plannedEndMs ?? schedule.closeMs ?? index.asOfMs;
  const plannedAt = Math.min(index.asOfMs, cal.endOfDate(cal.addDays(cal.localDate(startMs), plannedDays)));
  const lateAfter = cal.endOfDate(cal.addDays(cal.localDate(endRefMs), lateDays));
  const pointsAt = (h: WorkItemHistory, t: number) => (index.team.estimateUnit === 'count' ? 1 : (h.estimate.at(t) ?? 0));

  const parts = {
    planned: [] as Evidence<AzureDevOpsLensRole>[],
    completed: [] as Evidence<AzureDevOpsLensRole>[],
    completedLate: [] as Evidence<AzureDevOpsLensRole>[],
    incomplete: [] as Evidence<AzureDevOpsLensRole>[],
  };
  const add = (part: keyof typeof parts, h: WorkItemHistory, t: number, note?: string) =>
    parts[part].push({
      itemId: h.item.id,
      key: h.item.key,
      ...(h.item.url ? { url: h.item.url } : {}),
      title: h.item.title,
      role: `ado-${part === 'completedLate' ? 'completed-late' : part}` as const,
      contribution: pointsAt(h, t),
      sprintId,
      ...(note ? { note } : {}),
    });

  for (const m of index.sprintMemberships(sprintId)) {
    const h = m.history;
    if (!countsAs(h, 'sprint', index.team)) continue;
    if (memberAt(m, plannedAt)) add('planned', h, plannedAt);
    if (!memberAt(m, index.asOfMs) || latestSprintAt(index, h, index.asOfMs) !== sprintId) continue;
    if (!index.isDoneAt(h, index.asOfMs)) {
      add('incomplete', h, index.asOfMs);
      continue;
    }
    const doneMs = index.doneSince(h, index.asOfMs)!;
    add(doneMs > lateAfter ? 'completedLate' : 'completed', h, index.asOfMs, `completed ${formatInstant(doneMs)}`);
  }
  const figure = (rows: readonly Evidence[]): LensFigure => ({ points: round(rows.reduce((s, r) => s + (r.contribution ?? 0), 0)), items: rows.length });
  return {
    planned: figure(parts.planned),
    completed: figure(parts.completed),
    completedLate: figure(parts.completedLate),
    incomplete: figure(parts.incomplete),
    plannedAt: formatInstant(plannedAt),
    lateAfter: formatInstant(lateAfter),
    evidence: [...parts.planned, ...parts.completed, ...parts.completedLate, ...parts.incomplete],
  };
}

function memberAt(m: Membership, t: number): boolean {
  return contains(m.intervals, t) && !contains(m.history.removedIntervals, t);
}

/** The sprint an item is assigned to at `t`: its only one (Azure DevOps), or the latest started one (Jira's Sprint field). */
function latestSprintAt(index: HistoryIndex, h: WorkItemHistory, t: number): string | undefined {
  let latest: SprintSchedule | undefined;
  for (const id of h.sprints.at(t)) {
    const s = index.sprint(id);
    if (s && (!latest || (s.startMs ?? Infinity) > (latest.startMs ?? Infinity))) latest = s;
  }
  return latest?.sprint.id;
}
