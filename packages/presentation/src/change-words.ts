import type { ChangeCause, ChangeExplanation } from '@agile-kpi/core';
import { num, pct, signed, unitLabel } from './format';

/** Item keys a cause lists in words before "and N more". */
const KEYS_SHOWN = 3;

/**
 * The "why" of a change in words, from `explainChange`: the largest causes, each with its effect in the KPI's
 * unit and the keys of its items — "re-estimates (-5 pts: D-1), more committed at the start (+4.5 pts: D-1,
 * D-2, D-3)". The dashboard's headlines, the emailed report's sentences and the assistant's answers (`agile-kpi
 * mcp`) all say it with this, so that they tell one story. Empty when there is no cause to tell.
 *
 * @example whyWords(velocityChange(report)) // "re-estimates (-5 pts: D-1), more committed at the start (+4.5 pts: D-1, D-2, D-3)"
 */
export function whyWords(e: ChangeExplanation, shown = 2): string {
  if (e.change === null) return '';
  return e.causes
    .slice(0, shown)
    .map((c) => causeWords(c, e))
    .join(', ');
}

/**
 * "SIM Sprint 11 -5.7 pts against the 3 closed sprints before: more work carried over (...), ...": a change
 * and its largest causes, for the end of a headline or a sentence; empty when there is no change to tell.
 */
export function changeWords(e: ChangeExplanation, subject = e.period.label, against = e.baseline.label): string {
  const why = whyWords(e);
  return why ? `${subject} ${effectWords(e.change!, e.unit)} against ${against}: ${why}` : '';
}

/** One cause: what it is, its effect (expected, for a context cause) and its first items' keys. */
export function causeWords(c: ChangeCause, e: Pick<ChangeExplanation, 'unit'>): string {
  const keys = c.items.map((i) => i.key);
  const listed = keys.length ? `: ${keys.slice(0, KEYS_SHOWN).join(', ')}${keys.length > KEYS_SHOWN ? ` and ${keys.length - KEYS_SHOWN} more` : ''}` : '';
  return `${causeLabel(c)} (${effectWords(c.effect, e.unit)}${c.kind === 'context' ? ' expected' : ''}${listed})`;
}

/** "-5 pts", "+2 d", "-8.3 percentage points", "+14 days". */
export function effectWords(effect: number, unit: string): string {
  if (unit === 'ratio') return `${signed(effect * 100)} percentage points`;
  if (unit === 'days') return `${signed(effect)} ${Math.abs(effect) === 1 ? 'day' : 'days'}`;
  return `${signed(effect)} ${unitLabel(unit)}`;
}

function causeLabel(c: ChangeCause): string {
  const m = c.measure;
  const more = m !== undefined && m.usual !== null && m.now > m.usual;
  switch (c.code) {
    case 'committed':
      return more ? 'more committed at the start' : 'less committed at the start';
    case 'added':
      return more ? 'more scope added mid-sprint' : 'less scope added mid-sprint';
    case 'removed':
      return more ? 'more scope removed mid-sprint' : 'less scope removed mid-sprint';
    case 'carried-over':
      return more ? 'more work carried over' : 'less work carried over';
    case 're-estimated':
      return 're-estimates';
    case 'shorter-sprint':
    case 'longer-sprint': {
      const holidays = (c.detail?.['holidays'] as readonly string[] | undefined) ?? [];
      return `a ${c.code === 'shorter-sprint' ? 'shorter' : 'longer'} sprint, ${num(m!.now)} working days against ${num(m!.usual!)}${holidays.length ? `, holidays ${holidays.join(', ')}` : ''}`;
    }
    case 'status-time':
      return `${more ? 'more' : 'less'} time in ${c.subject}`;
    case 'sprint-outcome':
      return outcomeWords(c);
    case 'time-passed':
      return `${num(m!.now)} days passed`;
    case 'work-finished':
      return 'work finished since';
    case 'scope-dropped':
      return 'scope dropped from the release';
    case 'scope-added':
      return 'scope added to the release';
    case 'throughput':
      return `throughput ${num(m!.now)} ${unitLabel(m!.unit)} against ${num(m!.usual!)}`;
    default:
      return 'other changes';
  }
}

/** "SIM Sprint 11 missed its goal, judged from 70% of the commitment completed (threshold 80%)". */
function outcomeWords(c: ChangeCause): string {
  const d = c.detail ?? {};
  const verb = { met: 'met its goal', partly: 'partly met its goal', missed: 'missed its goal' }[String(d['outcome'])] ?? String(d['outcome']);
  const goalItems = d['goalItems'] as { total: number; done: number } | undefined;
  const verdict = d['verdict'] as { by: string; at: string } | undefined;
  let rule = '';
  if (d['rule'] === 'verdict' && verdict) rule = `, by the verdict ${verdict.by} recorded on ${verdict.at.slice(0, 10)}`;
  else if (d['rule'] === 'goal-items' && goalItems) rule = `, ${goalItems.done} of ${goalItems.total} goal items done`;
  else if (d['rule'] === 'inferred' && typeof d['completionRatio'] === 'number') {
    rule = `, judged from ${pct(d['completionRatio'])} of the commitment completed (threshold ${pct(Number(d['threshold']))})`;
  }
  return `${c.subject} ${verb}${rule}`;
}
