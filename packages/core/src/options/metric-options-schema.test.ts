import { computeMetrics } from '../compute-metrics';
import type { MetricsOptions } from '../compute-metrics';
import { backlogHealth } from '../metrics/backlog-health';
import { releasePredictability } from '../metrics/release-predictability';
import { outcomesGoldenIndex, outcomesGoldenSnapshot } from '../testing/outcomes-golden';
import type { z } from 'zod';
import { METRIC_OPTIONS, MetricOptionError, type MetricOptionDescriptor, checkMetricOptions, metricOptionsSchema, optionRule, resolveMetricOptions } from './metric-options-schema';

/**
 * Type-level: each metric's options interface (with its doc comments) and its schema name the same options, so an
 * option added to one and not the other fails the type check (tsconfig.test.json).
 */
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type SchemaOf<M extends keyof MetricsOptions> = NonNullable<z.input<typeof metricOptionsSchema>[M]>;
type EachMetric = { [M in keyof MetricsOptions]-?: SameKeys<NonNullable<MetricsOptions[M]>, SchemaOf<M>> };
const sameOptions: EachMetric = {
  velocity: true,
  sprintGoalRate: true,
  impedimentResolutionTime: true,
  sprintProgress: true,
  backlogHealth: true,
  releasePredictability: true,
  flow: true,
  customerSatisfaction: true,
  featureAdoption: true,
  releaseImpact: true,
};

/** `{ a: { b: v } }` for the option path `a.b`. */
function optionAt(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

function refusal(d: MetricOptionDescriptor, value: unknown): MetricOptionError {
  try {
    resolveMetricOptions(d.metric, optionAt(d.option, value));
  } catch (e) {
    if (e instanceof MetricOptionError) return e;
    throw e;
  }
  throw new Error(`${d.name} = ${JSON.stringify(value)} was accepted`);
}

describe('the metric options schema', () => {
  it('lists every option of every metric of MetricsOptions', () => {
    expect([...new Set(METRIC_OPTIONS.map((d) => d.metric))].sort()).toEqual(Object.keys(sameOptions).sort());
    expect(METRIC_OPTIONS.map((d) => d.name)).toEqual([
      'velocity.lastN',
      'velocity.historyCount',
      'velocity.azureDevOps.plannedDaysAfterStart',
      'velocity.azureDevOps.lateDaysAfterEnd',
      'sprintGoalRate.lastN',
      'sprintGoalRate.inferredThreshold',
      'impedimentResolutionTime.sprints',
      'impedimentResolutionTime.days',
      'impedimentResolutionTime.staleOpenDays',
      'sprintProgress.sprintId',
      'backlogHealth.staleDays',
      'backlogHealth.readyDepthMode',
      'backlogHealth.estimatedHorizonSprints',
      'backlogHealth.growthSprints',
      'releasePredictability.lastN',
      'releasePredictability.basis',
      'releasePredictability.forecastSprints',
      'releasePredictability.forecastWeeks',
      'releasePredictability.trials',
      'releasePredictability.seed',
      'flow.weeks',
      'customerSatisfaction.trendPeriods',
      'customerSatisfaction.seed',
      'featureAdoption.target',
      'featureAdoption.days',
      'releaseImpact.weeks',
      'releaseImpact.seed',
    ]);
    for (const d of METRIC_OPTIONS) {
      expect(d.help).not.toBe('');
      expect(d.unit).not.toBe('');
      // An option without a fixed default says what applies instead.
      if (d.default === null) expect(d.defaultText).toBeDefined();
    }
  });

  it('publishes the defaults, limits and help the metrics use', () => {
    const byName = new Map(METRIC_OPTIONS.map((d) => [d.name, d]));
    expect(byName.get('velocity.lastN')).toEqual({
      name: 'velocity.lastN',
      metric: 'velocity',
      option: 'lastN',
      type: 'integer',
      default: 3,
      min: 1,
      unit: 'sprints',
      help: 'closed sprints averaged into the velocity',
    });
    expect(byName.get('velocity.azureDevOps.lateDaysAfterEnd')).toMatchObject({ type: 'integer', default: 0, min: 0, max: 30 });
    expect(byName.get('sprintGoalRate.inferredThreshold')).toMatchObject({ type: 'number', default: 0.8, min: 0, minExclusive: true, max: 1 });
    expect(byName.get('backlogHealth.readyDepthMode')).toMatchObject({ type: 'choice', default: 'top-run', choices: ['top-run', 'all-ready'] });
    expect(byName.get('releasePredictability.trials')).toMatchObject({ default: 10_000, min: 1, max: 1_000_000 });
    expect(byName.get('releasePredictability.seed')).toMatchObject({ default: 42, min: 0, max: 2 ** 31 - 1 });
    expect(byName.get('featureAdoption.days')).toMatchObject({ type: 'integers', default: [7, 30, 90], min: 1 });
    expect(byName.get('impedimentResolutionTime.days')).toMatchObject({ default: null, defaultText: 'the last 6 sprints; 90 days when the team has no sprints' });
  });

  it('fills in the published defaults when an option is left out', () => {
    for (const d of METRIC_OPTIONS) {
      const resolved = resolveMetricOptions(d.metric, {});
      const value = d.option.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], resolved);
      expect([d.name, value]).toEqual([d.name, d.default ?? undefined]);
    }
  });

  it('accepts every option at its limits and refuses it just outside them, naming it', () => {
    for (const d of METRIC_OPTIONS) {
      const named = (value: unknown) => {
        const e = refusal(d, value);
        expect(e).toBeInstanceOf(RangeError);
        expect([e.metric, e.option]).toEqual([d.metric, d.option]);
        expect(e.message).toBe(`${d.metric}: ${d.option} must be ${optionRule(d)}, got ${JSON.stringify(value)}`);
      };
      const accepts = (value: unknown) => expect(() => resolveMetricOptions(d.metric, optionAt(d.option, value))).not.toThrow();
      switch (d.type) {
        case 'integer':
          accepts(d.min);
          named(d.min! - 1);
          named(d.min! + 0.5);
          if (d.max !== undefined) {
            accepts(d.max);
            named(d.max + 1);
          }
          break;
        case 'number':
          named(d.min);
          accepts(d.min! + 0.01);
          if (d.max !== undefined) {
            accepts(d.max);
            named(d.max + 0.01);
          }
          named('3');
          break;
        case 'choice':
          for (const c of d.choices!) accepts(c);
          named('none of them');
          break;
        case 'integers':
          accepts([d.min]);
          named([d.min! - 1]);
          named([]);
          break;
        case 'text':
          accepts('S1');
          named(5);
          break;
      }
    }
  });

  it('says the rule in words', () => {
    const rule = (name: string) => optionRule(METRIC_OPTIONS.find((d) => d.name === name)!);
    expect(rule('backlogHealth.growthSprints')).toBe('a whole number of sprints, 1 or more');
    expect(rule('releaseImpact.weeks')).toBe('a whole number of weeks from 1 to 26');
    expect(rule('sprintGoalRate.inferredThreshold')).toBe('a ratio above 0 and at most 1, e.g. 0.8');
    expect(rule('backlogHealth.staleDays')).toBe('a positive number of days up to 3650, e.g. 90');
    expect(rule('backlogHealth.readyDepthMode')).toBe('one of top-run, all-ready');
    expect(rule('featureAdoption.days')).toBe('a list of whole numbers of days, each 1 or more');
  });

  it('refuses options that are not an object', () => {
    expect(() => resolveMetricOptions('velocity', { azureDevOps: 3 })).toThrow('velocity: azureDevOps must be an object of options, got 3');
    expect(() => resolveMetricOptions('flow', 'weekly')).toThrow('flow: the options must be an object, got "weekly"');
    expect(() => checkMetricOptions(null)).toThrow('metric options must be an object keyed by metric, got null');
  });

  it('checks a whole configuration and hands it back as given', () => {
    const options: MetricsOptions = { velocity: { lastN: 5 }, flow: { weeks: 8 } };
    expect(checkMetricOptions(options)).toBe(options);
    expect(() => checkMetricOptions({ velocity: { lastN: 5 }, releaseImpact: { weeks: 27 } })).toThrow(
      'releaseImpact: weeks must be a whole number of weeks from 1 to 26, got 27',
    );
  });
});

