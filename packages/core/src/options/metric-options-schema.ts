import { z } from 'zod';

/**
 * Every metric option in one place: its type, default, limits and a one-line help, as zod schemas. The metrics
 * read their options through {@link resolveMetricOptions} (defaults filled in, out-of-range values refused with a
 * {@link MetricOptionError} naming the option), and {@link METRIC_OPTIONS} lists the same options as plain
 * descriptors, read from the schemas, for the surfaces that show or check them (command-line flags and help, a
 * settings form, a host's configuration check).
 *
 * Metadata on each option: `description` (the one-line help), `unit` (what the number counts, for messages),
 * `defaultText` (what applies when an option without a fixed default is left out).
 */

/** The seeds of the random sources (forecast, NPS bootstrap): what a 32-bit generator takes, as the CLI's --seed. */
const seed = (help: string) => z.number().int().min(0).max(2 ** 31 - 1).default(42).meta({ description: help, unit: 'seed' });

/** Impediment window without sprints (and without `days`): the last this-many days. */
export const IMPEDIMENT_DAYS_WITHOUT_SPRINTS = 90;

export const velocityOptionsSchema = z.object({
  lastN: z.number().int().min(1).default(3).meta({ description: 'closed sprints averaged into the velocity', unit: 'sprints' }),
  historyCount: z
    .number()
    .int()
    .min(1)
    .default(7)
    .meta({ description: 'closed sprints shown and used for the median, stability and trend (at least lastN)', unit: 'sprints' }),
  azureDevOps: z
    .object({
      plannedDaysAfterStart: z
        .number()
        .int()
        .min(0)
        .max(30)
        .default(0)
        .meta({ description: 'Azure DevOps lens of velocity: days past the start date when planned work is final, as in its Velocity widget', unit: 'days' }),
      lateDaysAfterEnd: z
        .number()
        .int()
        .min(0)
        .max(30)
        .default(0)
        .meta({ description: 'Azure DevOps lens of velocity: days past the end date after which completed work is late', unit: 'days' }),
    })
    .prefault({}),
});

export const sprintGoalRateOptionsSchema = z.object({
  lastN: z.number().int().min(1).default(6).meta({ description: 'closed sprints in the sprint goal rate', unit: 'sprints' }),
  inferredThreshold: z.number().gt(0).max(1).default(0.8).meta({ description: 'completed/committed at which an inferred goal counts as met', unit: 'ratio' }),
});

export const impedimentResolutionTimeOptionsSchema = z.object({
  sprints: z.number().int().min(1).default(6).meta({ description: 'impediment window in started sprints', unit: 'sprints' }),
  days: z
    .number()
    .gt(0)
    .max(3650)
    .optional()
    .meta({
      description: 'impediment window in days',
      unit: 'days',
      defaultText: `the last 6 sprints; ${IMPEDIMENT_DAYS_WITHOUT_SPRINTS} days when the team has no sprints`,
    }),
  staleOpenDays: z.number().gt(0).default(30).meta({ description: 'open impediments older than this raise a warning', unit: 'days' }),
});

export const sprintProgressOptionsSchema = z.object({
  sprintId: z.string().optional().meta({ description: 'the sprint to chart', unit: 'id', defaultText: 'the sprint active at asOf (the latest started one if several)' }),
});

export const backlogHealthOptionsSchema = z.object({
  staleDays: z.number().gt(0).max(3650).default(90).meta({ description: 'backlog items untouched this long are stale', unit: 'days' }),
  readyDepthMode: z
    .enum(['top-run', 'all-ready'])
    .default('top-run')
    .meta({ description: 'top-run: ready work from the top until the first unready item; all-ready: every ready item', unit: 'mode' }),
  estimatedHorizonSprints: z.number().gt(0).default(2).meta({ description: "sprints' worth of items at the top of the backlog that must be estimated", unit: 'sprints' }),
  growthSprints: z.number().int().min(1).default(3).meta({ description: 'closed sprints the growth and the per-sprint throughput are read over', unit: 'sprints' }),
});

export const releasePredictabilityOptionsSchema = z.object({
  lastN: z.number().int().min(1).default(4).meta({ description: 'released releases in the team figures (the latest)', unit: 'releases' }),
  basis: z
    .enum(['points', 'count'])
    .optional()
    .meta({ description: 'points (estimates as at the baseline) or count (items)', unit: 'basis', defaultText: "count when the team estimates by count, else points" }),
  forecastSprints: z.number().int().min(1).default(6).meta({ description: 'closed sprints sampled by the forecast', unit: 'sprints' }),
  forecastWeeks: z.number().int().min(1).default(12).meta({ description: 'weeks of throughput sampled when the team has no sprints', unit: 'weeks' }),
  // Beyond a million the forecast takes seconds and is no more precise than 10 000 trials in practice.
  trials: z.number().int().min(1).max(1_000_000).default(10_000).meta({ description: 'Monte Carlo trials per release forecast', unit: 'trials' }),
  seed: seed("seed of the forecast's random source: same seed, same dates"),
});

