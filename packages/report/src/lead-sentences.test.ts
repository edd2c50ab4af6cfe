import { type MetricsReport, type Snapshot, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { leadSentences } from './lead-sentences';
import { subjectLine } from './subject-line';

/**
 * Every number in every sentence is pinned against a value worked out here from the report's details (the
 * sprints, the open impediments, the backlog rows, the weeks), not from the sentence's own helpers: the
 * sentence is parsed with a regular expression and each captured number compared.
 */

/** One decimal, as people read figures (independent of the package's formatting). */
const oneDecimal = (x: number) => Math.round(x * 10) / 10;
/** Core's results carry 2 decimals (3 for ratios); a sentence rounds what the result says, as the dashboard does. */
const asResult = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
};
const DAY = 86_400_000;

function report(seed: number, patch?: (s: Snapshot) => Snapshot): MetricsReport {
  const snapshot = parseSnapshot(simulateTeam({ seed }).snapshot);
  return computeMetrics(patch ? patch(snapshot) : snapshot);
}

const SEEDS = [42, 7, 1234];
let reports: MetricsReport[];
beforeAll(() => {
  reports = SEEDS.map((seed) => report(seed));
});

describe('velocity: the last closed sprint against the sprints before it, and what was added mid-sprint', () => {
  test.each(SEEDS.map((s, i) => [s, i]))('seed %i', (_seed, i) => {
    const r = reports[i]!;
    const text = leadSentences(r).velocity.text;
    const closed = r.velocity.details.sprints.filter((s) => s.state === 'closed');
    const last = closed[closed.length - 1]!;
    const before = closed.slice(-4, -1);
    const mean = before.reduce((a, s) => a + s.completed.points, 0) / before.length;
    const m = /^Velocity (\d+(?:\.\d)?) pts in (.+?), (?:(\d+) % (under|over)|level with) its (\d+)-sprint average \((\d+(?:\.\d)?) pts\); (.+)\.$/.exec(text);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(oneDecimal(last.completed.points));
    expect(m![2]).toBe(last.name);
    const off = Math.round((Math.abs(last.completed.points - mean) / mean) * 100);
    if (off === 0) expect(m![3]).toBeUndefined();
    else {
      expect(Number(m![3])).toBe(off);
      expect(m![4]).toBe(last.completed.points < mean ? 'under' : 'over');
    }
    expect(Number(m![5])).toBe(before.length);
    expect(Number(m![6])).toBe(oneDecimal(mean));
    const addedRows = last.evidence.filter((e) => e.role === 'added');
    if (addedRows.length === 0) expect(m![7]).toMatch(/^nothing added mid-sprint/);
    else {
      const pts = addedRows.reduce((a, e) => a + (e.contribution ?? 0), 0);
      expect(m![7]).toMatch(new RegExp(`^${addedRows.length} items? \\(${oneDecimal(pts)} pts\\) added mid-sprint`));
    }
  });

  test('the brief’s example: 31 pts, 18 % under a 3-sprint average, 2 items added', () => {
    const r = reports[0]!;
    const sprints = r.velocity.details.sprints.map((s) => ({ ...s }));
    const closed = sprints.filter((s) => s.state === 'closed');
    const [a, b, c, last] = closed.slice(-4);
    // 38, 38, 37.33 -> mean 37.78; 31 is 17.9 % under it.
    Object.assign(a!, { completed: { points: 38, items: 9 } });
    Object.assign(b!, { completed: { points: 38, items: 9 } });
    Object.assign(c!, { completed: { points: 37.33, items: 9 } });
    Object.assign(last!, { completed: { points: 31, items: 8 }, added: { points: 5, items: 2 }, removed: { points: 0, items: 0 } });
    const text = leadSentences({ ...r, velocity: { ...r.velocity, details: { ...r.velocity.details, sprints } } }).velocity.text;
    expect(text).toBe(`Velocity 31 pts in ${last!.name}, 18 % under its 3-sprint average (37.8 pts); 2 items (5 pts) added mid-sprint.`);
  });

  test('a first closed sprint has no average to compare with; no closed sprint says why', () => {
    const r = report(3, (s) => ({ ...s, asOf: s.sprints[2]!.startAt! }));
    const closed = r.velocity.details.sprints.filter((s) => s.state === 'closed');
    expect(closed).toHaveLength(2);
    const one = { ...r, velocity: { ...r.velocity, details: { ...r.velocity.details, sprints: [closed[1]!] } } };
    expect(leadSentences(one).velocity.text).toMatch(new RegExp(`^Velocity ${oneDecimal(closed[1]!.completed.points)} pts in ${closed[1]!.name}, its first closed sprint \\(no average to compare with yet\\);`));
    const none = report(3, (s) => ({ ...s, asOf: s.sprints[0]!.startAt! }));
    expect(leadSentences(none).velocity.text).toBe(`No velocity yet: ${none.velocity.reason}.`.replace('..', '.'));
  });
});

