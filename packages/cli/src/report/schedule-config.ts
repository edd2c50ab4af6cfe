import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { defaultStorePath, isPostgresUrl } from '@agile-kpi/store';
import { isTimeZone } from '@agile-kpi/presentation';
import { CliError, fileError } from '../cli-error';
import type { Io } from '../io';
import { machineZone, parseYamlConfig, problemsError } from '../yaml-config';
import { simulateDemoTeam } from '../outcomes/demo-outcomes';
import { type SmtpSettings, parseAddresses, smtpSettings } from './mail';
import { checkUrl, senderOf } from './report-options';
import type { TeamSource } from './team-sources';
import { TRACKERS, findTracker } from '../trackers';

/**
 * `schedules.yml`: what the scheduler sends, to whom and when. Checked completely on start — shape (zod), cron
 * expressions (croner), time zones, addresses, URLs, tracker credentials — and every problem named by its entry
 * and field in one line ("schedules.yml: entries[1] (platform-weekly).cadence.cron: ..."), so a typo is found
 * when the scheduler starts, not on Monday at 08:00.
 *
 * ```yaml
 * from: agile-kpi <kpi@example.com>     # SMTP comes from $SMTP_URL (or smtp: here)
 * entries:
 *   - name: platform-weekly
 *     source: jira                      # jira | azure-devops | file | demo
 *     teams: [42, 43]                   # board ids; azure-devops: "Project/Team"; file: paths; demo: seeds
 *     recipients: [lead@example.com, coach@example.com]
 *     cadence: { cron: "0 8 * * MON", timezone: Europe/Berlin }
 *   - name: platform-sprint
 *     source: azure-devops
 *     teams: ["Fabrikam/Fabrikam Team"]
 *     recipients: lead@example.com
 *     cadence: { after-sprint-close: { at: "09:00", timezone: Europe/Berlin } }
 * ```
 */

export type Cadence =
  | { readonly kind: 'cron'; readonly pattern: string; readonly timezone: string }
  /** The morning after each sprint closes: a check every day at `at`, local time. */
  | { readonly kind: 'after-sprint-close'; readonly at: string; readonly timezone: string };

export interface ScheduleEntry {
  readonly name: string;
  readonly sources: readonly TeamSource[];
  readonly recipients: readonly string[];
  readonly cadence: Cadence;
  readonly dashboardUrl?: string;
  /** Read the store as it is, without syncing before each report. */
  readonly offline: boolean;
  readonly charts: boolean;
}

export interface RetryPolicy {
  /** Tries per period, the first included. */
  readonly attempts: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export interface ScheduleConfig {
  readonly entries: readonly ScheduleEntry[];
  readonly smtp: SmtpSettings;
  readonly from: string;
  readonly storePath: string;
  readonly defaultStore: boolean;
  readonly retry: RetryPolicy;
  /** A cron report missed while the scheduler was down is sent on start if it is at most this late. */
  readonly catchUpMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 60_000, maxDelayMs: 3_600_000 };
export const DEFAULT_CATCH_UP_MS = 24 * 3_600_000;

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/;
const duration = z.union([z.number().positive(), z.string().regex(DURATION, 'a duration such as 90s, 5m, 2h or 1d')]);
const team = z.union([z.number(), z.string(), z.record(z.string(), z.unknown())], { error: 'a team: a board id, "Project/Team", a file path or an object' });

const entrySchema = z.strictObject({
  name: z.string({ error: 'a name is required, e.g. platform-weekly' }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a name of letters, digits, ".", "_" and "-" (up to 64), e.g. platform-weekly'),
  source: z.enum(['jira', 'azure-devops', 'file', 'demo'], { error: 'one of jira, azure-devops, file, demo' }),
  site: z.string().optional(),
  org: z.string().optional(),
  teams: z.array(team, { error: 'a list of teams, e.g. [42] (Jira board ids)' }).min(1, 'list at least one team'),
  recipients: z.union([z.string(), z.array(z.string())], { error: 'an address or a list of addresses' }),
  cadence: z.strictObject(
    {
      cron: z.string().optional(),
      timezone: z.string().optional(),
      'after-sprint-close': z.strictObject({ at: z.string({ error: 'the local time of the check, e.g. "09:00"' }), timezone: z.string().optional() }).optional(),
    },
    { error: 'a cadence: { cron: "0 8 * * MON", timezone: Europe/Berlin } or { after-sprint-close: { at: "09:00", timezone: Europe/Berlin } }' },
  ),
  'dashboard-url': z.string().optional(),
  'time-zone': z.string().optional(),
  offline: z.boolean().optional(),
  charts: z.boolean().optional(),
});

const configSchema = z.strictObject({
  smtp: z.string().optional(),
  from: z.string().optional(),
  store: z.string().optional(),
  retry: z.strictObject({ attempts: z.number().int().min(1).max(20).optional(), 'first-delay': duration.optional(), 'max-delay': duration.optional() }).optional(),
  'catch-up': duration.optional(),
  entries: z.array(entrySchema, { error: 'a list of entries (each with name, source, teams, recipients, cadence)' }).min(1, 'list at least one entry'),
});

type RawConfig = z.infer<typeof configSchema>;
type RawEntry = z.infer<typeof entrySchema>;

/** Reads and checks a schedules file; throws one CliError listing every problem. */
export function loadScheduleConfig(path: string, io: Io, overrides: { store?: string } = {}): ScheduleConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fileError('read', path, err);
  }
  return parseScheduleConfig(text, path, io, overrides);
}

