import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { computeMetrics } from './compute-metrics';
import { dataQuality } from './data-quality';
import { monteCarlo } from './forecast/monte-carlo';
import { HistoryIndex } from './history/history-index';
import { timelineValues } from './history/item-columns';
import { azureDevOpsLens } from './metrics/azure-devops-velocity';
import { backlogHealth } from './metrics/backlog-health';
import { customerSatisfaction } from './metrics/customer-satisfaction';
import { featureAdoption } from './metrics/feature-adoption';
import { flow } from './metrics/flow';
import { impedimentResolutionTime } from './metrics/impediment-resolution-time';
import { kindExclusion } from './metrics/kind-exclusion';
import { releaseImpact } from './metrics/release-impact';
import { releasePredictability } from './metrics/release-predictability';
import { roi } from './metrics/roi';
import { sprintGoalRate } from './metrics/sprint-goal-rate';
import { sprintProgress } from './metrics/sprint-progress';
import { velocity } from './metrics/velocity';
import { outcomeRecord } from './model/outcome-records';
import { parseOutcomes } from './model/outcomes';
import { checkCost, checkOutcomeSettings, readCostPerSprint, readFeatureLink } from './model/outcome-settings';
import { parseSnapshot } from './model/schema';
import { METRIC_OPTIONS, checkMetricOptions, resolveMetricOptions } from './options/metric-options-schema';
import { wilsonInterval } from './stats/intervals';
import { goldenOutcomes, outcomesGoldenIndex } from './testing/outcomes-golden';
import { SnapshotBuilder } from './testing/snapshot-builder';

/**
 * The `@example` lines of core's doc comments, checked. Each example is `expression // stated result ...`; every
 * one found in the sources must have an entry below (a new or edited example without one fails), and the entry
 * evaluates the expression against a small board built to match what the comment says ("for completed 20, 24,
 * 20") and checks the stated result: the value it computes must equal `expected`, and the comment must state that
 * value. The explain examples rest on larger golden boards: their entries name the test that evaluates them, and
 * this test checks that it still asserts the stated figure.
 */

interface Example {
  readonly file: string;
  readonly code: string;
  readonly stated: string;
}

type Check =
  | {
      readonly value: () => unknown;
      readonly expected: unknown;
      /** Compare an object with toMatchObject: the example states some of its fields. */
      readonly partial?: true;
      /** What the comment must say instead of starting with the expected value (when it states two figures). */
      readonly states?: string;
    }
  | { readonly throws: () => unknown; readonly message: string }
  | {
      /** The golden test that evaluates the example, in its "gives the doc comment's example" case... */
      readonly checkedIn: string;
      /** ...which asserts these... */
      readonly asserts: readonly string[];
      /** ...on the report or options built elsewhere in that file with these. */
      readonly setUp?: readonly string[];
    };

const ROOT = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function examples(): Example[] {
  return sourceFiles(ROOT).flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/^\s*\*\s*@example\s+(.*)$/gm)].map((m) => {
      const [code, ...rest] = m[1]!.split(' // ');
      return { file: relative(ROOT, path), code: code!.trim(), stated: rest.join(' // ').trim() };
    }),
  );
}

/** A value as an example states it: 0.75, 'up', [0.49, 0.943]. */
function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return String(v);
}

// ---- Boards matching the examples' words ----------------------------------------------------------------

const t0 = '2025-03-01T10:00:00Z';
const week = (b: SnapshotBuilder, id: string, mon: string, fri: string, extra: object = {}) =>
  b.sprint({ id, name: id, state: 'closed', startAt: `${mon}T09:00:00Z`, plannedEndAt: `${fri}T17:00:00Z`, closedAt: `${fri}T17:00:00Z`, ...extra });

/** Three closed one-week sprints completing 20, 24 and 20 points: velocity (20 + 24 + 20) / 3 = 21.33. */
function velocityJson(): string {
  const b = new SnapshotBuilder('2025-03-31T12:00:00Z');
  [['S1', '2025-03-03', '2025-03-07', 20], ['S2', '2025-03-10', '2025-03-14', 24], ['S3', '2025-03-17', '2025-03-21', 20]].forEach(([id, mon, fri, points]) => {
    week(b, id as string, mon as string, fri as string);
    b.item(`V-${id}`, t0).estimate(t0, points as number).sprints(`${mon}T08:00:00Z`, [id as string]).status(`${mon}T12:00:00Z`, 'Done');
  });
  return JSON.stringify(b.build());
}

