import { type OutcomeSettings, checkOutcomeSettings, readCostPerSprint, readFeatureLink } from '@agile-kpi/core';
import type { ScopeStore } from '@agile-kpi/store';
import { CliError } from '../cli-error';

/**
 * A team's outcome settings (its cost per sprint with the currency, and which epic or release ships which feature)
 * are kept in its scope of the store, beside its imported records: set once with `agile-kpi outcomes settings`,
 * read by every command that computes the team's metrics (metrics, report, schedule, serve, mcp), each team its own.
 */
export const OUTCOME_SETTINGS_STATE = 'outcome-settings';

/** The scope's settings; none when never set. A store whose settings do not read is named, not guessed around. */
export function readOutcomeSettings(scope: Pick<ScopeStore, 'getState'>): OutcomeSettings {
  const stored = scope.getState(OUTCOME_SETTINGS_STATE);
  if (stored === undefined) return {};
  // The rule every surface shares (core's checkOutcomeSettings): serve's settings page writes here too.
  const checked = checkOutcomeSettings(stored);
  if (!checked.ok) throw new CliError(`the outcome settings kept in the store do not read (${checked.message}): set them again with agile-kpi outcomes settings`);
  return checked.value;
}

/** What `outcomes settings` was told to change. */
export interface SettingsChange {
  /** A cost, or null to remove it. */
  readonly cost?: OutcomeSettings['cost'] | null;
  /** Features mapped (a feature already mapped is mapped again). */
  readonly features?: readonly { readonly feature: string; readonly shippedBy: string }[];
  readonly removeFeatures?: readonly string[];
}

/** The settings after a change; removing a feature that is not mapped is an error that lists the mapped ones. */
export function changeOutcomeSettings(current: OutcomeSettings, change: SettingsChange): OutcomeSettings {
  const features = new Map((current.features ?? []).map((f) => [f.feature, f.shippedBy]));
  for (const name of change.removeFeatures ?? []) {
    if (!features.delete(name)) throw new CliError(`--remove-feature ${name}: no such feature is mapped (mapped: ${[...features.keys()].join(', ') || 'none'})`);
  }
  for (const f of change.features ?? []) features.set(f.feature, f.shippedBy);
  const cost = change.cost === undefined ? current.cost : (change.cost ?? undefined);
  return {
    ...(cost ? { cost } : {}),
    ...(features.size ? { features: [...features].sort((a, b) => a[0].localeCompare(b[0])).map(([feature, shippedBy]) => ({ feature, shippedBy })) } : {}),
  };
}

/**
 * `--cost-per-sprint "10000 EUR"`: core's rule for a cost per sprint (either way round); `none` removes the cost.
 *
 * @example costPerSprint('12500.50 eur') // { perSprint: 12500.5, currency: 'EUR' }
 */
export function costPerSprint(raw: string): OutcomeSettings['cost'] | null {
  const read = readCostPerSprint(raw);
  if (!read.ok) throw new CliError(`--cost-per-sprint: ${read.message}; none removes it`);
  return read.value;
}

/**
 * `--feature export=PROJ-12`: the feature key of the analytics export, and the epic key or release name (or id)
 * that ships it, by core's rule for a feature mapping.
 *
 * @example featureLink('export = Release 2.0') // { feature: 'export', shippedBy: 'Release 2.0' }
 */
export function featureLink(raw: string): { feature: string; shippedBy: string } {
  const read = readFeatureLink(raw);
  if (!read.ok) throw new CliError(`--feature: ${read.message}`);
  return read.value;
}

/** The settings in a few lines, for `outcomes settings` and `outcomes list`. */
export function describeOutcomeSettings(settings: OutcomeSettings): string[] {
  const cost = settings.cost ? `${settings.cost.perSprint} ${settings.cost.currency}` : 'not set (no ROI: agile-kpi outcomes settings --cost-per-sprint "10000 EUR")';
  const features = settings.features?.length ? settings.features.map((f) => `${f.feature}=${f.shippedBy}`).join(', ') : 'none (epics labelled feature:<key> still count)';
  return [`cost per sprint: ${cost}`, `features: ${features}`];
}
