import type { MetricsOptions } from '@agile-kpi/core';
import { type DashboardConfig, VIEW_NAMES, type ViewName } from '@agile-kpi/dashboard';

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

/** A widget shows this view until its configuration names another. */
export const DEFAULT_WIDGET_VIEW: ViewName = 'velocity';

/**
 * Checks a configuration from anywhere a browser can write (a widget's custom settings, the hub's team
 * settings) and keeps only the fields agile-kpi knows; bad values are refused with the field named.
 */
export function checkConfig(input: unknown): DashboardConfig {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new ConfigError('the configuration must be an object');
  const raw = input as Record<string, unknown>;
  const out: { -readonly [K in keyof DashboardConfig]: DashboardConfig[K] } = {};
  if (raw['source'] !== undefined && raw['source'] !== null && raw['source'] !== '') out.source = String(raw['source']).trim();
  if (raw['view'] !== undefined && raw['view'] !== null && raw['view'] !== '') {
    if (typeof raw['view'] !== 'string' || !(VIEW_NAMES as readonly string[]).includes(raw['view'])) throw new ConfigError(`view must be one of ${VIEW_NAMES.join(', ')}, got ${JSON.stringify(raw['view'])}`);
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
  whole('goalSprints', 52);
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
  return out;
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

/**
 * The part of a configuration that changes the numbers, with the zone the days were read in, as a stable
 * string: widgets showing different views of one team with the same settings share one cached report.
 */
export function optionsKeyOf(config: DashboardConfig, zone: string): string {
  return JSON.stringify([config.velocitySprints ?? null, config.goalSprints ?? null, config.goalThreshold ?? null, config.impedimentDays ?? null, config.staleDays ?? null, zone]);
}

/** A widget's settings as Azure DevOps keeps them: `customSettings.data` is our configuration as JSON text. */
export interface WidgetCustomSettings {
  readonly data: string | null;
  readonly version?: { readonly major: number; readonly minor: number; readonly patch: number };
}

export const SETTINGS_VERSION = { major: 1, minor: 0, patch: 0 } as const;

export function customSettingsOf(config: DashboardConfig): { readonly data: string; readonly version: typeof SETTINGS_VERSION } {
  return { data: JSON.stringify(config), version: SETTINGS_VERSION };
}

/**
 * The configuration a widget's custom settings carry. A new widget has none (null or empty data): that is
 * the default view of the dashboard's team. Settings that do not parse are refused with the fix named.
 */
export function widgetConfigOf(settings: { readonly customSettings?: { readonly data?: string | null } | null } | undefined): DashboardConfig {
  const data = settings?.customSettings?.data;
  if (data === undefined || data === null || data.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new ConfigError('this widget’s settings are not readable: open its Configure panel and save them again');
  }
  return checkConfig(parsed);
}

export function isTimeZone(zone: string): boolean {
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
