import { Cron } from 'croner';
import type { MetricsOptions, MetricsReport } from '@agile-kpi/core';
import { localDateTime } from '@agile-kpi/presentation';
import { type TeamInput, buildReport, lastClosedSprint, teamKey } from '@agile-kpi/report';
import type { Io } from '../io';
import type { Clock } from './clock';
import { type MailTransport, deliver, mailMessage } from './mail';
import { ReportMemory } from './report-memory';
import type { TeamStore } from '../team-store';
import type { Cadence, ScheduleConfig, ScheduleEntry } from './schedule-config';
import { describeSource, loadTeamReport } from './team-sources';

/** A sprint's report is still sent if the scheduler comes back within this long after the morning it was due. */
export const SPRINT_CATCH_UP_MS = 7 * 86_400_000;
/** Bounds the search for the latest cron occurrence (a per-second expression over a day of catch-up). */
const MAX_OCCURRENCES = 200_000;

export interface SchedulerDeps {
  readonly clock: Clock;
  readonly transport: MailTransport;
  /** Where sent periods and summaries are remembered (and tracker data synced): SQLite or PostgreSQL. */
  readonly store: TeamStore;
  /** One line per event: sent (info), failed and when it retries, gave up (error). */
  readonly log: (line: string, level: 'info' | 'error') => void;
  /** For syncing trackers (progress lines go to its stderr). */
  readonly io: Io;
  readonly metrics?: MetricsOptions;
  /** Reads an entry's teams at `now`; default: each source through `loadTeamReport` (tracker sources sync first). */
  readonly load?: (entry: ScheduleEntry, now: number) => Promise<MetricsReport[]>;
}

export interface RunOptions {
  /** Ends the run (Ctrl-C); a send under way finishes first. */
  readonly signal?: AbortSignal;
  /** Run what is due now (and its retries), then return: for cron and CI schedules. */
  readonly once?: boolean;
}

export interface RunSummary {
  sent: number;
  failed: number;
  gaveUp: number;
}

interface Job {
  readonly entry: ScheduleEntry;
  readonly order: number;
  readonly due: number;
  /** A cron occurrence's period key; sprint checks find theirs in the data. */
  readonly period?: string;
  readonly attempt: number;
  /** A regular occurrence schedules the next one; a catch-up or a retry does not. */
  readonly regular: boolean;
}

/**
 * The long-running scheduler: each entry fires at its cron occurrences in its time zone, or checks every morning
 * for sprints that closed since (sending one report for the teams whose sprint closed). A period is sent once:
 * its key (the occurrence, or team and sprint) is recorded in the store after a successful send and checked
 * before every send, so a restart, a catch-up or a retry never sends it again. A failed read or send is logged
 * in one line and retried with exponential back-off while the other entries go on; after the last try the
 * period is given up (a restart within the catch-up window tries it again). On a PostgreSQL store each try holds
 * the memory's lock, so schedulers of two server instances send each period once.
 */
export class Scheduler {
  private memory?: ReportMemory;
  private readonly crons = new Map<string, Cron>();
  private readonly summary: RunSummary = { sent: 0, failed: 0, gaveUp: 0 };

  constructor(
    private readonly config: ScheduleConfig,
    private readonly deps: SchedulerDeps,
  ) {}

