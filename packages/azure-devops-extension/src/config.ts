import { type DashboardConfig, type ViewName, checkDashboardConfig } from '@agile-kpi/presentation';
import { ConfigError } from '@agile-kpi/hosted-service';

/** A widget shows this view until its configuration names another. */
export const DEFAULT_WIDGET_VIEW: ViewName = 'velocity';

/**
 * Checks a configuration from anywhere a browser can write (a widget's custom settings, the hub's team
 * settings) with the dashboard's shared rules and keeps only the fields agile-kpi knows; bad values are
 * refused with the field named. The source is not checked here: every surface replaces it with its team.
 */
export function checkConfig(input: unknown): DashboardConfig {
  const checked = checkDashboardConfig(input);
  if (!checked.ok) throw new ConfigError(checked.message);
  return checked.config;
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
