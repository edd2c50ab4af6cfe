import { METRIC_OPTIONS, type MetricOptionDescriptor, type MetricsOptions } from '@agile-kpi/core';
import { CONFIG_LIMITS, type DashboardConfig } from '@agile-kpi/presentation';
import { metricOptionsKey, reportOptionsKey } from './report-key';

/** A value the option accepts that is not its default. */
function otherValue(d: MetricOptionDescriptor): unknown {
  switch (d.type) {
    case 'choice':
      return d.choices!.find((c) => c !== d.default);
    case 'text':
      return 'another';
    case 'integers':
      return [(d.min ?? 1) + 1];
    case 'integer':
    case 'number': {
      const base = typeof d.default === 'number' ? d.default : (d.min ?? 0) + 1;
      if (d.max !== undefined && base + 1 > d.max) return d.type === 'integer' ? base - 1 : base / 2;
      return typeof d.default === 'number' ? base + 1 : base;
    }
  }
}

/** `{ [metric]: { a: { b: value } } }` for option `a.b`. */
function optionsWith(d: MetricOptionDescriptor, value: unknown): MetricsOptions {
  const path = d.option.split('.');
  let inner: unknown = value;
  for (const key of [...path].reverse()) inner = { [key]: inner };
  return { [d.metric]: inner } as MetricsOptions;
}

describe('the report cache key', () => {
  const none = metricOptionsKey({}, 'UTC');

  it.each(METRIC_OPTIONS.map((d) => [d.name, d] as const))('changes when %s changes', (_name, d) => {
    const value = otherValue(d);
    expect(value).toBeDefined();
    expect(metricOptionsKey(optionsWith(d, value), 'UTC')).not.toBe(none);
  });

  it.each(METRIC_OPTIONS.filter((d) => d.default !== null).map((d) => [d.name, d] as const))('is the same with %s left out or set to its default', (_name, d) => {
    expect(metricOptionsKey(optionsWith(d, d.default), 'UTC')).toBe(none);
  });

  it('covers every option of the schema: a key names each of them', () => {
    const key = JSON.parse(none) as [Record<string, Record<string, unknown>>, string];
    for (const d of METRIC_OPTIONS.filter((o) => o.default !== null)) {
      const at = d.option.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], key[0][d.metric]);
      expect([d.name, at]).toEqual([d.name, d.default]);
    }
  });

  it('does not depend on the order options were written in, and changes with the zone', () => {
    expect(metricOptionsKey({ velocity: { lastN: 4, historyCount: 8 } }, 'UTC')).toBe(metricOptionsKey({ velocity: { historyCount: 8, lastN: 4 } }, 'UTC'));
    expect(metricOptionsKey({}, 'Europe/Berlin')).not.toBe(none);
    expect(metricOptionsKey({}, null)).not.toBe(none);
  });

  it('refuses options core refuses, naming the option', () => {
    expect(() => metricOptionsKey({ flow: { weeks: 0 } }, 'UTC')).toThrow(/flow: weeks must be/);
  });

  it("changes with each field of a dashboard configuration that the metrics read, and not with the view", () => {
    const base = reportOptionsKey({}, 'UTC');
    for (const [field, limit] of Object.entries(CONFIG_LIMITS)) {
      const keys = new Set([base, reportOptionsKey({ [field]: limit.min } as DashboardConfig, 'UTC'), reportOptionsKey({ [field]: limit.max } as DashboardConfig, 'UTC')]);
      // One of the two ends may be the metric's own default (the same report): the other is not.
      expect([field, keys.size > 1]).toEqual([field, true]);
    }
    expect(reportOptionsKey({ goalThreshold: 0.5 }, 'UTC')).not.toBe(base);
    expect(reportOptionsKey({ view: 'flow' }, 'UTC')).toBe(reportOptionsKey({ view: 'velocity' }, 'UTC'));
  });
});
