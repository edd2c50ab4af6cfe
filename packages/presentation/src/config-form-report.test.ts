import { configToForm, validateConfigForm } from './config-form';

/** The emailed report's settings in the gadget's edit view (Forge): recipients, the issue to notify on, cadence. */
const blank = configToForm({ source: '42' });

test('recipients need an issue to notify on; both are kept with the cadence', () => {
  expect(validateConfigForm({ ...blank, reportRecipients: '5b10a2844c20165700ede21g, team-leads\nteam-leads' })).toEqual({
    ok: false,
    errors: { reportIssueKey: expect.stringMatching(/^Jira sends the report as a notification on an issue/) },
  });
  expect(validateConfigForm({ ...blank, reportRecipients: '5b10a2844c20165700ede21g, team-leads', reportIssueKey: 'team-1', reportCadence: 'sprint' })).toEqual({
    ok: true,
    config: { source: '42', reportRecipients: ['5b10a2844c20165700ede21g', 'team-leads'], reportIssueKey: 'TEAM-1', reportCadence: 'sprint' },
  });
});

test('an issue key without recipients, a bad key or cadence are named', () => {
  expect(validateConfigForm({ ...blank, reportIssueKey: 'TEAM-1' })).toMatchObject({ ok: false, errors: { reportRecipients: expect.any(String) } });
  expect(validateConfigForm({ ...blank, reportRecipients: 'leads', reportIssueKey: 'TEAM 1' })).toMatchObject({ ok: false, errors: { reportIssueKey: '“TEAM 1” is not an issue key: use one like TEAM-1.' } });
  expect(validateConfigForm({ ...blank, reportRecipients: 'leads', reportIssueKey: 'T-1', reportCadence: 'daily' })).toMatchObject({ ok: false, errors: { reportCadence: 'Choose weekly or after each sprint.' } });
});

test('the form shows saved report settings, and none when there are none', () => {
  expect(configToForm({ source: '42', reportRecipients: ['a', 'b'], reportIssueKey: 'T-1', reportCadence: 'weekly' })).toMatchObject({ reportRecipients: 'a, b', reportIssueKey: 'T-1', reportCadence: 'weekly' });
  expect(Object.keys(configToForm({ source: '42' }))).not.toContain('reportRecipients');
});