export const flowOptionsSchema = z.object({
  weeks: z.number().int().min(1).default(12).meta({ description: 'complete weeks of throughput, cycle and lead time', unit: 'weeks' }),
});

export const customerSatisfactionOptionsSchema = z.object({
  trendPeriods: z.number().int().min(2).default(6).meta({ description: 'complete months the satisfaction trend covers', unit: 'months' }),
  seed: seed('seed of the NPS bootstrap: same seed, same interval'),
});

export const featureAdoptionOptionsSchema = z.object({
  target: z.number().gt(0).max(1).default(0.2).meta({ description: 'feature adoption: the share of active users a feature should reach', unit: 'share' }),
  days: z
    .array(z.number().int().min(1))
    .min(1)
    .default([7, 30, 90])
    .meta({ description: 'days after the release at which adoption is read', unit: 'days' }),
});

export const releaseImpactOptionsSchema = z.object({
  weeks: z.number().int().min(1).max(26).default(4).meta({ description: 'release impact: weeks of survey responses before and after each release compared', unit: 'weeks' }),
  seed: seed('seed of the NPS bootstrap: same seed, same interval'),
});

/** The options of each metric, by the metric's name (the keys of `MetricsOptions`). */
export const metricOptionsSchema = z.object({
  velocity: velocityOptionsSchema.optional(),
  sprintGoalRate: sprintGoalRateOptionsSchema.optional(),
  impedimentResolutionTime: impedimentResolutionTimeOptionsSchema.optional(),
  sprintProgress: sprintProgressOptionsSchema.optional(),
  backlogHealth: backlogHealthOptionsSchema.optional(),
  releasePredictability: releasePredictabilityOptionsSchema.optional(),
  flow: flowOptionsSchema.optional(),
  customerSatisfaction: customerSatisfactionOptionsSchema.optional(),
  featureAdoption: featureAdoptionOptionsSchema.optional(),
  releaseImpact: releaseImpactOptionsSchema.optional(),
});

const SCHEMAS = {
  velocity: velocityOptionsSchema,
  sprintGoalRate: sprintGoalRateOptionsSchema,
  impedimentResolutionTime: impedimentResolutionTimeOptionsSchema,
  sprintProgress: sprintProgressOptionsSchema,
  backlogHealth: backlogHealthOptionsSchema,
  releasePredictability: releasePredictabilityOptionsSchema,
  flow: flowOptionsSchema,
  customerSatisfaction: customerSatisfactionOptionsSchema,
  featureAdoption: featureAdoptionOptionsSchema,
  releaseImpact: releaseImpactOptionsSchema,
} as const;

export type MetricWithOptions = keyof typeof SCHEMAS;
/** A metric's options with every default filled in (options without a fixed default stay optional). */
export type ResolvedOptions<M extends MetricWithOptions> = z.output<(typeof SCHEMAS)[M]>;

/** One option as the surfaces need it: a flag, a form field, a line of help. */
export interface MetricOptionDescriptor {
  /** `metric.option`, e.g. `velocity.lastN` or `velocity.azureDevOps.lateDaysAfterEnd`. */
  readonly name: string;
  readonly metric: MetricWithOptions;
  /** The option's path inside the metric's options, e.g. `azureDevOps.lateDaysAfterEnd`. */
  readonly option: string;
  readonly type: 'integer' | 'number' | 'choice' | 'integers' | 'text';
  /** The value used when the option is left out; null when it depends on the data (see `defaultText`). */
  readonly default: number | string | readonly number[] | null;
  /** What applies when the option is left out and there is no fixed default. */
  readonly defaultText?: string;
  /** Smallest value allowed (for `integers`: of each element); with `minExclusive`, values must be above it. */
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly choices?: readonly string[];
  /** What the number counts: `sprints`, `days`, `ratio`... */
  readonly unit: string;
  readonly help: string;
}

/** An option outside its limits: a RangeError whose message names the metric, the option, the rule and the value. */
export class MetricOptionError extends RangeError {
  override readonly name = 'MetricOptionError';
  constructor(
    /** null when the options as a whole are not an object keyed by metric. */
    readonly metric: MetricWithOptions | null,
    /** The option's path inside the metric's options (`lastN`, `azureDevOps.lateDaysAfterEnd`); '' for the whole. */
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

interface JsonSchemaNode {
  readonly type?: string;
  readonly default?: unknown;
  readonly description?: string;
  readonly unit?: string;
  readonly defaultText?: string;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
  readonly items?: JsonSchemaNode;
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
}

function describeSchema(metric: MetricWithOptions, node: JsonSchemaNode, prefix: string): MetricOptionDescriptor[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, p]) => {
    const option = prefix + key;
    if (p.type === 'object') return describeSchema(metric, p, `${option}.`);
    const bounds = p.type === 'array' ? p.items! : p;
    const min = bounds.exclusiveMinimum ?? bounds.minimum;
    // zod publishes the safe-integer range of `.int()`: that is no limit a user needs to hear about.
    const max = bounds.maximum === Number.MAX_SAFE_INTEGER ? undefined : bounds.maximum;
    const type: MetricOptionDescriptor['type'] =
      p.enum ? 'choice' : p.type === 'array' ? 'integers' : p.type === 'integer' ? 'integer' : p.type === 'number' ? 'number' : 'text';
    return [
      {
        name: `${metric}.${option}`,
        metric,
        option,
        type,
        default: (p.default as MetricOptionDescriptor['default'] | undefined) ?? null,
        ...(p.defaultText ? { defaultText: p.defaultText } : {}),
        ...(min !== undefined ? { min } : {}),
        ...(bounds.exclusiveMinimum !== undefined ? { minExclusive: true } : {}),
        ...(max !== undefined ? { max } : {}),
        ...(p.enum ? { choices: p.enum } : {}),
        unit: p.unit ?? '',
        help: p.description ?? '',
      },
    ];
  });
}

