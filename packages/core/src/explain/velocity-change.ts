import type { MetricsReport } from '../compute-metrics';
import type { ScopeFigure, SprintVelocity } from '../metrics/velocity';
import { round } from '../result';
import { parseInstant } from '../time/instant';
import { TeamCalendar } from '../time/team-calendar';
import { type ChangeCause, type ChangeExplanation, byContribution, causeItem, meanOf, pickByIdOrName, rankCauses } from './change-explanation';

export interface VelocityChangeOptions {
  /** The sprint explained, by id or name; default the last closed sprint. */
  readonly sprint?: string;
  /** A difference in working days from the baseline's mean below this is no shorter or longer sprint (default 0.5). */
  readonly minWorkingDays?: number;
}

/** The parts of a sprint's Completed: Completed = Committed + Added - Removed + Re-estimated - Carried over. */
const PARTS = [
  { code: 'committed', role: 'committed', sign: 1, figure: (s: SprintVelocity) => s.committed },
  { code: 'added', role: 'added', sign: 1, figure: (s: SprintVelocity) => s.added },
  { code: 'removed', role: 'removed', sign: -1, figure: (s: SprintVelocity) => s.removed },
  { code: 're-estimated', role: 're-estimated', sign: 1, figure: (s: SprintVelocity) => s.reEstimated },
  { code: 'carried-over', role: 'carried-over', sign: -1, figure: (s: SprintVelocity) => s.carriedOver },
] as const;

/**
 * Why a sprint's velocity differs from the sprints before it: the Completed of sprint N against the mean
 * Completed of the (up to `lastN`, velocity's own window) closed sprints before it, explained in the
 * velocity's unit.
 *
 * Every sprint's Completed is its Committed + Added - Removed + Re-estimated - Carried over (items that leave
 * the sprint and come back, or change estimate while outside it, make a small `other` part). So the change
 * splits exactly into parts: each part's figure in sprint N minus its mean over the sprints before, with the
 * sign it has in the identity; the parts add up to the change. Each part names sprint N's items in that role
 * with their events (sprint moves, estimate changes, the status that finished them). A sprint with fewer (or
 * more) working days than the mean before it, from the team calendar (working days, hours, holidays), is a
 * context cause: its expected effect is the points per working day of the sprints before times the
 * difference in working days, and it overlaps the parts that show how it came about.
 *
 * @example velocityChange(report).change // -1.5 for 10 points completed in S3 after 13 and 10 in S1 and S2
 */