/** Active sprint S1 with A (10) and B (8) committed, B done: 18 - 8 = 10 remaining. */
function progressIndex(): HistoryIndex {
  const b = new SnapshotBuilder('2025-03-05T12:00:00Z');
  b.sprint({ id: 'S1', name: 'S1', state: 'active', startAt: '2025-03-03T09:00:00Z', plannedEndAt: '2025-03-14T17:00:00Z' });
  b.item('A', t0).estimate(t0, 10).sprints('2025-03-02T10:00:00Z', ['S1']);
  b.item('B', t0).estimate(t0, 8).sprints('2025-03-02T10:00:00Z', ['S1']).status('2025-03-04T10:00:00Z', 'Done');
  return new HistoryIndex(parseSnapshot(b.build()));
}

/** No sprints (window: the last 90 days); four items flagged for 4, 6, 12 and 66 hours: median (6 + 12) / 2 = 9. */
function impedimentIndex(): HistoryIndex {
  const b = new SnapshotBuilder('2025-03-31T12:00:00Z');
  [4, 6, 12, 66].forEach((hours, i) => {
    const raised = Date.parse('2025-03-10T08:00:00Z') + i * 86_400_000;
    b.item(`I-${hours}`, t0).flagged(new Date(raised).toISOString(), true).flagged(new Date(raised + hours * 3_600_000).toISOString(), false);
  });
  return new HistoryIndex(parseSnapshot(b.build()));
}

/** Velocity 10 (one closed sprint); backlog K-1 8 and K-2 5 ready, then K-3 13 flagged: (8 + 5) / 10 = 1.3 sprints. */
function backlogIndex(): HistoryIndex {
  const b = new SnapshotBuilder('2025-03-20T12:00:00Z');
  week(b, 'S1', '2025-03-10', '2025-03-14');
  b.item('D-1', t0).estimate(t0, 10).sprints('2025-03-09T10:00:00Z', ['S1']).status('2025-03-12T10:00:00Z', 'Done');
  b.item('K-1', t0).estimate(t0, 8).set({ rank: 'a' });
  b.item('K-2', t0).estimate(t0, 5).set({ rank: 'b' });
  b.item('K-3', t0).estimate(t0, 13).set({ rank: 'c' }).flagged('2025-03-18T10:00:00Z', true);
  return new HistoryIndex(parseSnapshot(b.build()));
}

/** R1 planned 5 one-point items and delivered 4, R2 planned 10 and delivered 7: (0.8 + 0.7) / 2 = 0.75. */
function releaseIndex(): HistoryIndex {
  const b = new SnapshotBuilder('2025-06-30T12:00:00Z');
  const release = (id: string, start: string, shipped: string, planned: number, delivered: number) => {
    b.release({ id, name: id, startAt: `${start}T09:00:00Z`, releasedAt: `${shipped}T17:00:00Z`, plannedDate: [{ at: `${start}T09:00:00Z`, value: shipped }] });
    for (let i = 0; i < planned; i++) {
      const item = b.item(`${id}-${i}`, t0).estimate(t0, 1).releases(`${start}T08:00:00Z`, [id]);
      if (i < delivered) item.status(`${shipped}T10:00:00Z`, 'Done');
    }
  };
  release('R1', '2025-04-01', '2025-04-30', 5, 4);
  release('R2', '2025-05-01', '2025-05-30', 10, 7);
  return new HistoryIndex(parseSnapshot(b.build()));
}

/** Wednesday 2025-06-18: 1 item finished in the week of 06-02 and 3 in the week of 06-09: 4 / 2 weeks = 2. */
function flowIndex(): HistoryIndex {
  const b = new SnapshotBuilder('2025-06-18T12:00:00Z');
  ['2025-06-04', '2025-06-10', '2025-06-11', '2025-06-12'].forEach((day, i) =>
    b.item(`F-${i}`, '2025-05-20T10:00:00Z').status(`${day}T09:00:00Z`, 'In Progress').status(`${day}T15:00:00Z`, 'Done'),
  );
  return new HistoryIndex(parseSnapshot(b.build()));
}

