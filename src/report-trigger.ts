import { createHash } from 'node:crypto';
import type { MetricsReport } from '@agile-kpi/core';
import { ACCOUNT_ID, type DashboardConfig } from '@agile-kpi/presentation';
import { budgetedSleep, budgetedTransport, leaseOwner } from '@agile-kpi/hosted-service';
import { JiraClient, forgeTransport } from '@agile-kpi/jira';
import { type ReportSummary, checkSummary, lastClosedSprint, notifyReport } from '@agile-kpi/report/notify';
import { mapPool } from '@agile-kpi/tracker-client';
import type { AppDeps, GadgetRecord } from './app';
import { BoardService } from './board-service';
import { boardIdOf, optionsKeyOf } from './gadget-config';
import { hostError } from './host-error';
import { KvsBlobs } from './kvs-blobs';
import { isKeyConflict } from './kvs-board-store';

/**
 * The emailed health report from the Forge app: a daily scheduled trigger that, for every board whose gadgets
 * list report recipients (the gadget's edit view: account ids or group names, the issue to notify on, weekly or
 * after each sprint), builds the report from the board's cached metrics and sends it through Jira's notify API
 * (`POST /rest/api/3/issue/{key}/notify`, scope `send:notification:jira`) to those users and groups, restricted
 * to people who may browse the issue. See docs/reports.md for why notify and not an external mail API.
 *
 * - One report per distinct (board, metric settings, issue, cadence); recipients of gadgets that share all four
 *   are merged.
 * - Weekly: once per ISO week in the team's zone (the first daily run of the week, so Monday). After each
 *   sprint: once per sprint, on the first run after it closed (within 7 days).
 * - Never twice for a period: the periods sent are kept per subscription in the Key-Value Store, and a claim
 *   (an atomic create with a time to live) keeps two overlapping runs from both sending. A failed send releases
 *   the claim: the next day's run tries again.
 * - The notification carries the HTML and the plain text of `notifyReport` (@agile-kpi/report/notify): the
 *   CLI's email's figures, sentences and links, as plain inline-styled HTML without MJML. No charts are drawn
 *   here: Jira's notify API takes an `htmlBody` and no attachments, so there is nowhere to put the inline PNGs,
 *   and the PNGs come from resvg, a native addon that Forge's bundler (webpack) cannot pack into the backend.
 *   Each KPI links to its view on the dashboard and to the issues instead (docs/forge.md).
 */
export interface ReportTriggerSummary {
  readonly subscriptions: number;
  readonly sent: number;
  /** Not due, already sent, or the board not synced yet. */
  readonly skipped: number;
  readonly failed: number;
}

/** One report to send: a board with its settings, and everybody its gadgets list. */
export interface ReportSubscription {
  readonly key: string;
  readonly boardId: number;
  readonly config: DashboardConfig;
  readonly issueKey: string;
  readonly cadence: 'weekly' | 'sprint';
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly groupIds: readonly string[];
  readonly dashboardId?: string;
}

interface SubscriptionState {
  readonly periods: readonly string[];
  readonly summary?: ReportSummary;
  readonly sentAt?: string;
}

const SITE_KEY = 'app:site';
const GADGET_PREFIX = 'gadget:';
const STATE_PREFIX = 'report-subscription:';
const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SPRINT_WINDOW_MS = 7 * 86_400_000;
/** The trigger's own deadline (its function has timeoutSeconds 900). */
const DEADLINE_MS = 840_000;
const KEEP_PERIODS = 60;