export function velocityChange(report: Pick<MetricsReport, 'velocity' | 'team'>, options: VelocityChangeOptions = {}): ChangeExplanation {
  const v = report.velocity;
  const unit = v.unit;
  const lastN = typeof v.params['lastN'] === 'number' ? v.params['lastN'] : 3;
  const minWorkingDays = options.minWorkingDays ?? 0.5;
  const closed = v.details.sprints.filter((s) => s.state === 'closed');
  const active = v.details.active;
  const base = { kpi: 'velocity' as const, figure: 'completed points of the sprint', unit, params: { lastN, minWorkingDays, ...(options.sprint ? { sprint: options.sprint } : {}) } };
  if (active && options.sprint && (active.sprintId === options.sprint || active.name.toLowerCase() === options.sprint.trim().toLowerCase())) {
    return none(base, active, `${active.name} is still active: its Completed is only what is done so far; ask again once it is closed`);
  }
  if (closed.length === 0) return none(base, null, v.reason ?? 'no closed sprint yet');
  const at = options.sprint === undefined ? closed.length - 1 : pickByIdOrName(closed, (s) => s.sprintId, options.sprint, 'closed sprint');
  const sprint = closed[at]!;
  const before = closed.slice(Math.max(0, at - lastN), at);
  if (before.length === 0) return none(base, sprint, `${sprint.name} is the first closed sprint shown: there is nothing before it to compare with`);

  const days = workingDays(report.team);
  const meanCompleted = meanOf(before.map((s) => s.completed.points));
  const parts: ChangeCause[] = PARTS.map((p) => {
    const now = p.figure(sprint);
    const usual = before.map(p.figure);
    return {
      code: p.code,
      kind: 'part' as const,
      effect: p.sign * (now.points - meanOf(usual.map((f) => f.points))),
      measure: measureOf(now, usual, unit),
      items: sprint.evidence.filter((e) => e.role === p.role).map((e) => causeItem(e)).sort(byContribution),
    };
  });
  const other = (s: SprintVelocity) => s.completed.points - PARTS.reduce((a, p) => a + p.sign * p.figure(s).points, 0);
  parts.push({
    code: 'other',
    kind: 'part',
    effect: other(sprint) - meanOf(before.map(other)),
    detail: { about: 'items that left the sprint and came back, or changed estimate while outside it' },
    items: [],
  });

  const sprintDays = days(sprint);
  const beforeDays = before.map(days);
  const meanDays = meanOf(beforeDays);
  const perDay = beforeDays.reduce((a, b) => a + b, 0) > 0 ? before.reduce((a, s) => a + s.completed.points, 0) / beforeDays.reduce((a, b) => a + b, 0) : 0;
  const context: ChangeCause[] = [];
  if (Math.abs(sprintDays - meanDays) >= minWorkingDays && perDay > 0) {
    context.push({
      code: sprintDays < meanDays ? 'shorter-sprint' : 'longer-sprint',
      kind: 'context',
      effect: perDay * (sprintDays - meanDays),
      measure: { now: round(sprintDays, 1), usual: round(meanDays, 1), unit: 'working days' },
      detail: { pointsPerWorkingDay: round(perDay), holidays: holidaysIn(report.team, sprint) },
      items: [],
    });
  }
  return {
    ...base,
    period: { label: sprint.name, from: sprint.startAt, to: sprint.endAt, sprintId: sprint.sprintId, size: 1 },
    baseline: {
      label: `the ${before.length} closed sprint${before.length === 1 ? '' : 's'} before`,
      from: before[0]!.startAt,
      to: before[before.length - 1]!.endAt,
      size: before.length,
    },
    before: round(meanCompleted),
    after: sprint.completed.points,
    change: round(sprint.completed.points - meanCompleted),
    causes: rankCauses([...context, ...parts]),
    alongside: [
      { figure: 'items completed', unit: 'items', before: round(meanOf(before.map((s) => s.completed.items)), 1), after: sprint.completed.items },
      { figure: 'working days', unit: 'days', before: round(meanDays, 1), after: round(sprintDays, 1) },
    ],
  };
}

function measureOf(now: ScopeFigure, usual: readonly ScopeFigure[], unit: string): NonNullable<ChangeCause['measure']> {
  return {
    now: now.points,
    usual: round(meanOf(usual.map((f) => f.points))),
    unit,
    nowItems: now.items,
    usualItems: round(meanOf(usual.map((f) => f.items)), 1),
  };
}

function none(base: Pick<ChangeExplanation, 'kpi' | 'figure' | 'unit' | 'params'>, sprint: SprintVelocity | null, reason: string): ChangeExplanation {
  return {
    ...base,
    period: sprint ? { label: sprint.name, from: sprint.startAt, to: sprint.endAt, sprintId: sprint.sprintId, size: 1 } : { label: 'no sprint' },
    baseline: { label: 'no sprint before', size: 0 },
    before: null,
    after: sprint ? sprint.completed.points : null,
    change: null,
    causes: [],
    alongside: [],
    reason,
  };
}

/** A sprint's working time in whole working days of the team's calendar (Friday 13:00 to Monday 13:00 is 1). */
function workingDays(team: MetricsReport['team']): (s: SprintVelocity) => number {
  const cal = TeamCalendar.of(team);
  const [sh, sm] = team.workingHours.start.split(':').map(Number);
  const [eh, em] = team.workingHours.end.split(':').map(Number);
  const dayMs = (eh! * 60 + em! - sh! * 60 - sm!) * 60_000;
  return (s) => (dayMs > 0 ? cal.workingMillisBetween(parseInstant(s.startAt), parseInstant(s.endAt)) / dayMs : 0);
}

/** The team's holidays that fall on its working weekdays during the sprint: the days it did not have. */
function holidaysIn(team: MetricsReport['team'], s: SprintVelocity): string[] {
  const cal = TeamCalendar.of(team);
  const weekdays = TeamCalendar.of({ ...team, holidays: [] });
  const from = cal.localDate(parseInstant(s.startAt));
  const to = cal.localDate(parseInstant(s.endAt));
  return team.holidays.filter((d) => d >= from && d <= to && weekdays.isWorkingDate(d));
}