describe('core refuses an out-of-range option instead of reading it as "all"', () => {
  // slice(-0) is slice(0): a window of 0 sprints used to become every sprint, silently.
  it('backlog health: growthSprints 0', () => {
    expect(() => backlogHealth(outcomesGoldenIndex(), { growthSprints: 0 })).toThrow(
      new RangeError('backlogHealth: growthSprints must be a whole number of sprints, 1 or more, got 0'),
    );
    // The board has two closed sprints: a window of 1 reads the last one only, the default (3) both.
    expect(backlogHealth(outcomesGoldenIndex(), { growthSprints: 1 }).details.growth.map((g) => g.name)).toEqual(['S2']);
    expect(backlogHealth(outcomesGoldenIndex()).details.growth.map((g) => g.name)).toEqual(['S1', 'S2']);
  });

  it('release predictability: forecastSprints 0', () => {
    expect(() => releasePredictability(outcomesGoldenIndex(), { forecastSprints: 0 })).toThrow(
      new RangeError('releasePredictability: forecastSprints must be a whole number of sprints, 1 or more, got 0'),
    );
    // R2 is open: its forecast samples the last sprint's completed points (A-2 3 + B-2 5 = 8) with a window of 1.
    expect(releasePredictability(outcomesGoldenIndex(), { forecastSprints: 1 }).details.releases.find((r) => r.name === 'R2')?.forecast?.samples).toEqual([8]);
  });

  it('computeMetrics passes the refusal on', () => {
    expect(() => computeMetrics(outcomesGoldenSnapshot(), { releasePredictability: { forecastSprints: 0 } })).toThrow(MetricOptionError);
    expect(() => computeMetrics(outcomesGoldenSnapshot(), { featureAdoption: { days: [] } })).toThrow('featureAdoption: days must be');
  });
});