/** Four closed sprints: goals met, missed and met by the team's verdict, and one without a goal: 2 / 3. */
function goalIndex(): HistoryIndex {
  const b = new SnapshotBuilder('2025-05-12T12:00:00Z');
  const verdict = (outcome: string, fri: string) => ({ goal: 'Ship it', verdict: { outcome, by: 'sm@example.test', at: `${fri}T18:00:00Z` } });
  week(b, 'G1', '2025-04-07', '2025-04-11', verdict('met', '2025-04-11'));
  week(b, 'G2', '2025-04-14', '2025-04-18', verdict('missed', '2025-04-18'));
  week(b, 'G3', '2025-04-21', '2025-04-25', verdict('met', '2025-04-25'));
  week(b, 'G4', '2025-04-28', '2025-05-02');
  return new HistoryIndex(parseSnapshot(b.build()));
}

/** Q-1 in sprint 'ghost', which the snapshot does not describe; Q-2's estimate changed after it was done. */
function qualityIndex(): HistoryIndex {
  const b = new SnapshotBuilder('2025-03-31T12:00:00Z');
  b.item('Q-1', t0).sprints('2025-03-02T10:00:00Z', ['ghost']);
  b.item('Q-2', t0).estimate(t0, 3).status('2025-03-10T10:00:00Z', 'Done').estimate('2025-03-12T10:00:00Z', 5);
  return new HistoryIndex(parseSnapshot(b.build()));
}

/** Azure DevOps iteration 2 (Mon 03-03 09:00): A 8 and B 11 in it at the start (Committed 19), C 1 added at noon
 *  of the start date, so on that day's snapshot (Planned 20). */
function adoIndex(): HistoryIndex {
  const b = new SnapshotBuilder('2025-03-05T12:00:00Z');
  b.sprint({ id: 'ado:iteration:2', name: 'Sprint 2', state: 'active', startAt: '2025-03-03T09:00:00Z', plannedEndAt: '2025-03-14T17:00:00Z' });
  b.item('A', t0).estimate(t0, 8).sprints('2025-03-02T10:00:00Z', ['ado:iteration:2']);
  b.item('B', t0).estimate(t0, 11).sprints('2025-03-02T10:00:00Z', ['ado:iteration:2']);
  b.item('C', t0).estimate(t0, 1).sprints('2025-03-03T12:00:00Z', ['ado:iteration:2']);
  return new HistoryIndex(parseSnapshot(b.build()));
}

const subtaskIndex = () => {
  const b = new SnapshotBuilder('2025-03-31T12:00:00Z', { includeSubtasks: false });
  b.item('S-1', t0, 'subtask');
  return new HistoryIndex(parseSnapshot(b.build()));
};

// ---- The examples and what they state ---------------------------------------------------------------------