/** Never throws: one subscription failing does not stop the others; each outcome is one log line. */
export async function sendScheduledReports(deps: AppDeps): Promise<ReportTriggerSummary> {
  const log = deps.log ?? console;
  const { clock, kvs } = deps;
  const blobs = new KvsBlobs(kvs, deps.blobOptions);
  const start = clock.now();
  const deadline = start + DEADLINE_MS;
  const out = { subscriptions: 0, sent: 0, skipped: 0, failed: 0 };
  let subscriptions: ReportSubscription[];
  let site: string;
  try {
    subscriptions = reportSubscriptions(await gadgetRecords(blobs));
    site = (await blobs.get<string>(SITE_KEY)) ?? 'this Jira site';
  } catch (err) {
    log.error('agile-kpi: reports: could not read the gadgets’ settings', err);
    return out;
  }
  out.subscriptions = subscriptions.length;
  const service = new BoardService({
    requestJira: deps.requestJira,
    blobs,
    clock,
    log,
    site,
    newId: deps.newId ?? (() => leaseOwner(clock)),
  });
  for (const sub of subscriptions) {
    if (clock.now() >= deadline) {
      out.skipped++;
      log.warn(`agile-kpi: reports: out of time before board ${sub.boardId} (${sub.issueKey}); tomorrow's run sends it`);
      continue;
    }
    const stateKey = `${STATE_PREFIX}${sub.key}`;
    let claimKey: string | undefined;
    try {
      const entry = await service.report(service.store(sub.boardId), sub.config);
      if (!entry) {
        out.skipped++;
        log.info(`agile-kpi: reports: board ${sub.boardId} has not been synced yet; its report waits for the hourly refresh`);
        continue;
      }
      const now = clock.now();
      const period = periodOf(sub.cadence, entry.report, now);
      const state = (await blobs.get<SubscriptionState>(stateKey)) ?? { periods: [] };
      if (!period || state.periods.includes(period)) {
        out.skipped++;
        continue;
      }
      claimKey = `${stateKey}:claim:${hash(period)}`;
      try {
        await kvs.set(claimKey, { at: new Date(now).toISOString() }, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 1, unit: 'HOURS' } });
      } catch (err) {
        claimKey = undefined;
        if (isKeyConflict(err)) {
          out.skipped++;
          log.info(`agile-kpi: reports: board ${sub.boardId}'s ${period} report is being sent by another run`);
          continue;
        }
        throw err;
      }
      const previous = checkSummary(state.summary);
      const dashboardUrl = sub.dashboardId && /^https?:\/\//.test(site) ? `${site.replace(/\/+$/, '')}/jira/dashboards/${encodeURIComponent(sub.dashboardId)}` : undefined;
      const built = notifyReport({ report: entry.report, ...(previous ? { previous } : {}), ...(dashboardUrl ? { dashboardUrl } : {}) }, {
        footerNote: `You get this ${sub.cadence === 'weekly' ? 'weekly' : 'after each sprint'} because an agile-kpi gadget on a Jira dashboard lists you; its settings (Edit) change who gets it. Sent as a notification on ${sub.issueKey}.`,
      });
      await notify(deps, site, deadline, sub, built);
      await blobs.put(stateKey, { periods: [...state.periods, period].slice(-KEEP_PERIODS), summary: built.summary, sentAt: new Date(clock.now()).toISOString() } satisfies SubscriptionState);
      out.sent++;
      log.info(`agile-kpi: reports: sent "${built.subject}" on ${sub.issueKey} to ${describeRecipients(sub)} (${period})`);
    } catch (err) {
      out.failed++;
      if (claimKey) await kvs.delete(claimKey).catch(() => undefined);
      const e = hostError(err);
      log.warn(`agile-kpi: reports: board ${sub.boardId} on ${sub.issueKey} failed: ${e.kind}: ${e.message}; tomorrow's run tries again`);
    }
  }
  log.info(`agile-kpi: reports: ${out.subscriptions} subscriptions, ${out.sent} sent, ${out.skipped} skipped, ${out.failed} failed`);
  return out;
}

/**
 * The reports the gadgets ask for. Gadgets without recipients or without a board ask for none; gadgets of one
 * board with the same settings, issue and cadence make one report to all their recipients.
 */