/**
 * Every metric option as a descriptor (name, default, limits, help), read from the schemas above so that a flag,
 * a form field or a configuration check derived from them cannot drift from what core accepts.
 *
 * @example METRIC_OPTIONS.find((o) => o.name === 'velocity.lastN') // { type: 'integer', default: 3, min: 1, unit: 'sprints', help: 'closed sprints averaged into the velocity', ... }
 */
export const METRIC_OPTIONS: readonly MetricOptionDescriptor[] = (Object.keys(SCHEMAS) as MetricWithOptions[]).flatMap((metric) =>
  describeSchema(metric, z.toJSONSchema(SCHEMAS[metric], { io: 'input' }) as JsonSchemaNode, ''),
);

const BY_NAME = new Map(METRIC_OPTIONS.map((d) => [d.name, d]));

/** The rule an option's value must follow, in words: "a whole number of sprints, 1 or more". */
export function optionRule(d: MetricOptionDescriptor): string {
  const example = typeof d.default === 'number' ? `, e.g. ${d.default}` : '';
  switch (d.type) {
    case 'choice':
      return `one of ${d.choices!.join(', ')}`;
    case 'text':
      return 'a text';
    case 'integers':
      return `a list of whole numbers of ${d.unit}, each ${d.min} or more`;
    case 'integer':
      return d.max !== undefined ? `a whole number of ${d.unit} from ${d.min} to ${d.max}` : `a whole number of ${d.unit}, ${d.min} or more`;
    case 'number':
      if (d.unit === 'ratio' || d.unit === 'share') return `a ${d.unit} above ${d.min} and at most ${d.max}${example}`;
      return `a positive number of ${d.unit}${d.max !== undefined ? ` up to ${d.max}` : ''}${example}`;
  }
}

/**
 * A metric's options checked and with the defaults filled in. Throws a {@link MetricOptionError} naming the first
 * option outside its limits, e.g. "backlogHealth: growthSprints must be a whole number of sprints, 1 or more, got 0".
 *
 * @example resolveMetricOptions('flow', {}).weeks // 12
 */
export function resolveMetricOptions<M extends MetricWithOptions>(metric: M, options: unknown = {}): ResolvedOptions<M> {
  const parsed = SCHEMAS[metric].safeParse(options);
  if (parsed.success) return parsed.data as ResolvedOptions<M>;
  throw optionError(metric, options, parsed.error.issues[0]!.path);
}

/**
 * Checks the options of every metric at once (what a surface does with a whole configuration before computing),
 * and returns them as given: defaults stay with the metrics.
 *
 * @example checkMetricOptions({ flow: { weeks: 0 } }) // throws "flow: weeks must be a whole number of weeks, 1 or more, got 0"
 */
export function checkMetricOptions<T>(options: T): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MetricOptionError(null, '', `metric options must be an object keyed by metric, got ${JSON.stringify(options)}`);
  }
  for (const metric of Object.keys(SCHEMAS) as MetricWithOptions[]) {
    const own = (options as Record<string, unknown>)[metric];
    if (own !== undefined) resolveMetricOptions(metric, own);
  }
  return options;
}

function optionError(metric: MetricWithOptions, options: unknown, path: readonly PropertyKey[]): MetricOptionError {
  // The deepest named option on the path: an element of a list is reported as the list.
  for (let n = path.length; n > 0; n--) {
    const option = path.slice(0, n).join('.');
    const d = BY_NAME.get(`${metric}.${option}`);
    if (d) return new MetricOptionError(metric, option, `${metric}: ${option} must be ${optionRule(d)}, got ${JSON.stringify(valueAt(options, path.slice(0, n)))}`);
  }
  const option = path.join('.');
  const what = option ? `${metric}: ${option} must be an object of options` : `${metric}: the options must be an object`;
  return new MetricOptionError(metric, option, `${what}, got ${JSON.stringify(valueAt(options, path))}`);
}

function valueAt(options: unknown, path: readonly PropertyKey[]): unknown {
  let v = options;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}
