import { type DashboardConfig, ISSUE_KEY, checkDashboardConfig, reportRecipients } from '@agile-kpi/presentation';
import { ConfigError, reportOptionsKey } from '@agile-kpi/hosted-service';
import type { JiraTeamOptions } from '@agile-kpi/jira';

/**
 * Checks a configuration coming over the bridge (anything a browser can send) and keeps only the fields
 * agile-kpi knows: Jira's own `refresh` and stray UI state are dropped, bad values are refused with the field
 * named. The windows, threshold, view and zone follow the dashboard's shared rules; the board id and the
 * emailed report's settings are the Forge app's own.
 */
export function checkConfig(input: unknown): DashboardConfig {
  const checked = checkDashboardConfig(input);
  if (!checked.ok) throw new ConfigError(checked.message);
  const out: Mutable<DashboardConfig> = { ...checked.config };
  if (out.source !== undefined) boardIdOf(out);
  checkReport((input ?? {}) as Record<string, unknown>, out);
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The emailed report's settings: recipients (account ids or group names), the issue to notify on, cadence. */
function checkReport(raw: Record<string, unknown>, out: Mutable<DashboardConfig>): void {
  const list = raw['reportRecipients'];
  const issue = raw['reportIssueKey'];
  const cadence = raw['reportCadence'];
  if (list !== undefined && list !== null && list !== '') {
    if (!(typeof list === 'string' || (Array.isArray(list) && list.every((x) => typeof x === 'string')))) {
      throw new ConfigError('reportRecipients must be a list of Jira account ids or group names');
    }
    const checked = reportRecipients(Array.isArray(list) ? list.join(',') : list);
    if (!checked.ok) throw new ConfigError(`reportRecipients: ${checked.message}`);
    if (checked.recipients.length) out.reportRecipients = checked.recipients;
  }
  if (issue !== undefined && issue !== null && issue !== '') {
    const key = typeof issue === 'string' ? issue.trim().toUpperCase() : '';
    if (!ISSUE_KEY.test(key)) throw new ConfigError(`reportIssueKey must be a Jira issue key such as TEAM-1, got ${JSON.stringify(issue)}`);
    out.reportIssueKey = key;
  }
  if (cadence !== undefined && cadence !== null && cadence !== '') {
    if (cadence !== 'weekly' && cadence !== 'sprint') throw new ConfigError(`reportCadence must be weekly or sprint, got ${JSON.stringify(cadence)}`);
    out.reportCadence = cadence;
  }
  if (out.reportRecipients && !out.reportIssueKey) throw new ConfigError('reportIssueKey is required with reportRecipients: Jira sends the report as a notification on an issue, e.g. TEAM-1');
}

/** The Jira board id a configuration names; throws when it names none (the gadget is not set up yet). */
export function boardIdOf(config: DashboardConfig): number {
  if (config.source === undefined || config.source === '') {
    throw new ConfigError('this gadget has no board yet: open its settings (Edit) and choose a board', 'not-configured');
  }
  const id = /^\s*\d+\s*$/.test(config.source) ? Number(config.source) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new ConfigError(`source must be a Jira board id (the number in the board URL: .../boards/<id>), got ${JSON.stringify(config.source)}`);
  return id;
}

export function teamOptionsOf(config: DashboardConfig): JiraTeamOptions {
  return config.timeZone ? { timeZone: config.timeZone } : {};
}

/** The report cache's key of a configuration: the days are read in the zone it names, else the board's. */
export function optionsKeyOf(config: DashboardConfig): string {
  return reportOptionsKey(config, config.timeZone ?? null);
}