export function reportSubscriptions(gadgets: readonly GadgetRecord[]): ReportSubscription[] {
  const byKey = new Map<string, { boardId: number; config: DashboardConfig; issueKey: string; cadence: 'weekly' | 'sprint'; recipients: Set<string>; dashboardId?: string }>();
  for (const g of gadgets) {
    const c = g.config;
    if (!c.reportRecipients?.length || !c.reportIssueKey) continue;
    let boardId: number;
    try {
      boardId = boardIdOf(c);
    } catch {
      continue;
    }
    const cadence = c.reportCadence ?? 'weekly';
    const key = hash(JSON.stringify([boardId, optionsKeyOf(c), c.reportIssueKey, cadence]));
    const sub = byKey.get(key) ?? { boardId, config: c, issueKey: c.reportIssueKey, cadence, recipients: new Set<string>(), ...(g.dashboardId ? { dashboardId: g.dashboardId } : {}) };
    for (const r of c.reportRecipients) sub.recipients.add(r);
    byKey.set(key, sub);
  }
  return [...byKey.entries()]
    .map(([key, s]) => {
      const all = [...s.recipients].sort();
      return {
        key,
        boardId: s.boardId,
        config: s.config,
        issueKey: s.issueKey,
        cadence: s.cadence,
        users: all.filter((r) => ACCOUNT_ID.test(r)),
        groupIds: all.filter((r) => GROUP_ID.test(r)),
        groups: all.filter((r) => !ACCOUNT_ID.test(r) && !GROUP_ID.test(r)),
        ...(s.dashboardId ? { dashboardId: s.dashboardId } : {}),
      };
    })
    .sort((a, b) => a.boardId - b.boardId || a.key.localeCompare(b.key));
}

/**
 * The period a report is for, or undefined when none is due: the ISO week of `now` in the team's zone, or the
 * last closed sprint when it closed within the last 7 days.
 */
export function periodOf(cadence: 'weekly' | 'sprint', report: MetricsReport, now: number): string | undefined {
  if (cadence === 'weekly') return `week:${isoWeek(now, report.team.timeZone)}`;
  const last = lastClosedSprint(report);
  if (!last) return undefined;
  const closed = Date.parse(last.endAt);
  return closed <= now && now - closed <= SPRINT_WINDOW_MS ? `sprint:${last.sprintId}` : undefined;
}

/** "2025-W13": the ISO week of an instant, in a zone. */
export function isoWeek(ms: number, zone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const day = new Date(Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day'])));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Jira's notify call: the report's subject, text and HTML to the subscription's users and groups, only to those
 * who may browse the issue. Rate limits are waited out; a server error is not retried here (it may have sent):
 * the next run tries again.
 */
async function notify(deps: AppDeps, site: string, deadline: number, sub: ReportSubscription, built: { subject: string; textBody: string; htmlBody: string }): Promise<void> {
  const transport = budgetedTransport(forgeTransport(deps.requestJira, site), deps.clock, deadline);
  const client = new JiraClient(transport, { concurrency: 1, timeoutMs: 30_000, retry: { failureRetries: 0 }, sleep: budgetedSleep(deps.clock, deadline) });
  await client.request(
    {
      method: 'POST',
      path: `/rest/api/3/issue/${encodeURIComponent(sub.issueKey)}/notify`,
      body: {
        subject: built.subject,
        textBody: built.textBody,
        htmlBody: built.htmlBody,
        to: {
          reporter: false,
          assignee: false,
          watchers: false,
          voters: false,
          users: sub.users.map((accountId) => ({ accountId })),
          groups: sub.groups.map((name) => ({ name })),
          groupIds: [...sub.groupIds],
        },
        restrict: { permissions: [{ key: 'BROWSE' }] },
      },
    },
    `send board ${sub.boardId}'s health report as a notification on ${sub.issueKey}`,
  );
}

async function gadgetRecords(blobs: KvsBlobs): Promise<GadgetRecord[]> {
  const keys = (await blobs.keys(GADGET_PREFIX)).filter((k) => !k.includes('::'));
  const records = await mapPool(keys, blobs.concurrency, (k) => blobs.get<GadgetRecord>(k));
  return records.filter((r): r is GadgetRecord => typeof r === 'object' && r !== null && typeof r.config === 'object' && r.config !== null);
}

function describeRecipients(sub: ReportSubscription): string {
  const parts = [sub.users.length ? `${sub.users.length} user${sub.users.length === 1 ? '' : 's'}` : '', ...sub.groups.map((g) => `group ${g}`), ...sub.groupIds.map((g) => `group ${g}`)];
  return parts.filter(Boolean).join(', ');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}
