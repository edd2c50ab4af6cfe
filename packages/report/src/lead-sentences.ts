import { type Evidence, type MetricsReport, type SprintGoalEntry, type SprintVelocity, cycleTimeChange, goalRateChange, velocityChange } from '@agile-kpi/core';
import { type KpiKey, changeWords, effectWords, localDate, num, sentence, unitLabel, whyWords } from '@agile-kpi/presentation';
import { amount, percent, plural, quoted, wholeDays } from './report-format';

/** An item a sentence is about, with its link into the tracker. */
export interface EvidenceLink {
  readonly key: string;
  readonly url?: string;
  readonly title?: string;
}

/** One sentence a lead would forward, and the items it talks about (the evidence to click). */
export interface LeadSentence {
  readonly text: string;
  readonly items: readonly EvidenceLink[];
}

/**
 * The headline of each KPI as a sentence for a lead: what happened, against what, and what to look at —
 * "Velocity 31 pts in Sprint 14, 18 % under its 3-sprint average (37.7 pts); 2 items (5 pts) added
 * mid-sprint." Every number is worked out from the report's details, never estimated:
 *
 * - velocity: the last closed sprint's Completed against the mean Completed of the (up to `lastN`) closed
 *   sprints before it, and the items that joined that sprint after its start; then why, the two largest
 *   causes of the difference (`velocityChange`), whose items are the evidence to click;
 * - sprint goal: the last closed sprint's outcome, the rule that decided it, how much it moved the rate
 *   (`goalRateChange`), and met / judged over the window;
 * - impediments: open impediments, the oldest with its whole days open, and the median working hours to resolve;
 * - sprint progress: done of scope after the elapsed working days, the gap to the ideal line, the projection
 *   and the items added since the start;
 * - backlog health: the score, ready depth in sprints, ready items, estimated and stale shares;
 * - release predictability: the next open release's chance to ship by its planned date and its P85 date, then
 *   the delivered share of the last releases;
 * - flow: throughput per week, cycle-time median and P85, and the items in progress longer than the P85; then
 *   why the mean cycle time of the last 28 days differs from the weeks before (`cycleTimeChange`).
 *
 * The dashboard's `kpiHeadlines` are the analyst's version (every figure); these are the reader's.
 *
 * @example leadSentences(report).velocity.text // "Velocity 32 pts in SIM Sprint 11, 15 % under its 3-sprint average (37.7 pts); nothing added mid-sprint."
 */
export function leadSentences(r: MetricsReport): Record<KpiKey, LeadSentence> {
  return {
    velocity: velocitySentence(r),
    sprintGoalRate: sprintGoalSentence(r),
    impedimentResolutionTime: impedimentSentence(r),
    sprintProgress: sprintProgressSentence(r),
    backlogHealth: backlogSentence(r),
    releasePredictability: releaseSentence(r),
    flow: flowSentence(r),
  };
}

/** The last closed sprint of the velocity's window, if any. */
export function lastClosedSprint(r: MetricsReport): SprintVelocity | undefined {
  return r.velocity.details.sprints.filter((s) => s.state === 'closed').at(-1);
}

/** The last closed sprint's goal entry, if any. */
export function lastGoal(r: MetricsReport): SprintGoalEntry | undefined {
  return r.sprintGoalRate.details.sprints.at(-1);
}

const done = (text: string, items: readonly EvidenceLink[] = []): LeadSentence => ({ text: sentence(text), items });
const link = (e: { key: string; url?: string; title?: string }): EvidenceLink => ({ key: e.key, ...(e.url ? { url: e.url } : {}), ...(e.title ? { title: e.title } : {}) });
const withRole = <R extends string>(evidence: readonly Evidence<R>[], role: NoInfer<R>) => evidence.filter((e) => e.role === role).map(link);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function velocitySentence(r: MetricsReport): LeadSentence {
  const v = r.velocity;
  const unit = unitLabel(v.unit);
  const closed = v.details.sprints.filter((s) => s.state === 'closed');
  const last = closed.at(-1);
  if (!last) return done(`No velocity yet: ${v.reason ?? 'no closed sprint'}`);
  const before = closed.slice(Math.max(0, closed.length - 1 - v.params.lastN), -1);
  let text = `Velocity ${amount(last.completed.points, unit)} in ${last.name}`;
  if (before.length === 0) {
    text += ', its first closed sprint (no average to compare with yet)';
  } else {
    const mean = sum(before.map((s) => s.completed.points)) / before.length;
    const average = `its ${before.length}-sprint average (${amount(mean, unit)})`;
    const off = mean === 0 ? 0 : Math.round((Math.abs(last.completed.points - mean) / mean) * 100);
    if (mean === 0) text += `, against ${average}`;
    else if (off === 0) text += `, level with ${average}`;
    else text += `, ${off} % ${last.completed.points < mean ? 'under' : 'over'} ${average}`;
  }
  const added = last.added;
  text += added.items === 0 ? '; nothing added mid-sprint' : `; ${plural(added.items, 'item')} (${amount(added.points, unit)}) added mid-sprint`;
  if (last.removed.items > 0) text += `, ${plural(last.removed.items, 'item')} removed`;
  const why = velocityChange(r, { sprint: last.sprintId });
  const top = why.causes.find((c) => c.items.length);
  if (whyWords(why)) text += `. Why: ${whyWords(why)}`;
  const addedItems = withRole(last.evidence, 'added');
  return done(text, top ? top.items.map(link) : addedItems.length ? addedItems : withRole(last.evidence, 'completed'));
}

