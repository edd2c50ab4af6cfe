import { type DashboardConfig, type SourceChoice, type ViewName, VIEW_NAMES } from './host';

/** The edit form's fields as typed (strings: what inputs hold). */
export interface ConfigFormValues {
  readonly source: string;
  readonly view: string;
  readonly velocitySprints: string;
  readonly goalSprints: string;
  readonly goalThreshold: string;
  readonly impedimentDays: string;
  readonly staleDays: string;
  readonly timeZone: string;
}

export type ConfigField = keyof ConfigFormValues;
export type ConfigErrors = Partial<Record<ConfigField, string>>;

export const CONFIG_FIELDS: readonly ConfigField[] = ['source', 'view', 'velocitySprints', 'goalSprints', 'goalThreshold', 'impedimentDays', 'staleDays', 'timeZone'];

export function configToForm(config: DashboardConfig): ConfigFormValues {
  const s = (x: number | string | undefined) => (x === undefined ? '' : String(x));
  return {
    source: s(config.source),
    view: s(config.view),
    velocitySprints: s(config.velocitySprints),
    goalSprints: s(config.goalSprints),
    goalThreshold: s(config.goalThreshold),
    impedimentDays: s(config.impedimentDays),
    staleDays: s(config.staleDays),
    timeZone: s(config.timeZone),
  };
}

export interface ValidateOptions {
  /** A gadget shows one view: it must be chosen. */
  readonly requireView?: boolean;
  /** When the host listed its sources, the source must be one of them. */
  readonly sources?: readonly SourceChoice[];
}

export type ConfigValidation = { readonly ok: true; readonly config: DashboardConfig } | { readonly ok: false; readonly errors: ConfigErrors };

/**
 * Checks the edit form and turns it into a configuration; every message says what to enter. Blank numbers
 * mean "the default" and are left out.
 *
 * @example validateConfigForm({ ...values, goalThreshold: '80%' }).config.goalThreshold // 0.8
 */
export function validateConfigForm(values: ConfigFormValues, options: ValidateOptions = {}): ConfigValidation {
  const errors: ConfigErrors = {};
  const config: { -readonly [K in keyof DashboardConfig]: DashboardConfig[K] } = {};
  const source = values.source.trim();
  if (!source) errors.source = 'Choose the board or team to measure.';
  else if (options.sources && options.sources.length > 0 && !options.sources.some((s) => s.id === source)) errors.source = 'Choose one of the listed boards or teams.';
  else config.source = source;

  const view = values.view.trim();
  if (view) {
    if ((VIEW_NAMES as readonly string[]).includes(view)) config.view = view as ViewName;
    else errors.view = `Choose one of the views: ${VIEW_NAMES.join(', ')}.`;
  } else if (options.requireView) errors.view = 'Choose the view this gadget shows.';

  const whole = (field: ConfigField, label: string, max: number, usual: string): number | undefined => {
    const raw = values[field].trim();
    if (!raw) return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isInteger(n) || n < 1 || n > max) {
      errors[field] = `${label} must be a whole number from 1 to ${max} (${usual}).`;
      return undefined;
    }
    return n;
  };
  const velocitySprints = whole('velocitySprints', 'Velocity sprints', 20, 'teams usually average the last 3');
  if (velocitySprints !== undefined) config.velocitySprints = velocitySprints;
  const goalSprints = whole('goalSprints', 'Goal sprints', 52, 'the default is 6');
  if (goalSprints !== undefined) config.goalSprints = goalSprints;
  const impedimentDays = whole('impedimentDays', 'Impediment days', 3650, 'leave it empty for the last 6 sprints');
  if (impedimentDays !== undefined) config.impedimentDays = impedimentDays;
  const staleDays = whole('staleDays', 'Stale days', 3650, 'the default is 90');
  if (staleDays !== undefined) config.staleDays = staleDays;

  const threshold = values.goalThreshold.trim();
  if (threshold) {
    const percent = threshold.endsWith('%');
    const n = Number(percent ? threshold.slice(0, -1).trim() : threshold);
    const ratio = percent ? n / 100 : n;
    if (!Number.isFinite(n) || !(ratio > 0 && ratio <= 1)) errors.goalThreshold = 'The goal threshold must be a ratio above 0 and at most 1, such as 0.8 (or a percentage such as 80%).';
    else config.goalThreshold = Math.round(ratio * 1000) / 1000;
  }

  const zone = values.timeZone.trim();
  if (zone) {
    if (isTimeZone(zone)) config.timeZone = zone;
    else errors.timeZone = `“${zone}” is not a time zone: use an IANA name such as Europe/Berlin or America/New_York.`;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, config };
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