const CHECKS: Readonly<Record<string, Check>> = {
  'parseSnapshot(JSON.parse(text)).items.length': { value: () => parseSnapshot(JSON.parse(velocityJson())).items.length, expected: 3 },
  "outcomeRecord('csat', { date: '2026-03-02', score: '6' }, 'r', 'survey.csv line 2')": {
    value: () => outcomeRecord('csat', { date: '2026-03-02', score: '6' }, 'r', 'survey.csv line 2'),
    expected: { problems: [{ column: 'score', message: "a CSAT rating is a whole number from 1 to 5, got '6'" }] },
  },
  "checkCost('12500.50', 'eur')": { value: () => checkCost('12500.50', 'eur'), expected: { ok: true, value: { perSprint: 12500.5, currency: 'EUR' } } },
  "readCostPerSprint('USD 8000')": { value: () => readCostPerSprint('USD 8000'), expected: { ok: true, value: { perSprint: 8000, currency: 'USD' } } },
  "readFeatureLink('search = Release 2.0')": { value: () => readFeatureLink('search = Release 2.0'), expected: { ok: true, value: { feature: 'search', shippedBy: 'Release 2.0' } } },
  "checkOutcomeSettings({ cost: { perSprint: 0, currency: 'EUR' } })": {
    value: () => checkOutcomeSettings({ cost: { perSprint: 0, currency: 'EUR' } }),
    expected: { ok: false, field: 'cost' },
    partial: true,
  },
  "METRIC_OPTIONS.find((o) => o.name === 'velocity.lastN')": {
    value: () => METRIC_OPTIONS.find((o) => o.name === 'velocity.lastN'),
    expected: { type: 'integer', default: 3, min: 1, unit: 'sprints', help: 'closed sprints averaged into the velocity' },
    partial: true,
  },
  "resolveMetricOptions('flow', {}).weeks": { value: () => resolveMetricOptions('flow', {}).weeks, expected: 12 },
  'checkMetricOptions({ flow: { weeks: 0 } })': {
    throws: () => checkMetricOptions({ flow: { weeks: 0 } }),
    message: 'flow: weeks must be a whole number of weeks, 1 or more, got 0',
  },
  'computeMetrics(parseSnapshot(json)).velocity.value?.velocity': { value: () => computeMetrics(parseSnapshot(JSON.parse(velocityJson()))).velocity.value?.velocity, expected: 21.33 },
  'wilsonInterval(8, 10)': { value: () => wilsonInterval(8, 10), expected: [0.49, 0.943] },
  'customerSatisfaction(index, outcomes).value?.csat?.share': {
    // The golden board's asOf is 2026-06-30: the last complete month is May.
    value: () =>
      customerSatisfaction(
        outcomesGoldenIndex(),
        parseOutcomes({ responses: [5, 4, 4, 3, 5].map((score, i) => ({ id: `r${i}`, at: '2026-05-12T10:00:00Z', kind: 'csat', score, source: 'survey' })) }),
      ).value?.csat?.share,
    expected: 0.8,
  },
  'sprintProgress(index).value?.remaining': { value: () => sprintProgress(progressIndex()).value?.remaining, expected: 10 },
  'velocity(new HistoryIndex(snapshot)).value?.velocity': { value: () => velocity(new HistoryIndex(parseSnapshot(JSON.parse(velocityJson())))).value?.velocity, expected: 21.33 },
  'impedimentResolutionTime(index).value?.calendarHours?.median': { value: () => impedimentResolutionTime(impedimentIndex()).value?.calendarHours?.median, expected: 9 },
  'backlogHealth(index).value?.readyDepth': { value: () => backlogHealth(backlogIndex()).value?.readyDepth, expected: 1.3 },
  'releaseImpact(index, outcomes, rp, adoption).value?.csatChange': {
    // The golden board: CSAT twenty 3s before R1 and twenty 5s after, intervals apart.
    value: () => {
      const index = outcomesGoldenIndex();
      return releaseImpact(index, goldenOutcomes, releasePredictability(index), featureAdoption(index, goldenOutcomes)).value?.csatChange;
    },
    expected: 'up',
  },
  "featureAdoption(index, outcomes).details.features[0].at['30']": { value: () => featureAdoption(outcomesGoldenIndex(), goldenOutcomes).details.features[0]!.at['30'], expected: 0.25 },
  'sprintGoalRate(index).value?.rate': { value: () => sprintGoalRate(goalIndex()).value?.rate, expected: 0.667 },
  "timelineValues(item, 'releases')": {
    value: () => {
      const b = new SnapshotBuilder('2025-04-01T00:00:00Z');
      b.item('A-1', '2025-03-01T10:00:00Z').releases('2025-03-01T10:00:00Z', []).releases('2025-03-05T10:00:00Z', ['ado:release:R1']);
      return timelineValues(b.build().items[0]!, 'releases');
    },
    expected: [[], ['ado:release:R1']],
  },
  "kindExclusion(subtask, 'sprint', team)": {
    value: () => {
      const index = subtaskIndex();
      return kindExclusion(index.items[0]!, 'sprint', index.team);
    },
    expected: 'sub-task: its points are not counted (Jira excludes sub-tasks)',
  },
  'releasePredictability(index).value?.predictability': { value: () => releasePredictability(releaseIndex()).value?.predictability, expected: 0.75 },
  "roi(index, { ...outcomes, cost: { perSprint: 10_000, currency: 'EUR' } }).details.epics[0].roi": {
    // The golden board's E-1 costs 8 750 (10 000 x 0.5 + 10 000 x 0.375): a benefit of 13 125 returns 0.5 on it.
    value: () => {
      const outcomes = parseOutcomes({ benefits: [{ date: '2026-05-01', amount: 13_125, currency: 'EUR', epicId: 'test:issue:E-1' }] });
      return roi(outcomesGoldenIndex(), { ...outcomes, cost: { perSprint: 10_000, currency: 'EUR' } }).details.epics[0]!.roi;
    },
    expected: 0.5,
  },
  'flow(index, { weeks: 2 }).value?.throughputPerWeek': { value: () => flow(flowIndex(), { weeks: 2 }).value?.throughputPerWeek, expected: 2 },
  "azureDevOpsLens(index, index.sprint('ado:iteration:2')!).planned.points": {
    value: () => {
      const index = adoIndex();
      const committed = velocity(index).details.active?.committed.points;
      return [azureDevOpsLens(index, index.sprint('ado:iteration:2')!).planned.points, committed];
    },
    expected: [20, 19],
    states: '20 where Committed is 19',
  },
  'dataQuality(index).map((w) => w.code)': { value: () => dataQuality(qualityIndex()).map((w) => w.code), expected: ['changed-after-done', 'unknown-sprint'] },
  "explainChange({ kpi: 'velocity', report }).causes[0]": {
    checkedIn: 'explain/velocity-change.test.ts',
    asserts: ["explainChange({ kpi: 'velocity', report }).causes[0]", "code: 're-estimated'", 'effect: -5', "key: 'D-1'"],
  },
  'goalRateChange(report).change': { checkedIn: 'explain/goal-rate-change.test.ts', asserts: ['goalRateChange(report).change', '-0.083'] },
  "cycleTimeChange(report, { since: '2025-03-17T00:00:00Z' }).causes[0]": {
    checkedIn: 'explain/cycle-time-change.test.ts',
    asserts: ["code: 'status-time'", "subject: 'In Review'", 'effect: 2'],
    setUp: ["cycleTimeChange(report, { since: '2025-03-17T00:00:00Z' })"],
  },
  'velocityChange(report).change': { checkedIn: 'explain/velocity-change.test.ts', asserts: ['velocityChange(report).change', '-1.5'] },
  "forecastChange(earlier, now, { release: '2.4' }).change": {
    checkedIn: 'explain/forecast-change.test.ts',
    asserts: ['e.change).toBe(14)', "'2025-05-13', '2025-05-27'"],
    setUp: ["{ release: '2.4' }"],
  },
  'monteCarlo({ samples: [5], remaining: 12, seed: 1 }).p85': { value: () => monteCarlo({ samples: [5], remaining: 12, seed: 1 }).p85, expected: 3 },
};

