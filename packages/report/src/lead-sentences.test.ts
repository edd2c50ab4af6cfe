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
/** "+4.5", "-13.7", as a why part prints an effect. */
const withSign = (x: number) => (oneDecimal(x) > 0 ? `+${oneDecimal(x)}` : `${oneDecimal(x)}`);
const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

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
    const m = /^Velocity (\d+(?:\.\d)?) pts in (.+?), (?:(\d+) % (under|over)|level with) its (\d+)-sprint average \((\d+(?:\.\d)?) pts\); (.+?)\. Why: (.+)\.$/.exec(text);
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
    // Why: Completed = Committed + Added - Removed + Re-estimated - Carried over in every sprint, so the
    // difference from the mean splits into those parts; the two largest are told, with their items.
    const parts = (
      [
        ['committed', 1, 'committed'],
        ['added', 1, 'added'],
        ['removed', -1, 'removed'],
        ['reEstimated', 1, 're-estimated'],
        ['carriedOver', -1, 'carried-over'],
      ] as const
    ).map(([field, sign, role]) => ({ role, effect: asResult(sign * (last[field].points - meanOf(before.map((b) => b[field].points)))) }));
    // Ranked by the effect as results carry it (2 decimals); a tie keeps the order above.
    const top = [...parts].sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)).slice(0, 2);
    const told = m![8]!.split(/\), (?=[a-z])/);
    expect(told).toHaveLength(2);
    top.forEach((p, k) => {
      const keys = last.evidence.filter((e) => e.role === p.role).sort((a, b) => Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0) || (a.key < b.key ? -1 : 1)).map((e) => e.key);
      expect(told[k]).toContain(`(${withSign(p.effect)} pts${keys.length ? `: ${keys.slice(0, 3).join(', ')}` : ''}`);
    });
    expect(leadSentences(r).velocity.items.map((x) => x.key)[0]).toBe(last.evidence.filter((e) => e.role === top.find((p) => last.evidence.some((e) => e.role === p.role))!.role).sort((a, b) => Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0) || (a.key < b.key ? -1 : 1))[0]!.key);
  });

  test('the brief’s example: 31 pts, 18 % under a 3-sprint average, 2 items added; then why', () => {
    const r = reports[0]!;
    const sprints = r.velocity.details.sprints.map((s) => ({ ...s }));
    const closed = sprints.filter((s) => s.state === 'closed');
    const [a, b, c, last] = closed.slice(-4);
    const none = { points: 0, items: 0 };
    const plain = (points: number) => ({ committed: { points, items: 9 }, completed: { points, items: 9 }, added: none, removed: none, reEstimated: none, carriedOver: none, evidence: [] });
    // 38, 38, 37.33 -> mean 37.78; 31 is 17.9 % under it. The last sprint: 34 committed + 5 added - 8 carried over = 31.
    Object.assign(a!, plain(38));
    Object.assign(b!, plain(38));
    Object.assign(c!, plain(37.33));
    Object.assign(last!, { ...plain(34), completed: { points: 31, items: 8 }, added: { points: 5, items: 2 }, carriedOver: { points: 8, items: 2 } });
    // Parts against the mean: carried over -(8 - 0) = -8; added 5 - 0 = +5; committed 34 - 37.78 = -3.78.
    const text = leadSentences({ ...r, velocity: { ...r.velocity, details: { ...r.velocity.details, sprints } } }).velocity.text;
    expect(text).toBe(`Velocity 31 pts in ${last!.name}, 18 % under its 3-sprint average (37.8 pts); 2 items (5 pts) added mid-sprint. Why: more work carried over (-8 pts), more scope added mid-sprint (+5 pts).`);
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
    // How the last sprint moved the rate: met / judged with it, against the judged sprints before it.
    const earlier = entries.slice(0, -1).filter((e) => e.outcome === 'met' || e.outcome === 'partly' || e.outcome === 'missed');
    const judgedLast = last.outcome === 'met' || last.outcome === 'partly' || last.outcome === 'missed';
    const rate = (xs: readonly { outcome: string }[]) => xs.filter((e) => e.outcome === 'met').length / xs.length;
    const moved = judgedLast && earlier.length ? asResult(rate([...earlier, last]) - rate(earlier), 3) : 0;
    const movedWords = moved ? `, which moved the rate ${withSign(moved * 100)} percentage points` : '';
    expect(text.slice(0, -tail.length).endsWith(movedWords)).toBe(true);
    const head = text.slice(0, -tail.length - movedWords.length);
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
    const m = /^Throughput (\d+(?:\.\d)?) items a week over the last (\d+) weeks; cycle time median (\d+(?:\.\d)?) days, 85 % within (\d+(?:\.\d)?) days; (.+?)(?:\. Mean cycle time of the last 28 days ([+-]?\d+(?:\.\d)?) days? against the weeks before: (.+))?\.$/.exec(text);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(oneDecimal(asResult(weeks.reduce((a, w) => a + w.finished, 0) / weeks.length)));
    expect(Number(m![2])).toBe(weeks.length);
    expect(Number(m![3])).toBe(oneDecimal(asResult(median(cycle))));
    expect(Number(m![4])).toBe(oneDecimal(f.value!.cycleTimeDays!.p85));
    if (above.length === 0) expect(m![5]).toBe(`none of the ${f.details.aging.length} items in progress is older than that`);
    else expect(m![5]).toMatch(new RegExp(`^${above.length} items? in progress longer than that: ${above.slice(0, 5).map((a) => a.key).join(', ')}`));
    // Why cycle time moved: the mean of the items finished in the last 28 days against those finished before,
    // split by the days each spent in each status (time from one status change in its evidence to the next).
    const since = Date.parse(r.asOf) - 28 * DAY;
    const finished = f.details.finished.filter((x) => x.cycleDays !== null);
    const recent = finished.filter((x) => Date.parse(x.finishedAt) >= since);
    const earlier = finished.filter((x) => Date.parse(x.finishedAt) < since);
    expect(recent.length * earlier.length).toBeGreaterThan(0);
    expect(Number(m![6])).toBe(oneDecimal(asResult(meanOf(recent.map((x) => x.cycleDays!)) - meanOf(earlier.map((x) => x.cycleDays!)))));
    const daysIn = (itemId: string) => {
      const ev = f.evidence.find((e) => e.role === 'finished' && e.itemId === itemId)!.events!;
      const out = new Map<string, number>();
      for (let k = 0; k + 1 < ev.length; k++) out.set(String(ev[k]!.to), (out.get(String(ev[k]!.to)) ?? 0) + (Date.parse(ev[k + 1]!.at) - Date.parse(ev[k]!.at)) / DAY);
      return out;
    };
    const statuses = [...new Set(finished.flatMap((x) => [...daysIn(x.itemId).keys()]))];
    const shift = statuses.map((st) => ({ st, d: meanOf(recent.map((x) => daysIn(x.itemId).get(st) ?? 0)) - meanOf(earlier.map((x) => daysIn(x.itemId).get(st) ?? 0)) }));
    const first = shift.sort((a, b) => Math.abs(b.d) - Math.abs(a.d))[0]!;
    expect(m![7]).toMatch(new RegExp(`^${first.d > 0 ? 'more' : 'less'} time in ${first.st} \\(\\${withSign(asResult(first.d))[0]}${withSign(asResult(first.d)).slice(1)} days?`));
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
