import type { MetricsOptions } from '@agile-kpi/core';
import { type DashboardConfig, ISSUE_KEY, type ViewName, reportRecipients } from '@agile-kpi/dashboard';
import type { JiraTeamOptions } from '@agile-kpi/jira';
import { GADGET_VIEWS } from './gadget-modules';

const VIEWS: readonly string[] = Object.values(GADGET_VIEWS);

/** A configuration the user must fix, with a message that names the field and the fix. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'not-configured' = 'invalid',
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Checks a configuration coming over the bridge (anything a browser can send) and keeps only the fields
 * agile-kpi knows: Jira's own `refresh` and stray UI state are dropped, bad values are refused with the field
 * named.
 */
export function checkConfig(input: unknown): DashboardConfig {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new ConfigError('the gadget configuration must be an object');
  const raw = input as Record<string, unknown>;
  const out: { -readonly [K in keyof DashboardConfig]: DashboardConfig[K] } = {};
  if (raw['source'] !== undefined && raw['source'] !== '') {
    out.source = String(raw['source']).trim();
    boardIdOf(out);
  }
  if (raw['view'] !== undefined) {
    if (typeof raw['view'] !== 'string' || !VIEWS.includes(raw['view'])) throw new ConfigError(`view must be one of ${VIEWS.join(', ')}, got ${JSON.stringify(raw['view'])}`);
    out.view = raw['view'] as ViewName;
  }
  const whole = (name: 'velocitySprints' | 'goalSprints', max: number) => {
    const v = raw[name];
    if (v === undefined || v === null || v === '') return;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new ConfigError(`${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(v)}`);
    out[name] = n;
  };
  const positive = (name: 'impedimentDays' | 'staleDays', max: number) => {
    const v = raw[name];
    if (v === undefined || v === null || v === '') return;
    const n = Number(v);
    if (!(Number.isFinite(n) && n > 0 && n <= max)) throw new ConfigError(`${name} must be a number of days above 0 and at most ${max}, got ${JSON.stringify(v)}`);
    out[name] = n;
  };
  whole('velocitySprints', 50);
  whole('goalSprints', 50);
  positive('impedimentDays', 3650);
  positive('staleDays', 3650);
  const threshold = raw['goalThreshold'];
  if (threshold !== undefined && threshold !== null && threshold !== '') {
    const n = Number(threshold);
    if (!(n > 0 && n <= 1)) throw new ConfigError(`goalThreshold must be a ratio above 0 and at most 1, e.g. 0.8, got ${JSON.stringify(threshold)}`);
    out.goalThreshold = n;
  }
  const zone = raw['timeZone'];
  if (zone !== undefined && zone !== null && zone !== '') {
    if (typeof zone !== 'string' || !isTimeZone(zone)) throw new ConfigError(`timeZone must be an IANA time zone such as Europe/Berlin, got ${JSON.stringify(zone)}`);
    out.timeZone = zone;
  }
  checkReport(raw, out);
  return out;
}

/** The emailed report's settings: recipients (account ids or group names), the issue to notify on, cadence. */
function checkReport(raw: Record<string, unknown>, out: { -readonly [K in keyof DashboardConfig]: DashboardConfig[K] }): void {
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

/** What the metrics read from a configuration; undefined fields leave core's defaults in place. */
export function metricsOptionsOf(config: DashboardConfig): MetricsOptions {
  return {
    velocity: defined({ lastN: config.velocitySprints }),
    sprintGoalRate: defined({ lastN: config.goalSprints, inferredThreshold: config.goalThreshold }),
    impedimentResolutionTime: defined({ days: config.impedimentDays }),
    backlogHealth: defined({ staleDays: config.staleDays }),
  };
}

export function teamOptionsOf(config: DashboardConfig): JiraTeamOptions {
  return config.timeZone ? { timeZone: config.timeZone } : {};
}

/**
 * The part of a configuration that changes the numbers, as a stable string: gadgets showing different views
 * of the same board with the same settings share one cached report.
 */
export function optionsKeyOf(config: DashboardConfig): string {
  return JSON.stringify([config.velocitySprints ?? null, config.goalSprints ?? null, config.goalThreshold ?? null, config.impedimentDays ?? null, config.staleDays ?? null, config.timeZone ?? null]);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