function sprintGoalSentence(r: MetricsReport): LeadSentence {
  const g = r.sprintGoalRate;
  const last = lastGoal(r);
  if (!last) return done(`No sprint goal to judge yet: ${g.reason ?? 'no closed sprint'}`);
  const outcome = {
    met: `Sprint goal met in ${last.name}`,
    partly: `Sprint goal partly met in ${last.name}`,
    missed: `Sprint goal missed in ${last.name}`,
    'no-goal': `${last.name} had no sprint goal`,
    undetermined: `The goal of ${last.name} is undetermined (nothing was committed; record a verdict)`,
  }[last.outcome];
  let text = outcome;
  const judged = last.outcome === 'met' || last.outcome === 'partly' || last.outcome === 'missed';
  if (judged && last.goal) text += ` (${quoted(last.goal)})`;
  if (judged && last.rule === 'verdict') text += ', by the recorded verdict';
  else if (judged && last.rule === 'goal-items') text += `: ${last.goalItems.done} of ${plural(last.goalItems.total, 'goal item')} done`;
  else if (judged && last.rule === 'inferred' && last.completionRatio !== null) text += `, judged from ${percent(last.completionRatio)} of the commitment completed`;
  const moved = goalRateChange(r, { sprint: last.sprintId });
  if (moved.change) text += `, which moved the rate ${effectWords(moved.change, moved.unit)}`;
  const v = g.value;
  if (v) {
    const decided = v.met + v.partly + v.missed;
    text += `; ${v.met} of the last ${plural(decided, 'judged goal')} met (${percent(v.rate)})`;
  }
  return done(text, last.evidence.map(link));
}

function impedimentSentence(r: MetricsReport): LeadSentence {
  const i = r.impedimentResolutionTime;
  const v = i.value;
  if (!v) return done(`No impediment figures: ${i.reason ?? 'no data'}`);
  const open = [...i.details.open].sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt));
  const oldest = open[0];
  let text: string;
  if (!oldest) text = 'No impediment open';
  else {
    const days = wholeDays(oldest.raisedAt, r.asOf);
    const hours = Math.floor((Date.parse(r.asOf) - Date.parse(oldest.raisedAt)) / 3_600_000);
    text = `${plural(open.length, 'impediment')} open, the oldest ${oldest.key} ${quoted(oldest.title)} for ${days >= 1 ? plural(days, 'day') : plural(hours, 'hour')}`;
  }
  text += v.workingHours ? `; resolved in a median ${amount(v.workingHours.median, 'working hours')} (${v.resolved} resolved in the window)` : '; none resolved in the window';
  return done(text, open.map(link));
}

function sprintProgressSentence(r: MetricsReport): LeadSentence {
  const s = r.sprintProgress;
  const p = s.value;
  if (!p) return done(`No active sprint: ${s.reason ?? 'nothing to follow'}`);
  const unit = unitLabel(s.unit);
  let text = `${p.name}: ${num(p.completed)} of ${amount(p.scope, unit)} done after ${num(p.workingDaysElapsed)} of ${plural(Number(num(p.workingDaysTotal)), 'working day')}`;
  const gap = p.remaining - p.idealRemaining;
  if (num(Math.abs(gap)) === '0') text += ', on the ideal line';
  else text += `, ${amount(Math.abs(gap), unit)} ${gap > 0 ? 'behind' : 'ahead of'} the ideal line`;
  if (p.onTrack === null) text += '; no pace yet';
  else if (p.onTrack) text += p.projectedFinish ? `; on track to finish on ${localDate(p.projectedFinish, r.team.timeZone)}` : '; on track';
  else text += p.projectedCompletedAtEnd !== null ? `; behind: at this pace ${num(p.projectedCompletedAtEnd)} of ${amount(p.scope, unit)} by the planned end` : '; behind';
  const active = r.velocity.details.active;
  if (active && active.sprintId === p.sprintId && active.added.items > 0) text += `; ${plural(active.added.items, 'item')} (${amount(active.added.points, unit)}) added since the start`;
  return done(text, withRole(s.evidence, 'remaining'));
}

