import { METRIC_OPTIONS, type MetricOptionDescriptor, type MetricsOptions } from '@agile-kpi/core';
import { type DashboardConfig, VIEW_NAMES, type ViewName } from './host';

/**
 * The rules of a {@link DashboardConfig}, once for every surface: the edit form checks what a person typed
 * with them, and each host (Forge resolvers, the Azure DevOps extension) checks what arrives over its bridge
 * with them, so the form never promises a range the server refuses, or the other way round.
 *
 * A rule reads a value in any shape it may arrive in (the form's strings, JSON numbers): blank (absent,
 * null, empty or spaces) means "the default" and reads as `undefined`; a bad value reads as {@link INVALID}.
 * It words the problem two ways, both naming the field and the rule: for the person at the form (the
 * field's label and what to enter) and for a caller over a bridge (the field's name and the value received).
 */
export interface ConfigRule<T> {
  read(raw: unknown): T | undefined | typeof INVALID;
  /** The message over a bridge: `goalSprints must be a whole number from 1 to 52 (the default is 6), got 0`. */
  problem(raw: unknown): string;
  /** The message beside the form's field: `Goal sprints must be a whole number from 1 to 52 (the default is 6).` */
  formProblem(typed: string): string;
}

export const INVALID: unique symbol = Symbol('invalid');

/** The checked fields every surface shares; `source` is each host's own (a Jira board id, an Azure DevOps team). */
export type RuledField = 'view' | 'velocitySprints' | 'goalSprints' | 'goalThreshold' | 'impedimentDays' | 'staleDays' | 'lensPlannedDays' | 'lensLateDays' | 'timeZone';

/**
 * Windows in whole sprints or days: each field is a metric option of core's schema (METRIC_OPTIONS), whose limits
 * it takes, so the form and every host's check never accept a value core refuses. What is the form's own: the
 * label, the hint that says what to enter or what blank means, and a cap where core has none (a velocity averaged
 * over more than 20 sprints, or a goal rate over more than a year of weekly sprints, is not a dashboard's setting;
 * the CLI may ask for more).
 */
const FIELD_OPTIONS: Readonly<Record<string, { readonly option: string; readonly label: string; readonly hint: string; readonly formMax?: number }>> = {
  velocitySprints: { option: 'velocity.lastN', label: 'Velocity sprints', hint: 'teams usually average the last 3', formMax: 20 },
  goalSprints: { option: 'sprintGoalRate.lastN', label: 'Goal sprints', hint: 'the default is 6', formMax: 52 },
  impedimentDays: { option: 'impedimentResolutionTime.days', label: 'Impediment days', hint: 'leave it empty for the last 6 sprints' },
  staleDays: { option: 'backlogHealth.staleDays', label: 'Stale days', hint: 'the default is 90' },
  lensPlannedDays: { option: 'velocity.azureDevOps.plannedDaysAfterStart', label: 'Planned after (days)', hint: "Azure DevOps' days past the start date when planned work is final; the default is 0" },
  lensLateDays: { option: 'velocity.azureDevOps.lateDaysAfterEnd', label: 'Late after (days)', hint: "Azure DevOps' days past the end date after which work is late; the default is 0" },
};

type WholeField = 'velocitySprints' | 'goalSprints' | 'impedimentDays' | 'staleDays' | 'lensPlannedDays' | 'lensLateDays';

/** The metric option behind a field (its default, limits and help), as core's schema describes it. */
export function fieldOption(field: WholeField | 'goalThreshold'): MetricOptionDescriptor {
  const name = field === 'goalThreshold' ? 'sprintGoalRate.inferredThreshold' : FIELD_OPTIONS[field]!.option;
  const d = METRIC_OPTIONS.find((o) => o.name === name);
  if (!d || d.min === undefined) throw new Error(`dashboard field ${field}: core has no option ${name} with a lower limit`);
  return d;
}