describe('sprint goal: the last closed sprint’s outcome, how it was decided, and the rate', () => {
  test.each(SEEDS.map((s, i) => [s, i]))('seed %i', (_seed, i) => {
    const r = reports[i]!;
    const text = leadSentences(r).sprintGoalRate.text;
    const entries = r.sprintGoalRate.details.sprints;
    const last = entries[entries.length - 1]!;
    const met = entries.filter((e) => e.outcome === 'met').length;
    const judged = entries.filter((e) => e.outcome === 'met' || e.outcome === 'partly' || e.outcome === 'missed').length;
    const tail = `; ${met} of the last ${judged} judged goal${judged === 1 ? '' : 's'} met (${Math.round((met / judged) * 100)} %).`;
    expect(text.endsWith(tail)).toBe(true);
    const head = text.slice(0, -tail.length);
    if (last.outcome === 'no-goal') expect(head).toBe(`${last.name} had no sprint goal`);
    else {
      const word = { met: 'met', partly: 'partly met', missed: 'missed' }[last.outcome as 'met'];
      expect(head.startsWith(`Sprint goal ${word} in ${last.name} (“${last.goal}”)`)).toBe(true);
      if (last.rule === 'goal-items') {
        const items = last.evidence.filter((e) => e.role === 'goal-item');
        const m = /: (\d+) of (\d+) goal items? done$/.exec(head);
        expect(Number(m![2])).toBe(items.length);
        expect(Number(m![1])).toBe(last.goalItems.done);
      }
      if (last.rule === 'inferred') {
        const committed = last.evidence.filter((e) => e.role === 'committed').reduce((a, e) => a + (e.contribution ?? 0), 0);
        const completed = last.evidence.filter((e) => e.role === 'completed').reduce((a, e) => a + (e.contribution ?? 0), 0);
        expect(head).toMatch(new RegExp(`, judged from ${Math.round((completed / committed) * 100)} % of the commitment completed$`));
      }
    }
  });
});

describe('impediments: how many are open, the oldest and for how long, and the median time to resolve', () => {
  test.each(SEEDS.map((s, i) => [s, i]))('seed %i', (_seed, i) => {
    const r = reports[i]!;
    const { text, items } = leadSentences(r).impedimentResolutionTime;
    const open = r.impedimentResolutionTime.details.open;
    const resolved = r.impedimentResolutionTime.details.resolved;
    const oldest = [...open].sort((a, b) => a.raisedAt.localeCompare(b.raisedAt))[0];
    const days = oldest ? Math.floor((Date.parse(r.asOf) - Date.parse(oldest.raisedAt)) / DAY) : 0;
    const m = /^(?:(\d+) impediments? open, the oldest (\S+) “(.*)” for (\d+) days?|No impediment open); resolved in a median (\d+(?:\.\d)?) working hours \((\d+) resolved in the window\)\.$/.exec(text);
    expect(m).not.toBeNull();
    if (oldest) {
      expect(Number(m![1])).toBe(open.length);
      expect([m![2], m![3], Number(m![4])]).toEqual([oldest.key, oldest.title, days]);
      expect(items.map((x) => x.key)).toEqual([...open].sort((a, b) => a.raisedAt.localeCompare(b.raisedAt)).map((x) => x.key));
    }
    expect(Number(m![5])).toBe(oneDecimal(asResult(median(resolved.map((x) => x.workingHours)))));
    expect(Number(m![6])).toBe(resolved.length);
  });
});

