import { AdoError, adoHttpError } from '@agile-kpi/azure-devops';
import { ConfigError, reportOptionsKey as optionsKeyOf } from '@agile-kpi/hosted-service';
import { checkConfig, customSettingsOf, widgetConfigOf } from '../../packages/azure-devops-extension/src/config';
import { ExtensionDataError } from '../../packages/azure-devops-extension/src/extension-data';
import { hostError } from '../../packages/azure-devops-extension/src/host-error';
import { TokenError } from '../../packages/azure-devops-extension/src/rest-client-transport';
import { isDark } from '../../packages/azure-devops-extension/src/theme';
import { chooseTimeZone, ianaOf } from '../../packages/azure-devops-extension/src/time-zone';

it('reads a widget’s custom settings: none is the default, nonsense names the fix', () => {
  expect(widgetConfigOf(undefined)).toEqual({});
  expect(widgetConfigOf({ customSettings: { data: null } })).toEqual({});
  expect(widgetConfigOf({ customSettings: { data: '' } })).toEqual({});
  expect(widgetConfigOf({ customSettings: customSettingsOf({ view: 'flow', staleDays: 30 }) })).toEqual({ view: 'flow', staleDays: 30 });
  expect(() => widgetConfigOf({ customSettings: { data: '{oops' } })).toThrow(/open its Configure panel and save them again/);
  expect(() => checkConfig({ view: 'burnup' })).toThrow(ConfigError);
  expect(() => checkConfig({ goalSprints: 0 })).toThrow(/goalSprints must be a whole number from 1 to 52/);
  expect(checkConfig({ goalThreshold: '0.7', extra: 1, source: ' SIM/SIM Team ' })).toEqual({ goalThreshold: 0.7, source: 'SIM/SIM Team' });
  expect(optionsKeyOf({ view: 'flow' }, 'UTC')).toBe(optionsKeyOf({ view: 'velocity' }, 'UTC'));
  expect(optionsKeyOf({}, 'UTC')).not.toBe(optionsKeyOf({}, 'Europe/Berlin'));
});

it('chooses the team’s zone: saved settings, then the profile (Windows ids mapped), then the browser, then UTC', () => {
  expect(chooseTimeZone({ configured: 'Asia/Tokyo', profile: 'W. Europe Standard Time', browser: 'UTC' })).toEqual({ zone: 'Asia/Tokyo', from: 'settings' });
  expect(chooseTimeZone({ profile: 'W. Europe Standard Time', browser: 'UTC' })).toEqual({ zone: 'Europe/Berlin', from: 'profile' });
  expect(chooseTimeZone({ profile: 'America/Chicago' })).toEqual({ zone: 'America/Chicago', from: 'profile' });
  expect(chooseTimeZone({ profile: 'Nowhere Standard Time', browser: 'Europe/Paris' })).toEqual({ zone: 'Europe/Paris', from: 'browser' });
  expect(chooseTimeZone({})).toEqual({ zone: 'UTC', from: 'utc' });
  expect(ianaOf('India Standard Time')).toBe('Asia/Kolkata');
});

it('tells light from dark by the theme’s background', () => {
  expect(isDark('rgb(32, 31, 30)')).toBe(true);
  expect(isDark('rgba(255, 255, 255, 1)')).toBe(false);
  expect(isDark('rgba(0, 0, 0, 0)')).toBe(false);
  expect(isDark('')).toBe(false);
});

it('words every failure for a page that reads with the viewer’s own sign-in', () => {
  const ctx = { site: 'https://dev.azure.com/x', principal: 'the viewer', what: 'read the team', path: '/x' };
  expect(hostError(adoHttpError(403, { message: 'TF401027: You need the Read permission.' }, ctx))).toEqual({
    kind: 'forbidden',
    message: "Azure DevOps does not let you read this team's work items (HTTP 403). agile-kpi reads them with your own access (Work Items: Read); ask a project administrator for it. Azure DevOps said: TF401027: You need the Read permission.",
  });
  // What Azure DevOps said comes from the error's field, not from the adapter's wording of its message.
  expect(hostError(new AdoError('not-found', 'could not read the team', { status: 404, trackerMessage: 'VS800075: The project does not exist.' })).message).toMatch(/ Azure DevOps said: VS800075: The project does not exist\.$/);
  expect(hostError(new AdoError('auth', 'the personal access token was rejected: check AZURE_DEVOPS_PAT')).message).not.toMatch(/PAT|personal access token/);
  expect(hostError(new TokenError('the host refused'))).toMatchObject({ kind: 'auth', message: expect.stringMatching(/no access token \(the host refused\).*sign in again/) });
  expect(hostError(new ExtensionDataError(403, 'x')).kind).toBe('forbidden');
  expect(hostError(new Error('bug'))).toEqual({ kind: 'internal', message: 'agile-kpi failed unexpectedly; the details are in the browser console (F12).' });
});