  async run(options: RunOptions = {}): Promise<RunSummary> {
    const { clock } = this.deps;
    const signal = options.signal;
    const now = clock.now();
    const queue: Job[] = [];
    const memory = (this.memory ??= await ReportMemory.open(this.deps.store));
    for (const [order, entry] of this.config.entries.entries()) {
      const c = entry.cadence;
      if (c.kind === 'cron') {
        const missed = this.latestOccurrence(c, now, this.config.catchUpMs);
        if (missed !== null && !(await memory.wasSent(entry.name, cronPeriod(missed)))) queue.push({ entry, order, due: now, period: cronPeriod(missed), attempt: 1, regular: false });
      } else {
        // Sprints that closed while the scheduler was not running.
        queue.push({ entry, order, due: now, attempt: 1, regular: false });
      }
      if (!options.once) {
        const next = this.nextCheck(c, now);
        if (next !== null) queue.push({ entry, order, due: next, ...(c.kind === 'cron' ? { period: cronPeriod(next) } : {}), attempt: 1, regular: true });
        this.log(`${entry.name}: ${describeCadence(c)}; next ${next === null ? 'never (the expression has no future occurrence)' : `${localDateTime(new Date(next).toISOString(), c.timezone)} ${c.timezone}`}`);
      }
    }
    while (queue.length && !signal?.aborted) {
      queue.sort((a, b) => a.due - b.due || a.order - b.order);
      const job = queue[0]!;
      const wait = job.due - clock.now();
      if (wait > 0) {
        await clock.sleep(wait, signal);
        if (signal?.aborted) break;
        if (clock.now() < job.due) continue;
      }
      queue.shift();
      const outcome = await this.attempt(job, memory);
      if (job.regular) {
        const next = this.nextCheck(job.entry.cadence, job.due);
        if (next !== null) queue.push({ entry: job.entry, order: job.order, due: next, ...(job.entry.cadence.kind === 'cron' ? { period: cronPeriod(next) } : {}), attempt: 1, regular: true });
      }
      if (outcome.failed) {
        const { attempts } = this.config.retry;
        if (job.attempt < attempts) {
          const delay = this.backoff(job.attempt);
          this.log(`${job.entry.name}: ${outcome.failed}; retry ${job.attempt} of ${attempts - 1} in ${duration(delay)}`, 'error');
          queue.push({ ...job, due: clock.now() + delay, attempt: job.attempt + 1, regular: false });
        } else {
          this.summary.gaveUp++;
          this.log(`${job.entry.name}: ${outcome.failed}; gave up after ${attempts} tries${job.period ? ` (${describePeriod(job.period, job.entry.cadence)} stays unsent)` : ''}`, 'error');
        }
      }
    }
    return { ...this.summary };
  }

  /** One try at an entry's due period(s), holding the memory's lock. Never throws. */
  private async attempt(job: Job, memory: ReportMemory): Promise<{ failed?: string }> {
    try {
      return await memory.exclusively(() => this.attemptHeld(job, memory));
    } catch (err) {
      this.summary.failed++;
      return { failed: `the store: ${oneLine(err)}` };
    }
  }

  /** Read the teams, build, send, remember. Never throws. */
  private async attemptHeld(job: Job, memory: ReportMemory): Promise<{ failed?: string }> {
    const { entry } = job;
    const now = this.deps.clock.now();
    if (job.period && (await memory.wasSent(entry.name, job.period))) return {};
    let reports: MetricsReport[];
    try {
      reports = await this.load(entry, now);
    } catch (err) {
      this.summary.failed++;
      return { failed: `could not read the teams: ${oneLine(err)}` };
    }
    let periods: string[];
    let what: string[];
    if (job.period) {
      periods = [job.period];
      what = [describePeriod(job.period, entry.cadence)];
    } else {
      const due: { r: MetricsReport; key: string }[] = [];
      for (const r of reports) {
        const key = await this.dueSprint(entry, r, now, memory);
        if (key !== undefined) due.push({ r, key });
      }
      if (due.length === 0) return {};
      reports = due.map((x) => x.r);
      periods = due.map((x) => x.key);
      what = reports.map((r) => `${r.team.name}: ${lastClosedSprint(r)!.name} closed`);
    }
    try {
      const teams: TeamInput[] = [];
      for (const report of reports) {
        const previous = await memory.previous(teamKey(report), entry.recipients);
        teams.push({ report, ...(previous ? { previous } : {}), ...(entry.dashboardUrl ? { dashboardUrl: entry.dashboardUrl } : {}) });
      }
      const built = await buildReport(teams, { charts: entry.charts, footerNote: `You get this from the agile-kpi schedule "${entry.name}" (${describeCadence(entry.cadence)}).` });
      const info = await deliver(this.deps.transport, mailMessage(built, { from: this.config.from, to: entry.recipients }), this.config.smtp.label);
      await memory.markSent(entry.name, periods, new Date(this.deps.clock.now()).toISOString());
      await memory.remember(built.summary, entry.recipients);
      this.summary.sent++;
      this.log(`${entry.name}: sent "${built.subject}" to ${entry.recipients.join(', ')} (${what.join('; ')})${info.messageId ? ` ${info.messageId}` : ''}`);
      return {};
    } catch (err) {
      this.summary.failed++;
      return { failed: `send failed: ${oneLine(err)}` };
    }
  }

