import type { OutcomeSettings } from './outcome-records';

/**
 * The rule for a team's outcome settings, wherever they are set: `agile-kpi outcomes settings`, the dashboard's
 * settings on every host (the form checks as you type, the host checks again before it stores), and what a store
 * keeps (read back through the same check). A cost per sprint is an amount above 0 with a three-letter currency
 * code; a feature mapping names a feature key of the usage data and the epic key or release name that ships it,
 * each feature once.
 */
export type SettingsCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly field: 'cost' | 'features'; readonly message: string };

export const COST_PER_SPRINT_RULE = 'cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR';
export const FEATURE_MAPPING_RULE = 'a feature mapping needs a feature key and the epic key or release name that ships it, e.g. export -> PROJ-12';

/** Longest feature key or epic/release name kept (longer is a pasted paragraph, not a name). */
const MAX_NAME = 200;
/** Most feature mappings one team keeps. */
export const MAX_FEATURE_MAPPINGS = 500;

/**
 * A cost per sprint from its two parts (a form's amount and currency fields, a stored value): the amount as a
 * number or as text without thousands separators, the currency in any case.
 *
 * @example checkCost('12500.50', 'eur') // { ok: true, value: { perSprint: 12500.5, currency: 'EUR' } }
 */
export function checkCost(amount: unknown, currency: unknown): SettingsCheck<NonNullable<OutcomeSettings['cost']>> {
  const n = typeof amount === 'number' ? amount : typeof amount === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(amount) ? Number(amount) : Number.NaN;
  const code = typeof currency === 'string' ? currency.trim() : '';
  if (!(Number.isFinite(n) && n > 0) || !/^[A-Za-z]{3}$/.test(code)) {
    return { ok: false, field: 'cost', message: `${COST_PER_SPRINT_RULE}, got '${[amount, currency].filter((p) => p !== undefined && p !== '').join(' ')}'` };
  }
  return { ok: true, value: { perSprint: n, currency: code.toUpperCase() } };
}

/**
 * A cost per sprint written as one text ("10000 EUR", either way round; `none` removes it: null).
 *
 * @example readCostPerSprint('USD 8000') // { ok: true, value: { perSprint: 8000, currency: 'USD' } }
 */
export function readCostPerSprint(raw: string): SettingsCheck<OutcomeSettings['cost'] | null> {
  if (raw.trim().toLowerCase() === 'none') return { ok: true, value: null };
  const m = /^\s*(?:(\d+(?:\.\d+)?)\s*([A-Za-z]{3})|([A-Za-z]{3})\s*(\d+(?:\.\d+)?))\s*$/.exec(raw);
  if (!m) return { ok: false, field: 'cost', message: `${COST_PER_SPRINT_RULE} (no thousands separators), got '${raw}'` };
  return checkCost(m[1] ?? m[4], m[2] ?? m[3]);
}

/** One feature mapping from its two parts (a form's row, a stored value), trimmed. */
export function checkFeatureLink(feature: unknown, shippedBy: unknown): SettingsCheck<{ feature: string; shippedBy: string }> {
  const f = typeof feature === 'string' ? feature.trim() : '';
  const s = typeof shippedBy === 'string' ? shippedBy.trim() : '';
  if (!f || !s) return { ok: false, field: 'features', message: `${FEATURE_MAPPING_RULE}; got '${f}' -> '${s}'` };
  if (f.length > MAX_NAME || s.length > MAX_NAME) return { ok: false, field: 'features', message: `a feature key or an epic key or release name is at most ${MAX_NAME} characters; got one of ${Math.max(f.length, s.length)} for '${f.slice(0, 40)}'` };
  return { ok: true, value: { feature: f, shippedBy: s } };
}

/**
 * A feature mapping written as one text, `<feature key>=<epic key or release name>`.
 *
 * @example readFeatureLink('search = Release 2.0') // { ok: true, value: { feature: 'search', shippedBy: 'Release 2.0' } }
 */
export function readFeatureLink(raw: string): SettingsCheck<{ feature: string; shippedBy: string }> {
  const at = raw.indexOf('=');
  if (at < 0) return { ok: false, field: 'features', message: `${FEATURE_MAPPING_RULE}, written <feature key>=<epic key or release name>; got '${raw}'` };
  return checkFeatureLink(raw.slice(0, at), raw.slice(at + 1));
}

/**
 * Whole settings as a host receives them or a store keeps them (`{ cost?: { perSprint, currency }, features?:
 * [{ feature, shippedBy }] }`), normalised: currency upper case, names trimmed, features in key order. The first
 * problem is answered, naming its field.
 *
 * @example checkOutcomeSettings({ cost: { perSprint: 0, currency: 'EUR' } }) // { ok: false, field: 'cost', message: "cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR, got '0 EUR'" }
 */
export function checkOutcomeSettings(input: unknown): SettingsCheck<OutcomeSettings> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: false, field: 'cost', message: 'the outcome settings must be an object: { cost?: { perSprint, currency }, features?: [{ feature, shippedBy }] }' };
  const { cost, features, ...rest } = input as { cost?: unknown; features?: unknown };
  const unknownField = Object.keys(rest)[0];
  if (unknownField !== undefined) return { ok: false, field: 'cost', message: `the outcome settings have a cost and features, not ${unknownField}` };
  let checkedCost: OutcomeSettings['cost'];
  if (cost !== undefined && cost !== null) {
    const c = typeof cost === 'object' ? (cost as { perSprint?: unknown; currency?: unknown }) : {};
    const read = checkCost(c.perSprint, c.currency);
    if (!read.ok) return read;
    checkedCost = read.value;
  }
  if (features !== undefined && features !== null && !Array.isArray(features)) return { ok: false, field: 'features', message: `${FEATURE_MAPPING_RULE}: features must be a list of them` };
  const list = (features ?? []) as readonly unknown[];
  if (list.length > MAX_FEATURE_MAPPINGS) return { ok: false, field: 'features', message: `at most ${MAX_FEATURE_MAPPINGS} feature mappings, got ${list.length}` };
  const mapped = new Map<string, string>();
  for (const raw of list) {
    const f = (raw ?? {}) as { feature?: unknown; shippedBy?: unknown };
    const read = checkFeatureLink(f.feature, f.shippedBy);
    if (!read.ok) return read;
    if (mapped.has(read.value.feature)) return { ok: false, field: 'features', message: `feature ${read.value.feature} is mapped twice: a feature is shipped by one epic or release` };
    mapped.set(read.value.feature, read.value.shippedBy);
  }
  return {
    ok: true,
    value: {
      ...(checkedCost ? { cost: checkedCost } : {}),
      ...(mapped.size ? { features: [...mapped].sort((a, b) => a[0].localeCompare(b[0])).map(([feature, shippedBy]) => ({ feature, shippedBy })) } : {}),
    },
  };
}
