import { type ConfigFormValues, configToForm, isTimeZone, validateConfigForm } from './config-form';
import { metricsOptionsOf, reportOptionsKey } from './dashboard-config';

const blank: ConfigFormValues = { source: '', view: '', velocitySprints: '', goalSprints: '', goalThreshold: '', impedimentDays: '', staleDays: '', timeZone: '' };
const sources = [
  { id: '42', name: 'Team board' },
  { id: 'Fabrikam/Web', name: 'Web (Fabrikam)' },
];

describe('validateConfigForm', () => {
  test('a source alone is a valid configuration: blank numbers mean the defaults', () => {
    expect(validateConfigForm({ ...blank, source: '42' }, { sources })).toEqual({ ok: true, config: { source: '42' } });
  });

  test('every field, parsed', () => {
    const values = { source: 'Fabrikam/Web', view: 'flow', velocitySprints: '4', goalSprints: ' 8 ', goalThreshold: '80%', impedimentDays: '30', staleDays: '120', timeZone: 'Pacific/Auckland' };
    expect(validateConfigForm(values, { requireView: true, sources })).toEqual({
      ok: true,
      config: { source: 'Fabrikam/Web', view: 'flow', velocitySprints: 4, goalSprints: 8, goalThreshold: 0.8, impedimentDays: 30, staleDays: 120, timeZone: 'Pacific/Auckland' },
    });
    expect(validateConfigForm({ ...values, goalThreshold: '0.75' })).toMatchObject({ ok: true, config: { goalThreshold: 0.75 } });
  });

  test('clear messages naming the fix', () => {
    const result = validateConfigForm(
      { source: '', view: '', velocitySprints: '2.5', goalSprints: '0', goalThreshold: '1.5', impedimentDays: 'ninety', staleDays: '99999', timeZone: 'Mars/Olympus' },
      { requireView: true },
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        source: 'Choose the board or team to measure.',
        view: 'Choose the view this gadget shows.',
        velocitySprints: 'Velocity sprints must be a whole number from 1 to 20 (teams usually average the last 3).',
        goalSprints: 'Goal sprints must be a whole number from 1 to 52 (the default is 6).',
        goalThreshold: 'The goal threshold must be a ratio above 0 and at most 1, such as 0.8 (or a percentage such as 80%).',
        impedimentDays: 'Impediment days must be a whole number from 1 to 3650 (leave it empty for the last 6 sprints).',
        staleDays: 'Stale days must be a whole number from 1 to 3650 (the default is 90).',
        timeZone: '“Mars/Olympus” is not a time zone: use an IANA name such as Europe/Berlin or America/New_York.',
      },
    });
  });

  test('a source the host did not list, an unknown view, a zero threshold', () => {
    const r = validateConfigForm({ ...blank, source: '7', view: 'burnup', goalThreshold: '0' }, { sources });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.source).toBe('Choose one of the listed boards or teams.');
      expect(r.errors.view).toMatch(/^Choose one of the views: velocity, sprintGoalRate/);
      expect(r.errors.goalThreshold).toMatch(/above 0/);
    }
    // Without a list (the host could not list its sources) any source is taken as typed.
    expect(validateConfigForm({ ...blank, source: '7' })).toEqual({ ok: true, config: { source: '7' } });
  });

  test("the Azure DevOps lens's offsets: whole days from 0 to 30, handed to velocity", () => {
    const ok = validateConfigForm({ ...blank, source: '42', lensPlannedDays: '0', lensLateDays: '3' });
    expect(ok).toEqual({ ok: true, config: { source: '42', lensPlannedDays: 0, lensLateDays: 3 } });
    expect(ok.ok && metricsOptionsOf(ok.config).velocity).toEqual({ azureDevOps: { plannedDaysAfterStart: 0, lateDaysAfterEnd: 3 } });
    const bad = validateConfigForm({ ...blank, source: '42', lensLateDays: '31' });
    expect(!bad.ok && bad.errors.lensLateDays).toMatch(/^Late after \(days\) must be a whole number from 0 to 30/);
    // A report's cache key follows every option the metrics read: another offset, another report.
    expect(reportOptionsKey({ lensLateDays: 1 }, 'UTC')).not.toBe(reportOptionsKey({ lensLateDays: 2 }, 'UTC'));
    expect(reportOptionsKey({}, 'UTC')).toBe(reportOptionsKey({ view: 'flow' }, 'UTC'));
  });

  test('the form starts from a saved configuration', () => {
    expect(configToForm({ source: '42', goalThreshold: 0.8, timeZone: 'Europe/Berlin' })).toEqual({ ...blank, source: '42', goalThreshold: '0.8', lensPlannedDays: '', lensLateDays: '', timeZone: 'Europe/Berlin' });
    expect(configToForm({ lensPlannedDays: 0, lensLateDays: 2 })).toMatchObject({ lensPlannedDays: '0', lensLateDays: '2' });
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Nowhere/City')).toBe(false);
  });
});