  private load(entry: ScheduleEntry, now: number): Promise<MetricsReport[]> {
    if (this.deps.load) return this.deps.load(entry, now);
    const { io, store } = this.deps;
    return (async () => {
      const out: MetricsReport[] = [];
      for (const source of entry.sources) {
        try {
          out.push(await loadTeamReport(source, { io, metrics: this.deps.metrics ?? {}, overrides: {}, offline: entry.offline, store: async () => store }));
        } catch (err) {
          throw new Error(`${describeSource(source)}: ${oneLine(err)}`);
        }
      }
      return out;
    })();
  }

  /** The period key of a team's sprint that closed and whose morning check has come, if not sent yet. */
  private async dueSprint(entry: ScheduleEntry, r: MetricsReport, now: number, memory: ReportMemory): Promise<string | undefined> {
    const c = entry.cadence;
    const last = lastClosedSprint(r);
    if (c.kind !== 'after-sprint-close' || !last) return undefined;
    const key = `sprint:${teamKey(r)}#${last.sprintId}`;
    const check = this.nextCheck(c, Date.parse(last.endAt) - 1);
    if (check === null || check > now || now - check > SPRINT_CATCH_UP_MS) return undefined;
    return (await memory.wasSent(entry.name, key)) ? undefined : key;
  }

  /** The next cron occurrence, or the next morning check, strictly after `after`. */
  private nextCheck(c: Cadence, after: number): number | null {
    return this.cron(c).nextRun(new Date(after))?.getTime() ?? null;
  }

  /** The latest occurrence in (now - window, now], if any. */
  private latestOccurrence(c: Cadence, now: number, windowMs: number): number | null {
    let t = now - windowMs;
    let last: number | null = null;
    for (let i = 0; i < MAX_OCCURRENCES; i++) {
      const next = this.nextCheck(c, t);
      if (next === null || next > now) break;
      last = next;
      t = next;
    }
    return last;
  }

  private cron(c: Cadence): Cron {
    const key = `${cadencePattern(c)}|${c.timezone}`;
    let cron = this.crons.get(key);
    if (!cron) {
      cron = cadenceCron(c);
      this.crons.set(key, cron);
    }
    return cron;
  }

  private backoff(attempt: number): number {
    const { firstDelayMs, maxDelayMs } = this.config.retry;
    return Math.min(maxDelayMs, firstDelayMs * 2 ** (attempt - 1));
  }

  private log(line: string, level: 'info' | 'error' = 'info'): void {
    this.deps.log(`${new Date(this.deps.clock.now()).toISOString()} ${line}`, level);
  }
}

/** The cron expression of a cadence: its own, or the daily check of "after sprint close" ("0 9 * * *"). */
export function cadencePattern(c: Cadence): string {
  return c.kind === 'cron' ? c.pattern : `${Number(c.at.slice(3, 5))} ${Number(c.at.slice(0, 2))} * * *`;
}

/** A croner job that never runs by itself: the scheduler asks it for occurrences and waits on its own clock. */
export function cadenceCron(c: Cadence): Cron {
  return new Cron(cadencePattern(c), { timezone: c.timezone, paused: true });
}

function cronPeriod(at: number): string {
  return `cron:${new Date(at).toISOString()}`;
}

function describePeriod(period: string, c: Cadence): string {
  if (period.startsWith('cron:')) return `the ${localDateTime(period.slice(5), c.timezone)} ${c.timezone} report`;
  return `the report on ${period.slice(period.indexOf('#') + 1)}`;
}

export function describeCadence(c: Cadence): string {
  return c.kind === 'cron' ? `cron "${c.pattern}" in ${c.timezone}` : `the morning after each sprint closes (checked daily at ${c.at} ${c.timezone})`;
}

function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round((ms / 3_600_000) * 10) / 10} h`;
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