describe("core's @example lines", () => {
  const found = examples();

  it('are all checked here, and only those', () => {
    expect(found.length).toBeGreaterThan(20);
    expect(found.map((e) => e.code).sort()).toEqual(Object.keys(CHECKS).sort());
  });

  it.each(found.map((e) => [`${e.file}: ${e.code}`, e] as const))('%s', (_, e) => {
    const check = CHECKS[e.code]!;
    if ('value' in check) {
      if (check.partial) expect(check.value()).toMatchObject(check.expected as object);
      else expect(check.value()).toEqual(check.expected);
      // The comment states the value: an object each of its plain fields, anything else first.
      const expected = check.expected;
      if (check.states !== undefined) expect(e.stated).toContain(check.states);
      else if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
        for (const [k, v] of Object.entries(expected)) if (typeof v !== 'object') expect(e.stated).toContain(`${k}: ${show(v)}`);
      } else expect(e.stated.startsWith(show(expected))).toBe(true);
    } else if ('throws' in check) {
      expect(check.throws).toThrow(check.message);
      expect(e.stated).toBe(`throws "${check.message}"`);
    } else {
      const test = readFileSync(join(ROOT, check.checkedIn), 'utf8');
      const from = test.indexOf("gives the doc comment");
      expect(from).toBeGreaterThan(0);
      const block = test.slice(from, test.indexOf('\n  });', from));
      for (const s of check.asserts) expect(block).toContain(s);
      for (const s of check.setUp ?? []) expect(test).toContain(s);
    }
  });
});
