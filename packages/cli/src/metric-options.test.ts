import { METRIC_OPTIONS } from '@agile-kpi/core';
import { Command } from 'commander';
import { CliError } from './cli-error';
import { addMetricOptions, applyOverrides, metricOptions, snapshotOverrides } from './metric-options';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as Error).message;
  }
  throw new Error('expected a CliError');
}

describe('metricOptions', () => {
  test('no options: only the forecast seed (42, so that metrics reproduces demo); core applies its defaults', () => {
    expect(metricOptions({})).toEqual({
      velocity: {},
      sprintGoalRate: {},
      impedimentResolutionTime: {},
      backlogHealth: {},
      flow: {},
      releasePredictability: { seed: 42 },
      customerSatisfaction: { seed: 42 },
      featureAdoption: {},
      releaseImpact: { seed: 42 },
    });
  });

  test('every flag lands on its metric option', () => {
    expect(
      metricOptions({
        velocitySprints: '5',
        goalSprints: '4',
        goalThreshold: '0.75',
        impedimentSprints: '3',
        staleDays: '60',
        readyDepthMode: 'all-ready',
        flowWeeks: '8',
        releaseTrials: '2000',
        seed: '7',
        adoptionTarget: '0.25',
        impactWeeks: '6',
      }),
    ).toEqual({
      velocity: { lastN: 5 },
      sprintGoalRate: { lastN: 4, inferredThreshold: 0.75 },
      impedimentResolutionTime: { sprints: 3 },
      backlogHealth: { staleDays: 60, readyDepthMode: 'all-ready' },
      flow: { weeks: 8 },
      releasePredictability: { trials: 2000, seed: 7 },
      customerSatisfaction: { seed: 7 },
      featureAdoption: { target: 0.25 },
      releaseImpact: { weeks: 6, seed: 7 },
    });
    expect(metricOptions({ impedimentDays: '14.5' }).impedimentResolutionTime).toEqual({ days: 14.5 });
    expect(metricOptions({ lensPlannedDays: '1', lensLateDays: '2' }).velocity).toEqual({ azureDevOps: { plannedDaysAfterStart: 1, lateDaysAfterEnd: 2 } });
    expect(metricOptions({ lensLateDays: '0' }).velocity).toEqual({ azureDevOps: { lateDaysAfterEnd: 0 } });
  });

  test('bad values are named with the flag and the value as typed', () => {
    expect(message(() => metricOptions({ velocitySprints: 'abc' }))).toBe("--velocity-sprints must be a whole number >= 1, got 'abc'");
    expect(message(() => metricOptions({ velocitySprints: '0' }))).toBe("--velocity-sprints must be a whole number >= 1, got '0'");
    expect(message(() => metricOptions({ lensLateDays: '31' }))).toMatch(/^--lens-late-days must be a whole number .*31/);
    expect(message(() => metricOptions({ goalSprints: '2.5' }))).toBe("--goal-sprints must be a whole number >= 1, got '2.5'");
    expect(message(() => metricOptions({ goalThreshold: '1.2' }))).toBe("--goal-threshold must be a ratio above 0 and at most 1, e.g. 0.8, got '1.2'");
    expect(message(() => metricOptions({ goalThreshold: '0' }))).toBe("--goal-threshold must be a ratio above 0 and at most 1, e.g. 0.8, got '0'");
    expect(message(() => metricOptions({ staleDays: '-3' }))).toBe("--stale-days must be a number > 0, got '-3'");
    expect(message(() => metricOptions({ readyDepthMode: 'top' }))).toBe("--ready-depth-mode must be one of top-run, all-ready, got 'top'");
    expect(message(() => metricOptions({ releaseTrials: '1e9' }))).toBe("--release-trials must be a whole number from 1 to 1000000, got '1e9'");
    expect(message(() => metricOptions({ seed: '-1' }))).toBe("--seed must be a whole number from 0 to 2147483647, got '-1'");
    expect(message(() => metricOptions({ flowWeeks: '' }))).toBe("--flow-weeks must be a whole number >= 1, got ''");
    expect(message(() => metricOptions({ adoptionTarget: '20%' }))).toBe("--adoption-target must be a ratio above 0 and at most 1, e.g. 0.8, got '20%'");
    expect(message(() => metricOptions({ impactWeeks: '27' }))).toBe("--impact-weeks must be a whole number from 1 to 26, got '27'");
  });

  test("each flag's help and default are core's (METRIC_OPTIONS)", () => {
    const cmd = addMetricOptions(new Command(), 'the seed of every random source');
    const help = (flag: string) => cmd.options.find((o) => o.long === flag)?.description;
    expect(help('--velocity-sprints')).toBe('closed sprints averaged into the velocity (default 3)');
    expect(help('--ready-depth-mode')).toBe('top-run: ready work from the top until the first unready item; all-ready: every ready item (default top-run)');
    expect(help('--impediment-days')).toBe('impediment window in days (default: the last 6 sprints; 90 days when the team has no sprints)');
    expect(help('--seed')).toBe('the seed of every random source');
    const trials = METRIC_OPTIONS.find((o) => o.name === 'releasePredictability.trials')!;
    expect(help('--release-trials')).toBe(`${trials.help} (default ${trials.default})`);
    expect(cmd.options.map((o) => o.long)).toHaveLength(16);
  });

  test('the impediment window is either days or sprints', () => {
    expect(message(() => metricOptions({ impedimentDays: '30', impedimentSprints: '3' }))).toMatch(/give one of them/);
  });
});

describe('snapshot overrides', () => {
  test('--as-of must be an instant with an offset; --time-zone an IANA zone', () => {
    expect(snapshotOverrides({ asOf: '2025-03-01T12:00:00Z', timeZone: 'Pacific/Auckland' })).toEqual({
      asOf: '2025-03-01T12:00:00Z',
      timeZone: 'Pacific/Auckland',
    });
    expect(message(() => snapshotOverrides({ asOf: '2025-03-01' }))).toMatch(/^--as-of must be an ISO-8601 instant with an offset, .* got '2025-03-01'$/);
    expect(message(() => snapshotOverrides({ asOf: '2025-02-30T12:00:00Z' }))).toMatch(/got '2025-02-30T12:00:00Z'$/);
    expect(message(() => snapshotOverrides({ timeZone: 'Mars/Olympus' }))).toBe("--time-zone must be an IANA time zone, e.g. Europe/Berlin or UTC, got 'Mars/Olympus'");
  });

  test('overrides replace asOf and team.timeZone in the raw input without touching the rest', () => {
    const input = { asOf: '2025-01-01T00:00:00Z', team: { id: 't', timeZone: 'UTC' }, items: [] };
    expect(applyOverrides(input, { asOf: '2025-02-01T00:00:00Z', timeZone: 'Asia/Tokyo' })).toEqual({
      asOf: '2025-02-01T00:00:00Z',
      team: { id: 't', timeZone: 'Asia/Tokyo' },
      items: [],
    });
    expect(input.team.timeZone).toBe('UTC');
    expect(applyOverrides([1], { asOf: 'x' })).toEqual([1]);
  });
});