/** A whole-number field's range: core's limits (a bound that excludes its value moves to the next whole number). */
function wholeLimit(field: WholeField): WholeLimit {
  const d = fieldOption(field);
  const { label, hint, formMax } = FIELD_OPTIONS[field]!;
  const max = Math.min(d.max ?? Infinity, formMax ?? Infinity);
  if (!Number.isFinite(max)) throw new Error(`dashboard field ${field}: neither core nor the form bounds it`);
  return { label, min: d.minExclusive ? Math.floor(d.min!) + 1 : Math.ceil(d.min!), max: Math.floor(max), hint };
}

export const CONFIG_LIMITS: { readonly [F in WholeField]: WholeLimit } = Object.fromEntries(
  (Object.keys(FIELD_OPTIONS) as WholeField[]).map((f) => [f, wholeLimit(f)]),
) as { readonly [F in WholeField]: WholeLimit };

export interface WholeLimit {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** What to enter, or what blank means. */
  readonly hint: string;
}

const threshold = fieldOption('goalThreshold');
const THRESHOLD = { label: 'The goal threshold', rule: `a ratio above ${threshold.min} and at most ${threshold.max}, such as ${String(threshold.default)}`, hint: 'or a percentage such as 80%' };

export const CONFIG_RULES: { readonly [F in RuledField]: ConfigRule<NonNullable<DashboardConfig[F]>> } = {
  view: {
    read: (raw) => text(raw, (v) => ((VIEW_NAMES as readonly string[]).includes(v) ? (v as ViewName) : INVALID)),
    problem: (raw) => `view must be one of ${VIEW_NAMES.join(', ')}, got ${JSON.stringify(raw)}`,
    formProblem: () => `Choose one of the views: ${VIEW_NAMES.join(', ')}.`,
  },
  velocitySprints: wholeRule('velocitySprints', CONFIG_LIMITS.velocitySprints),
  goalSprints: wholeRule('goalSprints', CONFIG_LIMITS.goalSprints),
  goalThreshold: {
    read: readThreshold,
    problem: (raw) => `goalThreshold must be ${THRESHOLD.rule} (${THRESHOLD.hint}), got ${JSON.stringify(raw)}`,
    formProblem: () => `${THRESHOLD.label} must be ${THRESHOLD.rule} (${THRESHOLD.hint}).`,
  },
  impedimentDays: wholeRule('impedimentDays', CONFIG_LIMITS.impedimentDays),
  staleDays: wholeRule('staleDays', CONFIG_LIMITS.staleDays),
  lensPlannedDays: wholeRule('lensPlannedDays', CONFIG_LIMITS.lensPlannedDays),
  lensLateDays: wholeRule('lensLateDays', CONFIG_LIMITS.lensLateDays),
  timeZone: {
    read: (raw) => text(raw, (v) => (isTimeZone(v) ? v : INVALID)),
    problem: (raw) => `timeZone must be an IANA time zone such as Europe/Berlin or America/New_York, got ${JSON.stringify(raw)}`,
    formProblem: (typed) => `“${typed.trim()}” is not a time zone: use an IANA name such as Europe/Berlin or America/New_York.`,
  },
};

/** The order the fields are read in: the server-side check answers the first bad one. */
export const RULED_FIELDS: readonly RuledField[] = ['view', 'velocitySprints', 'goalSprints', 'goalThreshold', 'impedimentDays', 'staleDays', 'lensPlannedDays', 'lensLateDays', 'timeZone'];

export type DashboardConfigCheck = { readonly ok: true; readonly config: DashboardConfig } | { readonly ok: false; readonly field?: RuledField; readonly message: string };

/**
 * Checks a configuration from anywhere a browser can send one and keeps only the fields every surface knows
 * (`source` trimmed, unchecked: what a source is belongs to the host; report settings and stray UI state are
 * dropped). The first bad value is answered with its field named, the rule and the value received; each host
 * turns that into its own error at its edge.
 *
 * @example checkDashboardConfig({ goalSprints: '8', goalThreshold: '80%', refresh: 15 }) // { ok: true, config: { goalSprints: 8, goalThreshold: 0.8 } }
 */
