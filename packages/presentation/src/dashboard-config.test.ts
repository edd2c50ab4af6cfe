import { type ConfigFormValues, validateConfigForm } from './config-form';
import { METRIC_OPTIONS, checkMetricOptions } from '@agile-kpi/core';
import { CONFIG_LIMITS, checkDashboardConfig, isTimeZone, metricsOptionsOf } from './dashboard-config';

const blank: ConfigFormValues = { source: '', view: '', velocitySprints: '', goalSprints: '', goalThreshold: '', impedimentDays: '', staleDays: '', timeZone: '' };
const refused = (input: unknown) => {
  const r = checkDashboardConfig(input);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(input)}`);
  return r;
};

describe('checkDashboardConfig', () => {
  test('nothing is the default configuration; known fields are kept, parsed, and the rest dropped', () => {
    expect(checkDashboardConfig(undefined)).toEqual({ ok: true, config: {} });
    expect(checkDashboardConfig(null)).toEqual({ ok: true, config: {} });
    expect(
      checkDashboardConfig({ source: ' 42 ', view: 'flow', velocitySprints: '4', goalSprints: 8, goalThreshold: '80%', impedimentDays: ' 30 ', staleDays: 120, timeZone: 'Pacific/Auckland', refresh: 15, reportRecipients: ['leads'] }),
    ).toEqual({ ok: true, config: { source: '42', view: 'flow', velocitySprints: 4, goalSprints: 8, goalThreshold: 0.8, impedimentDays: 30, staleDays: 120, timeZone: 'Pacific/Auckland' } });
  });

  test('blank means the default: undefined, null, empty or spaces, for every field', () => {
    for (const v of [undefined, null, '', '  ']) {
      expect(checkDashboardConfig({ view: v, velocitySprints: v, goalSprints: v, goalThreshold: v, impedimentDays: v, staleDays: v, timeZone: v })).toEqual({ ok: true, config: {} });
    }
  });

  // The copies this check replaced disagreed (Forge: 50 goal sprints, the Azure DevOps extension: 52; both
  // servers: 50 velocity sprints and fractional days, the form: 20 and whole days). The form's ranges are the
  // ones users are shown and packages/dashboard/README.md promises; the servers now keep the same promise.
  test('the ranges the form and the README promise: velocity 1–20, goal 1–52, days 1–3650, whole', () => {
    expect(CONFIG_LIMITS).toMatchObject({
      velocitySprints: { min: 1, max: 20 },
      goalSprints: { min: 1, max: 52 },
      impedimentDays: { min: 1, max: 3650 },
      staleDays: { min: 1, max: 3650 },
    });
    expect(checkDashboardConfig({ velocitySprints: 20, goalSprints: 52, impedimentDays: 3650, staleDays: 1 })).toEqual({ ok: true, config: { velocitySprints: 20, goalSprints: 52, impedimentDays: 3650, staleDays: 1 } });
    expect(refused({ velocitySprints: 21 }).message).toBe('velocitySprints must be a whole number from 1 to 20 (teams usually average the last 3), got 21');
    expect(refused({ goalSprints: 53 }).message).toBe('goalSprints must be a whole number from 1 to 52 (the default is 6), got 53');
    expect(refused({ goalSprints: 0 }).message).toBe('goalSprints must be a whole number from 1 to 52 (the default is 6), got 0');
    expect(refused({ impedimentDays: 0.5 }).message).toBe('impedimentDays must be a whole number from 1 to 3650 (leave it empty for the last 6 sprints), got 0.5');
    expect(refused({ staleDays: '3651' }).message).toBe('staleDays must be a whole number from 1 to 3650 (the default is 90), got "3651"');
  });

  test("the ranges are core's: what the form and the hosts accept, core accepts, and the hints say core's defaults", () => {
    const option = (name: string) => METRIC_OPTIONS.find((o) => o.name === name)!;
    expect([CONFIG_LIMITS.staleDays.max, CONFIG_LIMITS.impedimentDays.max, CONFIG_LIMITS.lensLateDays.max]).toEqual([
      option('backlogHealth.staleDays').max,
      option('impedimentResolutionTime.days').max,
      option('velocity.azureDevOps.lateDaysAfterEnd').max,
    ]);
    // Where core sets no upper limit, the form caps the window itself (and core takes whatever the form takes).
    expect([option('velocity.lastN').max, option('sprintGoalRate.lastN').max]).toEqual([undefined, undefined]);
    expect([CONFIG_LIMITS.velocitySprints.min, CONFIG_LIMITS.goalSprints.min]).toEqual([option('velocity.lastN').min, option('sprintGoalRate.lastN').min]);
    expect(CONFIG_LIMITS.velocitySprints.hint).toContain(`last ${String(option('velocity.lastN').default)}`);
    expect(CONFIG_LIMITS.goalSprints.hint).toBe(`the default is ${String(option('sprintGoalRate.lastN').default)}`);
    expect(CONFIG_LIMITS.staleDays.hint).toBe(`the default is ${String(option('backlogHealth.staleDays').default)}`);
    // Every value the form takes, core takes; below the form's range core refuses too, and above it where core has a limit.
    for (const [field, limit] of Object.entries(CONFIG_LIMITS)) {
      const options = (v: number) => metricsOptionsOf({ [field]: v });
      expect(() => checkMetricOptions(options(limit.min))).not.toThrow();
      expect(() => checkMetricOptions(options(limit.max))).not.toThrow();
      expect(() => checkMetricOptions(options(limit.min - 1))).toThrow(RangeError);
      if (field !== 'velocitySprints' && field !== 'goalSprints') expect(() => checkMetricOptions(options(limit.max + 1))).toThrow(RangeError);
    }
  });

  test('the server and the form refuse the same values, each message naming the field and its range', () => {
    for (const [field, limit] of Object.entries(CONFIG_LIMITS)) {
      for (const bad of [limit.min - 1, limit.max + 1, 2.5]) {
        const server = refused({ [field]: bad });
        expect(server.field).toBe(field);
        expect(server.message).toBe(`${field} must be a whole number from ${limit.min} to ${limit.max} (${limit.hint}), got ${bad}`);
        expect(validateConfigForm({ ...blank, source: '1', [field]: String(bad) })).toEqual({ ok: false, errors: { [field]: `${limit.label} must be a whole number from ${limit.min} to ${limit.max} (${limit.hint}).` } });
      }
      for (const good of [limit.min, limit.max]) {
        expect(checkDashboardConfig({ [field]: good })).toEqual({ ok: true, config: { [field]: good } });
        expect(validateConfigForm({ ...blank, source: '1', [field]: String(good) })).toEqual({ ok: true, config: { source: '1', [field]: good } });
      }
    }
  });

  test('numbers as digits only: no exponents, hex, decimals written out, booleans or lists', () => {
    for (const bad of ['1e1', '0x10', '5.0', '-3', true, [5], {}]) expect(refused({ velocitySprints: bad }).field).toBe('velocitySprints');
  });

  test('the goal threshold: a ratio in (0, 1], or a percentage', () => {
    expect(checkDashboardConfig({ goalThreshold: 0.75 })).toEqual({ ok: true, config: { goalThreshold: 0.75 } });
    expect(checkDashboardConfig({ goalThreshold: ' 1 ' })).toEqual({ ok: true, config: { goalThreshold: 1 } });
    expect(checkDashboardConfig({ goalThreshold: '57%' })).toEqual({ ok: true, config: { goalThreshold: 0.57 } });
    expect(checkDashboardConfig({ goalThreshold: '33.3 %' })).toEqual({ ok: true, config: { goalThreshold: 0.333 } });
    for (const bad of [0, 1.5, '150%', '0%', '%', 'most', true]) {
      expect(refused({ goalThreshold: bad }).message).toBe(`goalThreshold must be a ratio above 0 and at most 1, such as 0.8 (or a percentage such as 80%), got ${JSON.stringify(bad)}`);
    }
  });

  test('the view and the time zone, with the value echoed', () => {
    expect(checkDashboardConfig({ view: ' sprintGoalRate ', timeZone: 'America/New_York' })).toEqual({ ok: true, config: { view: 'sprintGoalRate', timeZone: 'America/New_York' } });
    expect(refused({ view: 'burnup' })).toEqual({ ok: false, field: 'view', message: 'view must be one of velocity, sprintGoalRate, impediments, sprintProgress, backlogHealth, releasePredictability, flow, customerOutcomes, got "burnup"' });
    expect(refused({ view: 3 }).field).toBe('view');
    expect(refused({ timeZone: 'Mars/Olympus' })).toEqual({ ok: false, field: 'timeZone', message: 'timeZone must be an IANA time zone such as Europe/Berlin or America/New_York, got "Mars/Olympus"' });
    expect(isTimeZone('Europe/Berlin')).toBe(true);
  });

  test('not an object: refused with what arrived', () => {
    expect(refused(42)).toEqual({ ok: false, message: 'the configuration must be an object, got 42' });
    expect(refused('x').message).toBe('the configuration must be an object, got "x"');
    expect(refused([]).message).toBe('the configuration must be an object, got []');
  });
});

describe('metricsOptionsOf', () => {
  test('each setting reaches its metric; unset ones leave core’s defaults', () => {
    expect(metricsOptionsOf({})).toEqual({ velocity: {}, sprintGoalRate: {}, impedimentResolutionTime: {}, backlogHealth: {} });
    expect(metricsOptionsOf({ source: '42', view: 'flow', velocitySprints: 4, goalSprints: 8, goalThreshold: 0.7, impedimentDays: 30, staleDays: 60, timeZone: 'UTC' })).toEqual({
      velocity: { lastN: 4 },
      sprintGoalRate: { lastN: 8, inferredThreshold: 0.7 },
      impedimentResolutionTime: { days: 30 },
      backlogHealth: { staleDays: 60 },
    });
  });
});
