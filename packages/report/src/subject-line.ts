import type { MetricsReport, TrafficLight } from '@agile-kpi/core';
import { unitLabel } from '@agile-kpi/presentation';
import { lastClosedSprint, lastGoal } from './lead-sentences';
import { amount, plural } from './report-format';

const GOAL_WORDS = { met: 'goal met', partly: 'goal partly met', missed: 'goal missed', 'no-goal': 'no sprint goal', undetermined: 'goal undetermined' } as const;

/**
 * The subject a lead scans in an inbox: for one team its last sprint's velocity, whether that sprint's goal was
 * met and the impediments open ("agile-kpi: SIM Team — velocity 31 pts, goal met, 2 impediments open"); for
 * several, how many teams are red, amber and green by their worst KPI ("agile-kpi: 3 teams — 1 red, 2 amber").
 */
export function subjectLine(reports: readonly MetricsReport[], overall: readonly (TrafficLight | null)[], product = 'agile-kpi'): string {
  if (reports.length === 1) {
    const r = reports[0]!;
    const parts: string[] = [];
    const last = lastClosedSprint(r);
    parts.push(last ? `velocity ${amount(last.completed.points, unitLabel(r.velocity.unit))}` : 'no closed sprint yet');
    const goal = lastGoal(r);
    if (goal) parts.push(GOAL_WORDS[goal.outcome]);
    const open = r.impedimentResolutionTime.value?.open;
    if (open !== undefined) parts.push(open === 0 ? 'no impediment open' : `${plural(open, 'impediment')} open`);
    return oneLine(`${product}: ${r.team.name} — ${parts.join(', ')}`);
  }
  const count = (l: TrafficLight | null) => overall.filter((o) => o === l).length;
  const parts = (['red', 'amber', 'green'] as const).filter((l) => count(l) > 0).map((l) => `${count(l)} ${l}`);
  if (count(null) > 0) parts.push(`${count(null)} without data`);
  return oneLine(`${product}: ${reports.length} teams — ${parts.join(', ')}`);
}

/** Tracker names may hold line breaks; a header may not. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