export function checkDashboardConfig(input: unknown): DashboardConfigCheck {
  if (input === undefined || input === null) return { ok: true, config: {} };
  if (typeof input !== 'object' || Array.isArray(input)) return { ok: false, message: `the configuration must be an object, got ${JSON.stringify(input)}` };
  const raw = input as Record<string, unknown>;
  const config: { -readonly [K in keyof DashboardConfig]: DashboardConfig[K] } = {};
  if (raw['source'] !== undefined && raw['source'] !== null && raw['source'] !== '') config.source = String(raw['source']).trim();
  for (const field of RULED_FIELDS) {
    const value = CONFIG_RULES[field].read(raw[field]);
    if (value === INVALID) return { ok: false, field, message: CONFIG_RULES[field].problem(raw[field]) };
    if (value !== undefined) (config as Record<RuledField, unknown>)[field] = value;
  }
  return { ok: true, config };
}

/** What the metrics read from a configuration; undefined fields leave core's defaults in place. */
export function metricsOptionsOf(config: DashboardConfig): MetricsOptions {
  return {
    velocity: defined({
      lastN: config.velocitySprints,
      azureDevOps: config.lensPlannedDays === undefined && config.lensLateDays === undefined ? undefined : defined({ plannedDaysAfterStart: config.lensPlannedDays, lateDaysAfterEnd: config.lensLateDays }),
    }),
    sprintGoalRate: defined({ lastN: config.goalSprints, inferredThreshold: config.goalThreshold }),
    impedimentResolutionTime: defined({ days: config.impedimentDays }),
    backlogHealth: defined({ staleDays: config.staleDays }),
  };
}

/**
 * A key for a report's options: equal keys, equal reports. Built from what the metrics read (every option a
 * configuration sets reaches it through {@link metricsOptionsOf}) and the zone the days are read in, so an option
 * added later can never be served from a report computed with its old value.
 */
export function reportOptionsKey(config: DashboardConfig, zone: string | null): string {
  return JSON.stringify([metricsOptionsOf(config), zone]);
}

/** Whether `zone` is an IANA time zone this runtime knows ("Europe/Berlin", "UTC"); never the empty string. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

function wholeRule(field: keyof typeof CONFIG_LIMITS, limit: WholeLimit): ConfigRule<number> {
  const rule = `a whole number from ${limit.min} to ${limit.max} (${limit.hint})`;
  return {
    read: (raw) => {
      if (isBlank(raw)) return undefined;
      // Digits only: "1e1", "0x10" and "5.0" are not what anyone types for a number of sprints.
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      return Number.isInteger(n) && n >= limit.min && n <= limit.max ? n : INVALID;
    },
    problem: (raw) => `${field} must be ${rule}, got ${JSON.stringify(raw)}`,
    formProblem: () => `${limit.label} must be ${rule}.`,
  };
}

/** A ratio (0.8) or a percentage ("80%", read to a thousandth of a percent so 80% is exactly 0.8). */
function readThreshold(raw: unknown): number | undefined | typeof INVALID {
  if (isBlank(raw)) return undefined;
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string') {
    const typed = raw.trim();
    n = typed.endsWith('%') ? Math.round(Number(typed.slice(0, -1).trim()) * 1000) / 100_000 : Number(typed);
  } else return INVALID;
  const d = fieldOption('goalThreshold');
  return Number.isFinite(n) && (d.minExclusive ? n > d.min! : n >= d.min!) && n <= d.max! ? n : INVALID;
}

function text<T>(raw: unknown, check: (value: string) => T | typeof INVALID): T | undefined | typeof INVALID {
  if (isBlank(raw)) return undefined;
  return typeof raw === 'string' ? check(raw.trim()) : INVALID;
}

function isBlank(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