export function parseScheduleConfig(text: string, path: string, io: Io, overrides: { store?: string } = {}): ScheduleConfig {
  const { data } = parseYamlConfig(text, path, configSchema);
  const problems: string[] = [];
  const config = resolveConfig(data, path, io, overrides, problems);
  if (problems.length) throw problemsError(path, problems);
  return config!;
}

function seconds(raw: number | string | undefined, fallbackMs: number): number {
  if (raw === undefined) return fallbackMs;
  if (typeof raw === 'number') return raw * 1000;
  const m = DURATION.exec(raw)!;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's']!;
}

function resolveConfig(raw: RawConfig, path: string, io: Io, overrides: { store?: string }, problems: string[]): ScheduleConfig | undefined {
  const names = new Set<string>();
  const entries: ScheduleEntry[] = [];
  const base = dirname(resolve(path));
  raw.entries.forEach((e, i) => {
    const at = `entries[${i}] (${e.name})`;
    if (names.has(e.name)) problems.push(`${at}.name: '${e.name}' is used by an earlier entry; names must be unique (they key what was sent)`);
    names.add(e.name);
    const entry = resolveEntry(e, at, base, io, problems);
    if (entry) entries.push(entry);
  });
  let smtp: SmtpSettings | undefined;
  if (raw.smtp === undefined && !io.env['SMTP_URL']) problems.push('smtp: no SMTP server: set SMTP_URL=smtp://user:pass@mail.example.com:587 (or smtp: in this file)');
  else {
    try {
      smtp = smtpSettings(raw.smtp, io.env, raw.smtp === undefined ? 'SMTP_URL' : 'smtp');
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  let from = '';
  try {
    from = senderOf(raw.from, io.env, smtp?.options.auth?.user, 'from');
  } catch (err) {
    problems.push((err as Error).message);
  }
  const retry: RetryPolicy = {
    attempts: raw.retry?.attempts ?? DEFAULT_RETRY.attempts,
    firstDelayMs: seconds(raw.retry?.['first-delay'], DEFAULT_RETRY.firstDelayMs),
    maxDelayMs: seconds(raw.retry?.['max-delay'], DEFAULT_RETRY.maxDelayMs),
  };
  if (retry.maxDelayMs < retry.firstDelayMs) problems.push('retry.max-delay: must not be shorter than retry.first-delay');
  const storeRaw = overrides.store ?? raw.store;
  const storePath = storeRaw !== undefined ? (isAbsolute(storeRaw) || storeRaw === ':memory:' || isPostgresUrl(storeRaw) ? storeRaw : resolve(base, storeRaw)) : defaultStorePath(io.env);
  if (problems.length || !smtp) return undefined;
  return {
    entries,
    smtp,
    from,
    storePath,
    defaultStore: storeRaw === undefined && io.env['AGILE_KPI_STORE'] === undefined,
    retry,
    catchUpMs: seconds(raw['catch-up'], DEFAULT_CATCH_UP_MS),
  };
}

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

function resolveEntry(e: RawEntry, at: string, base: string, io: Io, problems: string[]): ScheduleEntry | undefined {
  const before = problems.length;
  const fail = (field: string, message: string) => problems.push(`${at}${field ? `.${field}` : ''}: ${message}`);
  let cadence: Cadence | undefined;
  const c = e.cadence;
  const sprint = c['after-sprint-close'];
  if ((c.cron === undefined) === (sprint === undefined)) fail('cadence', 'give either cron: "0 8 * * MON" or after-sprint-close: { at: "09:00" }');
  else if (sprint) {
    const zone = sprint.timezone ?? c.timezone ?? machineZone();
    if (!HHMM.test(sprint.at)) fail('cadence.after-sprint-close.at', `a local time like "09:00", got '${sprint.at}'`);
    else if (!isTimeZone(zone)) fail('cadence.after-sprint-close.timezone', `an IANA time zone such as Europe/Berlin, got '${zone}'`);
    else cadence = { kind: 'after-sprint-close', at: sprint.at.padStart(5, '0'), timezone: zone };
  } else {
    const zone = c.timezone ?? machineZone();
    if (!isTimeZone(zone)) fail('cadence.timezone', `an IANA time zone such as Europe/Berlin, got '${zone}'`);
    else {
      try {
        new Cron(c.cron!, { timezone: zone, paused: true });
        cadence = { kind: 'cron', pattern: c.cron!, timezone: zone };
      } catch (err) {
        fail('cadence.cron', `'${c.cron}' is not a cron expression (minute hour day-of-month month day-of-week, e.g. "0 8 * * MON"): ${(err as Error).message.replace(/^CronPattern: /, '')}`);
      }
    }
  }
  let recipients: string[] = [];
  try {
    recipients = parseAddresses('recipients', e.recipients);
  } catch (err) {
    problems.push(`${at}.${(err as Error).message}`);
  }
  let dashboardUrl: string | undefined;
  try {
    dashboardUrl = checkUrl('dashboard-url', e['dashboard-url']);
  } catch (err) {
    problems.push(`${at}.${(err as Error).message}`);
  }
  const zone = e['time-zone'];
  if (zone !== undefined && !isTimeZone(zone)) fail('time-zone', `an IANA time zone such as Europe/Berlin, got '${zone}'`);
  for (const tracker of TRACKERS) {
    const others = TRACKERS.filter((t) => t !== tracker).map((t) => `${t.id} takes ${t.siteField}:`);
    if (e[tracker.siteField] !== undefined && e.source !== tracker.id) fail(tracker.siteField, `only for source: ${tracker.id} (${others.join(', ')})`);
  }
  const credentials = missingCredentials(e, io.env);
  if (credentials) fail(credentials.field, credentials.message);
  const sources: TeamSource[] = [];
  if (!credentials) e.teams.forEach((t, j) => {
    try {
      sources.push(teamSource(e, t, base, io));
    } catch (err) {
      fail(`teams[${j}]`, (err as Error).message);
    }
  });
  if (problems.length > before || !cadence) return undefined;
  return { name: e.name, sources, recipients, cadence, ...(dashboardUrl ? { dashboardUrl } : {}), offline: e.offline === true, charts: e.charts !== false };
}

function teamSource(e: RawEntry, t: unknown, base: string, io: Io): TeamSource {
  const obj = typeof t === 'object' && t !== null ? (t as Record<string, unknown>) : undefined;
  const zone = e['time-zone'];
  const tracker = findTracker(e.source);
  if (tracker) return { kind: 'tracker', team: tracker.scheduledTeam(t, e[tracker.siteField], io.env), options: zone ? { timeZone: zone } : {} };
  switch (e.source) {
    case 'file': {
      const file = obj ? obj['file'] : t;
      if (typeof file !== 'string' || !file) throw new CliError(`a snapshot file path (or { file: path }), got ${JSON.stringify(t)}`);
      return { kind: 'file', path: isAbsolute(file) ? file : resolve(base, file) };
    }
    default: {
      const seed = obj ? obj['seed'] : t;
      if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new CliError(`a simulation seed such as 42 (or { seed: 42 }), got ${JSON.stringify(t)}`);
      return { kind: 'demo', team: simulateDemoTeam({ seed, ...(zone ? { timeZone: zone } : {}) }) };
    }
  }
}

/** Tracker credentials come from the environment (never the file); said once per entry, in this file's terms. */
function missingCredentials(e: RawEntry, env: Io['env']): { field: string; message: string } | undefined {
  const tracker = findTracker(e.source);
  return tracker?.missingCredentials(e[tracker.siteField], env);
}

