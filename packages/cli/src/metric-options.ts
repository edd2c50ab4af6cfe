import { Option, type Command } from 'commander';
import type { MetricsOptions } from '@agile-kpi/core';
import { CliError } from './cli-error';

/**
 * The options `demo` and `metrics` share: declared once so that both commands accept and document the same
 * flags, and parsed here into core's {@link MetricsOptions}. Values stay strings in commander and are checked
 * by us, so that every bad value gets the same kind of message ("--velocity-sprints must be a whole number
 * >= 1, got 'abc'") instead of a stack trace from deep inside a metric.
 */

/** What commander hands over: every value as typed. */
export interface RawMetricOptions {
  readonly asOf?: string;
  readonly timeZone?: string;
  readonly velocitySprints?: string;
  readonly lensPlannedDays?: string;
  readonly lensLateDays?: string;
  readonly goalSprints?: string;
  readonly goalThreshold?: string;
  readonly impedimentDays?: string;
  readonly impedimentSprints?: string;
  readonly staleDays?: string;
  readonly readyDepthMode?: string;
  readonly flowWeeks?: string;
  readonly releaseTrials?: string;
  readonly seed?: string;
  readonly adoptionTarget?: string;
  readonly impactWeeks?: string;
}

/** Changes applied to the snapshot before it is checked: "what if we looked at it then, from there". */
export interface SnapshotOverrides {
  readonly asOf?: string;
  readonly timeZone?: string;
}

/** Forecast seed when none is given: core's default, so `metrics` reproduces `demo`. */
export const DEFAULT_SEED = 42;
/** Beyond this the forecast takes seconds and is no more precise than 10 000 trials in practice. */
const MAX_TRIALS = 1_000_000;

/** Declares the shared options on a command, in one help group. */
export function addMetricOptions(cmd: Command, seedHelp: string): Command {
  const group = 'Metric options:';
  const opt = (flags: string, description: string) => new Option(flags, description).helpGroup(group);
  return cmd
    .addOption(opt('--as-of <iso>', 'compute as at this instant instead of the snapshot\'s asOf, e.g. 2025-03-01T12:00:00Z'))
    .addOption(opt('--time-zone <iana>', 'read days, weeks and working hours in this zone instead of the team\'s, e.g. Europe/Berlin'))
    .addOption(opt('--velocity-sprints <n>', 'closed sprints averaged into the velocity (default 3)'))
    .addOption(opt('--lens-planned-days <n>', "Azure DevOps lens of velocity: days past the start date when planned work is final, as in its Velocity widget (default 0)"))
    .addOption(opt('--lens-late-days <n>', 'Azure DevOps lens of velocity: days past the end date after which completed work is late (default 0)'))
    .addOption(opt('--goal-sprints <n>', 'closed sprints in the sprint goal rate (default 6)'))
    .addOption(opt('--goal-threshold <ratio>', 'completed/committed at which an inferred goal counts as met (default 0.8)'))
    .addOption(opt('--impediment-days <n>', 'impediment window in days (default: the last 6 sprints)'))
    .addOption(opt('--impediment-sprints <n>', 'impediment window in started sprints (default 6)'))
    .addOption(opt('--stale-days <n>', 'backlog items untouched this long are stale (default 90)'))
    .addOption(opt('--ready-depth-mode <mode>', 'top-run: ready work from the top until the first unready item; all-ready: every ready item (default top-run)'))
    .addOption(opt('--flow-weeks <n>', 'complete weeks of throughput, cycle and lead time (default 12)'))
    .addOption(opt('--release-trials <n>', 'Monte Carlo trials per release forecast (default 10000)'))
    .addOption(opt('--adoption-target <ratio>', 'feature adoption: the share of active users a feature should reach (default 0.2)'))
    .addOption(opt('--impact-weeks <n>', 'release impact: weeks of survey responses before and after each release compared (default 4)'))
    .addOption(opt('--seed <n>', seedHelp));
}

