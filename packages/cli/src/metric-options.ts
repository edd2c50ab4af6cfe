import { Option, type Command } from 'commander';
import { METRIC_OPTIONS, type MetricOptionDescriptor, type MetricsOptions } from '@agile-kpi/core';
import { isTimeZone } from '@agile-kpi/presentation';
import { CliError } from './cli-error';

/**
 * The options `demo` and `metrics` share: declared once so that both commands accept and document the same
 * flags, and parsed here into core's {@link MetricsOptions}. Values stay strings in commander and are checked
 * by us, so that every bad value gets the same kind of message ("--velocity-sprints must be a whole number
 * >= 1, got 'abc'") instead of a stack trace from deep inside a metric. Each flag's help, default and limits are
 * core's (METRIC_OPTIONS, read from its metric-options schema), so a flag cannot drift from what core accepts.
 */

/** The core option behind each metric flag, and the flag's argument, in the order of the help. */
const FLAG_OPTIONS = {
  '--velocity-sprints': ['velocity.lastN', '<n>'],
  '--lens-planned-days': ['velocity.azureDevOps.plannedDaysAfterStart', '<n>'],
  '--lens-late-days': ['velocity.azureDevOps.lateDaysAfterEnd', '<n>'],
  '--goal-sprints': ['sprintGoalRate.lastN', '<n>'],
  '--goal-threshold': ['sprintGoalRate.inferredThreshold', '<ratio>'],
  '--impediment-days': ['impedimentResolutionTime.days', '<n>'],
  '--impediment-sprints': ['impedimentResolutionTime.sprints', '<n>'],
  '--stale-days': ['backlogHealth.staleDays', '<n>'],
  '--ready-depth-mode': ['backlogHealth.readyDepthMode', '<mode>'],
  '--flow-weeks': ['flow.weeks', '<n>'],
  '--release-trials': ['releasePredictability.trials', '<n>'],
  '--adoption-target': ['featureAdoption.target', '<ratio>'],
  '--impact-weeks': ['releaseImpact.weeks', '<n>'],
  // Last, with the help its command gives: one seed for every random source of a report.
  '--seed': ['releasePredictability.seed', '<n>'],
} as const;
type MetricFlag = keyof typeof FLAG_OPTIONS;

function coreOption(flag: MetricFlag): MetricOptionDescriptor {
  const [name] = FLAG_OPTIONS[flag];
  const d = METRIC_OPTIONS.find((o) => o.name === name);
  if (!d) throw new Error(`core has no metric option ${name} (behind ${flag})`);
  return d;
}

/** A flag's help: core's one line and its default ("closed sprints averaged into the velocity (default 3)"). */
function flagHelp(flag: MetricFlag): string {
  const d = coreOption(flag);
  return `${d.help} (default${d.default === null ? `: ${d.defaultText}` : ` ${String(d.default)}`})`;
}

/** A whole-number flag checked against core's limits for its option. */
function wholeFlag(flag: MetricFlag, raw: string | undefined): number | undefined {
  const d = coreOption(flag);
  return wholeNumber(flag, raw, d.min ?? 0, d.max);
}

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
export const DEFAULT_SEED = coreOption('--seed').default as number;

/** Declares the shared options on a command, in one help group. */
export function addMetricOptions(cmd: Command, seedHelp: string): Command {
  const group = 'Metric options:';
  const opt = (flags: string, description: string) => new Option(flags, description).helpGroup(group);
  cmd
    .addOption(opt('--as-of <iso>', 'compute as at this instant instead of the snapshot\'s asOf, e.g. 2025-03-01T12:00:00Z'))
    .addOption(opt('--time-zone <iana>', 'read days, weeks and working hours in this zone instead of the team\'s, e.g. Europe/Berlin'));
  for (const [flag, [, arg]] of Object.entries(FLAG_OPTIONS) as [MetricFlag, (typeof FLAG_OPTIONS)[MetricFlag]][]) {
    cmd.addOption(opt(`${flag} ${arg}`, flag === '--seed' ? seedHelp : flagHelp(flag)));
  }
  return cmd;
}

/** Parses the shared options into core's MetricsOptions; throws a CliError naming the flag and the value. */
export function metricOptions(raw: RawMetricOptions): MetricsOptions {
  if (raw.impedimentDays !== undefined && raw.impedimentSprints !== undefined) {
    throw new CliError('--impediment-days and --impediment-sprints both set the impediment window: give one of them');
  }
  const velocityLastN = wholeFlag('--velocity-sprints', raw.velocitySprints);
  const plannedDaysAfterStart = wholeFlag('--lens-planned-days', raw.lensPlannedDays);
  const lateDaysAfterEnd = wholeFlag('--lens-late-days', raw.lensLateDays);
  const goalLastN = wholeFlag('--goal-sprints', raw.goalSprints);
  const goalThreshold = ratio('--goal-threshold', raw.goalThreshold);
  const impedimentDays = positiveNumber('--impediment-days', raw.impedimentDays);
  const impedimentSprints = wholeFlag('--impediment-sprints', raw.impedimentSprints);
  const staleDays = positiveNumber('--stale-days', raw.staleDays);
  const readyDepthMode = choice('--ready-depth-mode', raw.readyDepthMode, coreOption('--ready-depth-mode').choices as readonly ('top-run' | 'all-ready')[]);
  const flowWeeks = wholeFlag('--flow-weeks', raw.flowWeeks);
  const trials = wholeFlag('--release-trials', raw.releaseTrials);
  const seed = seedOption(raw.seed) ?? DEFAULT_SEED;
  const adoptionTarget = ratio('--adoption-target', raw.adoptionTarget);
  const impactWeeks = wholeFlag('--impact-weeks', raw.impactWeeks);
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
  return wholeFlag('--seed', raw);
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

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Drops undefined values so that core's defaults apply and `params` shows only what was chosen. */
export function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