function backlogSentence(r: MetricsReport): LeadSentence {
  const b = r.backlogHealth;
  const v = b.value;
  if (!v) return done(`No backlog figures: ${b.reason ?? 'no data'}`);
  let text = `Backlog health ${num(v.score, 0)}/100: `;
  if (v.readyDepth === null) text += 'ready depth unknown';
  else {
    const depth = num(v.readyDepth, 1);
    text += `${depth} ${depth === '1' ? 'sprint' : 'sprints'} of ready work`;
    if (v.readyDepth < 2) text += ' (aim for 2 to 3)';
    else if (v.readyDepth > 5) text += ' (more than 5: over-refined)';
  }
  text += `, ${v.readyItems} of ${plural(v.items, 'item')} ready`;
  if (v.estimatedShare !== null) text += `; ${percent(v.estimatedShare)} of the next items estimated`;
  if (v.staleShare !== null) text += `, ${percent(v.staleShare)} untouched for ${b.params.staleDays} days`;
  return done(text, withRole(b.evidence, 'not-ready'));
}

function releaseSentence(r: MetricsReport): LeadSentence {
  const rp = r.releasePredictability;
  const v = rp.value;
  const next = rp.details.releases.find((x) => x.state === 'open');
  if (!v && !next) return done(`No release figures: ${rp.reason ?? 'no release'}`);
  let text: string;
  if (!next) text = 'No open release';
  else {
    const f = next.forecast;
    const planned = next.latestPlannedDate;
    if (f?.p85) {
      const basis = rp.params.basis;
      const left = basis === 'count' ? plural(f.remaining.items, 'item') : amount(f.remaining.points, unitLabel(r.velocity.unit));
      if (planned && f.probabilityOnTime !== null) {
        const p = f.probabilityOnTime;
        const verdict = p >= 0.85 ? 'on track' : p >= 0.5 ? 'at risk' : 'likely late';
        text = `${next.name} is ${verdict}: ${percent(p)} chance to ship by its planned ${planned}, 85 % forecast ${f.p85} (${left} left)`;
      } else text = `${next.name} has no planned date; 85 % forecast ${f.p85} (${left} left)`;
    } else text = `${next.name} (${planned ? `planned ${planned}` : 'no planned date'}) has no forecast yet`;
  }
  if (v?.predictability != null) text += `; the last ${plural(v.releasesConsidered, 'release')} delivered ${percent(v.predictability)} of their planned scope`;
  return done(text, next ? withRole(next.evidence, 'remaining') : []);
}

function flowSentence(r: MetricsReport): LeadSentence {
  const fl = r.flow;
  const f = fl.value;
  if (!f) return done(`No flow figures: ${fl.reason ?? 'no data'}`);
  const weeks = fl.params.weeks;
  let text = `Throughput ${amount(f.throughputPerWeek, 'items a week')} over the last ${plural(weeks, 'week')}`;
  const byId = new Map(fl.evidence.map((e) => [e.itemId, e]));
  const aging = fl.details.aging.filter((a) => a.band === 'above-p85');
  if (f.cycleTimeDays) {
    text += `; cycle time median ${amount(f.cycleTimeDays.median, 'days')}, 85 % within ${amount(f.cycleTimeDays.p85, 'days')}`;
    if (aging.length) {
      const shown = aging.slice(0, 5).map((a) => a.key);
      text += `; ${plural(aging.length, 'item')} in progress longer than that: ${shown.join(', ')}${aging.length > shown.length ? ` and ${aging.length - shown.length} more` : ''}`;
    } else text += f.wip === 0 ? '; nothing in progress' : `; none of the ${plural(f.wip, 'item')} in progress is older than that`;
  } else text += '; no finished item to take a cycle time from';
  const why = changeWords(cycleTimeChange(r), 'Mean cycle time of the last 28 days', 'the weeks before');
  if (why) text += `. ${why}`;
  return done(
    text,
    aging.map((a) => link({ key: a.key, ...(byId.get(a.itemId)?.url ? { url: byId.get(a.itemId)!.url! } : {}), ...(byId.get(a.itemId)?.title ? { title: byId.get(a.itemId)!.title! } : {}) })),
  );
}