describe('sprint progress, backlog, release and flow', () => {
  test.each(SEEDS.map((s, i) => [s, i]))('sprint progress, seed %i', (_seed, i) => {
    const r = reports[i]!;
    const p = r.sprintProgress.value!;
    const text = leadSentences(r).sprintProgress.text;
    const today = [...r.sprintProgress.details.days].reverse().find((d) => d.kind !== 'future' && d.remaining !== null)!;
    const m = /^(.+?): (\d+(?:\.\d)?) of (\d+(?:\.\d)?) pts done after (\d+(?:\.\d)?) of (\d+(?:\.\d)?) working days, (?:(\d+(?:\.\d)?) pts (behind|ahead of) the ideal line|on the ideal line); (.+)\.$/.exec(text);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(p.name);
    expect([Number(m![2]), Number(m![3])]).toEqual([oneDecimal(today.completed!), oneDecimal(today.scope!)]);
    expect(Number(m![5])).toBe(p.workingDaysTotal);
    const gap = today.remaining! - today.ideal;
    if (m![6] !== undefined) {
      expect(Number(m![6])).toBe(oneDecimal(Math.abs(gap)));
      expect(m![7]).toBe(gap > 0 ? 'behind' : 'ahead of');
    }
    if (p.onTrack === false) expect(m![8]).toMatch(new RegExp(`^behind: at this pace ${oneDecimal(p.projectedCompletedAtEnd!)} of ${oneDecimal(today.scope!)} pts by the planned end`));
  });

  test.each(SEEDS.map((s, i) => [s, i]))('backlog health, seed %i', (_seed, i) => {
    const r = reports[i]!;
    const b = r.backlogHealth;
    const text = leadSentences(r).backlogHealth.text;
    const rows = b.details.backlog;
    const stale = rows.filter((x) => x.missing.includes('recent-activity')).length;
    const m = /^Backlog health (\d+)\/100: (\d+(?:\.\d)?) sprints? of ready work(?: \([^)]*\))?, (\d+) of (\d+) items ready; (\d+) % of the next items estimated, (\d+) % untouched for 90 days\.$/.exec(text);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(Math.round(b.value!.score));
    expect(Number(m![2])).toBe(oneDecimal(b.value!.readyDepth!));
    expect([Number(m![3]), Number(m![4])]).toEqual([rows.filter((x) => x.ready).length, rows.length]);
    expect(Number(m![5])).toBe(Math.round(b.details.components.find((c) => c.name === 'estimatedShare')!.value! * 100));
    expect(Number(m![6])).toBe(Math.round((stale / rows.length) * 100));
  });

  test.each(SEEDS.map((s, i) => [s, i]))('release, seed %i', (_seed, i) => {
    const r = reports[i]!;
    const rp = r.releasePredictability;
    const text = leadSentences(r).releasePredictability.text;
    const next = rp.details.releases.filter((x) => x.state === 'open').sort((a, b) => (a.latestPlannedDate ?? '9').localeCompare(b.latestPlannedDate ?? '9'))[0]!;
    const f = next.forecast!;
    const released = rp.details.releases.filter((x) => x.state === 'released').slice(-4);
    const delivered = released.map((x) => asResult(x.delivered.points / x.planned.points, 3));
    const m = /^(.+?) is (on track|at risk|likely late): (\d+) % chance to ship by its planned (\d{4}-\d\d-\d\d), 85 % forecast (\d{4}-\d\d-\d\d) \((\d+(?:\.\d)?) pts left\); the last (\d+) releases? delivered (\d+) % of their planned scope\.$/.exec(text);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(next.name);
    const chance = Math.round(f.probabilityOnTime! * 100);
    expect(Number(m![3])).toBe(chance);
    expect(m![2]).toBe(chance >= 85 ? 'on track' : chance >= 50 ? 'at risk' : 'likely late');
    expect([m![4], m![5]]).toEqual([next.latestPlannedDate, f.p85]);
    const remaining = next.evidence.filter((e) => e.role === 'remaining');
    expect(Number(m![6])).toBe(oneDecimal(f.remaining.points));
    expect(remaining.length).toBe(f.remaining.items);
    expect(Number(m![7])).toBe(released.length);
    expect(Number(m![8])).toBe(Math.round(asResult(delivered.reduce((a, b) => a + b, 0) / delivered.length, 3) * 100));
  });

  test.each(SEEDS.map((s, i) => [s, i]))('flow, seed %i', (_seed, i) => {
    const r = reports[i]!;
    const f = r.flow;
    const text = leadSentences(r).flow.text;
    const weeks = f.details.weeks;
    const cycle = f.details.finished.map((x) => x.cycleDays).filter((x): x is number => x !== null);
    const above = f.details.aging.filter((a) => a.ageDays > f.value!.cycleTimeDays!.p85);
    const m = /^Throughput (\d+(?:\.\d)?) items a week over the last (\d+) weeks; cycle time median (\d+(?:\.\d)?) days, 85 % within (\d+(?:\.\d)?) days; (.+)\.$/.exec(text);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(oneDecimal(asResult(weeks.reduce((a, w) => a + w.finished, 0) / weeks.length)));
    expect(Number(m![2])).toBe(weeks.length);
    expect(Number(m![3])).toBe(oneDecimal(asResult(median(cycle))));
    expect(Number(m![4])).toBe(oneDecimal(f.value!.cycleTimeDays!.p85));
    if (above.length === 0) expect(m![5]).toBe(`none of the ${f.details.aging.length} items in progress is older than that`);
    else expect(m![5]).toMatch(new RegExp(`^${above.length} items? in progress longer than that: ${above.slice(0, 5).map((a) => a.key).join(', ')}`));
  });
});

describe('subject', () => {
  test('one team: the last sprint’s velocity, its goal, the impediments open', () => {
    const r = reports[0]!;
    const closed = r.velocity.details.sprints.filter((s) => s.state === 'closed');
    const goal = r.sprintGoalRate.details.sprints.at(-1)!;
    const open = r.impedimentResolutionTime.details.open.length;
    expect(subjectLine([r], ['amber'])).toBe(
      `agile-kpi: ${r.team.name} — velocity ${oneDecimal(closed.at(-1)!.completed.points)} pts, goal ${goal.outcome === 'met' ? 'met' : goal.outcome}, ${open} impediment${open === 1 ? '' : 's'} open`,
    );
  });

  test('several teams: counted by their worst light', () => {
    expect(subjectLine(reports, ['red', 'amber', 'amber'])).toBe('agile-kpi: 3 teams — 1 red, 2 amber');
    expect(subjectLine(reports, ['green', null, 'green'])).toBe('agile-kpi: 3 teams — 2 green, 1 without data');
  });

  test('a team name with line breaks stays on one header line', () => {
    const r = reports[0]!;
    expect(subjectLine([{ ...r, team: { ...r.team, name: 'Evil\r\nBcc: x@y' } }], [null])).toMatch(/^agile-kpi: Evil Bcc: x@y — /);
  });
});