/** Parses the shared options into core's MetricsOptions; throws a CliError naming the flag and the value. */
export function metricOptions(raw: RawMetricOptions): MetricsOptions {
  if (raw.impedimentDays !== undefined && raw.impedimentSprints !== undefined) {
    throw new CliError('--impediment-days and --impediment-sprints both set the impediment window: give one of them');
  }
  const velocityLastN = wholeNumber('--velocity-sprints', raw.velocitySprints, 1);
  const plannedDaysAfterStart = wholeNumber('--lens-planned-days', raw.lensPlannedDays, 0, 30);
  const lateDaysAfterEnd = wholeNumber('--lens-late-days', raw.lensLateDays, 0, 30);
  const goalLastN = wholeNumber('--goal-sprints', raw.goalSprints, 1);
  const goalThreshold = ratio('--goal-threshold', raw.goalThreshold);
  const impedimentDays = positiveNumber('--impediment-days', raw.impedimentDays);
  const impedimentSprints = wholeNumber('--impediment-sprints', raw.impedimentSprints, 1);
  const staleDays = positiveNumber('--stale-days', raw.staleDays);
  const readyDepthMode = choice('--ready-depth-mode', raw.readyDepthMode, ['top-run', 'all-ready'] as const);
  const flowWeeks = wholeNumber('--flow-weeks', raw.flowWeeks, 1);
  const trials = wholeNumber('--release-trials', raw.releaseTrials, 1, MAX_TRIALS);
  const seed = seedOption(raw.seed) ?? DEFAULT_SEED;
  const adoptionTarget = ratio('--adoption-target', raw.adoptionTarget);
  const impactWeeks = wholeNumber('--impact-weeks', raw.impactWeeks, 1, 26);
  return {
    velocity: defined({
      lastN: velocityLastN,
      azureDevOps: plannedDaysAfterStart === undefined && lateDaysAfterEnd === undefined ? undefined : defined({ plannedDaysAfterStart, lateDaysAfterEnd }),
    }),
    sprintGoalRate: defined({ lastN: goalLastN, inferredThreshold: goalThreshold }),
    impedimentResolutionTime: defined({ days: impedimentDays, sprints: impedimentSprints }),
    backlogHealth: defined({ staleDays, readyDepthMode }),
    flow: defined({ weeks: flowWeeks }),
    releasePredictability: defined({ trials, seed }),
    // One seed for every random source of a report (the forecast, the NPS bootstrap): same seed, same report.
    customerSatisfaction: { seed },
    featureAdoption: defined({ target: adoptionTarget }),
    releaseImpact: defined({ weeks: impactWeeks, seed }),
  };
}

/** `--seed`: a whole number the forecast's (and the simulator's) random source can take. */
export function seedOption(raw: string | undefined): number | undefined {
  return wholeNumber('--seed', raw, 0, 2 ** 31 - 1);
}

/** `--as-of` and `--time-zone`, checked here so that the message names the flag, not a field of the file. */
export function snapshotOverrides(raw: RawMetricOptions): SnapshotOverrides {
  const out: { asOf?: string; timeZone?: string } = {};
  if (raw.asOf !== undefined) {
    if (!isRealInstant(raw.asOf)) {
      throw new CliError(`--as-of must be an ISO-8601 instant with an offset, e.g. 2025-03-01T12:00:00Z or 2025-03-01T13:00:00+01:00, got '${raw.asOf}'`);
    }
    out.asOf = raw.asOf;
  }
  if (raw.timeZone !== undefined) {
    if (!isTimeZone(raw.timeZone)) throw new CliError(`--time-zone must be an IANA time zone, e.g. Europe/Berlin or UTC, got '${raw.timeZone}'`);
    out.timeZone = raw.timeZone;
  }
  return out;
}

/**
 * Applies the overrides to raw snapshot JSON, before `parseSnapshot` sees it, so that the overridden values are
 * checked and defaulted exactly like values from the file. Non-objects pass through for the schema to reject.
 */
export function applyOverrides(input: unknown, overrides: SnapshotOverrides): unknown {
  if (!isObject(input)) return input;
  let out: Record<string, unknown> = input;
  if (overrides.asOf !== undefined) out = { ...out, asOf: overrides.asOf };
  if (overrides.timeZone !== undefined && isObject(out['team'])) out = { ...out, team: { ...out['team'], timeZone: overrides.timeZone } };
  return out;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Shape, and a day that exists: Date.parse alone rolls "2025-02-30" over to March 2nd. */
export function isRealInstant(s: string): boolean {
  const m = INSTANT.exec(s);
  if (!m || !Number.isFinite(Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')))) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

export function wholeNumber(flag: string, raw: string | undefined, min: number, max?: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\s*\+?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
    throw new CliError(`${flag} must be a whole number ${range}, got '${raw}'`);
  }
  return n;
}

export function positiveNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!(Number.isFinite(n) && n > 0)) throw new CliError(`${flag} must be a number > 0, got '${raw}'`);
  return n;
}

export function ratio(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!(n > 0 && n <= 1)) throw new CliError(`${flag} must be a ratio above 0 and at most 1, e.g. 0.8, got '${raw}'`);
  return n;
}

export function choice<T extends string>(flag: string, raw: string | undefined, choices: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) throw new CliError(`${flag} must be one of ${choices.join(', ')}, got '${raw}'`);
  return raw as T;
}

const DECIMAL = /^\s*\+?(\d+\.?\d*|\.\d+)\s*$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Drops undefined values so that core's defaults apply and `params` shows only what was chosen. */
export function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
