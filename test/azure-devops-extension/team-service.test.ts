import { AdoClient, loadAdoTeam, mapAdoTeam, nodeApiTransport, syncAdoTeam } from '@agile-kpi/azure-devops';
import { type MetricsReport, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { kpiHeadlines } from '@agile-kpi/presentation';
import { openStore } from '@agile-kpi/store';
import { type SimulatedAzureDevOps, simulateTeam, startSimulatedAzureDevOps } from '@agile-kpi/testkit';
import { hubHost, widgetConfigHost, widgetHost } from '../../packages/azure-devops-extension/src/ado-host';
import { type Budgets, type Clock, TeamService } from '../../packages/azure-devops-extension/src/team-service';
import { MemoryExtensionData } from './memory-extension-data';

/**
 * The extension's service and Hosts on the simulated organisation (through the CLI's transport: the browser's
 * is covered by the browser tests) with the extension data in memory: the first load syncs, a fresh cache costs
 * one request, old data is refreshed within the budget or shown stale, lost access is never hidden, another
 * page's sync is waited for, verdicts and settings are checked and kept.
 */
const team = simulateTeam({ seed: 11, sprintCalendar: 'dates' });
const ref = { projectId: 'proj-guid', projectName: 'SIM', teamId: 'team-guid', teamName: 'SIM Team' };
const zone = team.snapshot.team.timeZone;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let ado: SimulatedAzureDevOps;
let direct: MetricsReport;

beforeAll(async () => {
  ado = await startSimulatedAzureDevOps({ teams: [team], process: 'scrum', now: team.snapshot.asOf });
  const store = openStore(':memory:').scope({ source: 'azure-devops', site: ado.url, scope: 'direct' });
  await syncAdoTeam(new AdoClient(nodeApiTransport({ orgUrl: ado.url, pat: ado.pat })), store, { project: 'SIM', team: 'SIM Team' });
  direct = computeMetrics(parseSnapshot(mapAdoTeam((await loadAdoTeam(store, ado.url))!, { timeZone: zone })));
});
afterAll(() => ado.close());
beforeEach(() => ado.setFaults({}));

function setup(options: { pat?: string; budgets?: Partial<Budgets>; data?: MemoryExtensionData; clock?: Clock } = {}) {
  const data = options.data ?? new MemoryExtensionData();
  const service = new TeamService({
    data,
    transport: nodeApiTransport({ orgUrl: ado.url, pat: options.pat ?? ado.pat }),
    orgUrl: ado.url,
    user: { id: 'u-1', name: 'Sam Scrum-Master' },
    log: quiet,
    chunkBytes: 16_000,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    ...(options.budgets ? { budgets: options.budgets } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const surface = { team: ref, service, zones: { profile: 'W. Europe Standard Time' } };
  return { data, service, surface, hub: hubHost(surface) };
}

const counted = () => {
  const before = ado.requests.counts();
  return () => {
    const now = ado.requests.counts();
    return Object.fromEntries(Object.entries(now).filter(([k, v]) => v !== (before as Record<string, number>)[k]).map(([k, v]) => [k, v! - ((before as Record<string, number>)[k] ?? 0)]));
  };
};

it('syncs the team on the first load, then serves the cache for one request while it is fresh', async () => {
  const { hub } = setup();
  const config = await hub.getConfig();
  expect(config).toEqual({ ok: true, data: { source: 'SIM/SIM Team' } });
  const first = await hub.loadMetrics({ source: 'SIM/SIM Team' });
  if (!first.ok) throw new Error(first.error.message);
  expect(kpiHeadlines(first.data.report)).toEqual(kpiHeadlines(direct));
  expect(first.data.report.team.timeZone).toBe('Europe/Berlin');
  expect(first.data.stale).toBeUndefined();

  const since = counted();
  const again = await hub.loadMetrics({ source: 'SIM/SIM Team' });
  expect(again.ok && again.data.report).toEqual(first.data.report);
  expect(since()).toEqual({ teamsettings: 1 });
});

it('shows the cached metrics marked stale while a slow refresh goes on, and fresh ones once it ended', async () => {
  let now = Date.parse('2025-06-16T10:00:00Z');
  const clock: Clock = { now: () => now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
  const { hub, service } = setup({ clock, budgets: { waitMs: 30 } });
  expect((await hub.loadMetrics({})).ok).toBe(true);
  now += 6 * 60_000;
  ado.setFaults({ latencyMs: { reportingRevisions: 400 } });
  const stale = await hub.loadMetrics({});
  expect(stale.ok && stale.data.stale).toBe(true);
  expect(stale.ok && kpiHeadlines(stale.data.report).velocity).toBe(kpiHeadlines(direct).velocity);
  const outcome = await service.refresh(ref);
  expect(outcome.status).toBe('synced');
  const fresh = await hub.loadMetrics({});
  expect(fresh.ok && fresh.data.stale).toBeUndefined();
});

it('never hides lost access behind cached numbers', async () => {
  const data = new MemoryExtensionData();
  expect((await setup({ data }).hub.loadMetrics({})).ok).toBe(true);
  const answer = await setup({ data, pat: 'expired' }).hub.loadMetrics({});
  expect(answer).toMatchObject({ ok: false, error: { kind: 'auth' } });
  expect(!answer.ok && answer.error.message).toMatch(/^Azure DevOps refused this page's access token \(HTTP 401\): your sign-in may have expired\. To continue, reload the page/);
});

it('says the extension storage refused the sign-in, or failed, in words', async () => {
  const data = new MemoryExtensionData();
  const { hub } = setup({ data });
  data.failWith = { status: 401, message: 'TF400813' };
  expect(await hub.loadMetrics({})).toMatchObject({ ok: false, error: { kind: 'auth', message: expect.stringMatching(/extension's storage \(HTTP 401\).*reload the page/) } });
  data.failWith = { status: 500, message: 'boom' };
  expect(await hub.loadMetrics({})).toMatchObject({ ok: false, error: { kind: 'server', message: expect.stringMatching(/^the extension's storage in Azure DevOps failed to read .*boom/) } });
});

it('waits for another page’s first sync rather than syncing beside it, and says it is still running', async () => {
  const { hub, service } = setup({ budgets: { firstSyncWaitMs: 150, pollMs: 20 } });
  const release = await service.store(ref).lease('another page', Date.now(), 60_000);
  const since = counted();
  const answer = await hub.loadMetrics({});
  expect(answer).toMatchObject({ ok: false, error: { kind: 'syncing', message: expect.stringMatching(/first sync of team SIM Team is still running/) } });
  expect(since().wiql).toBeUndefined();
  await release!();
});

it('records verdicts on the team’s own sprints only, by the viewer, and answers the recomputed rate', async () => {
  const { hub, data } = setup();
  const config = { source: 'SIM/SIM Team' };
  expect(await hub.recordVerdict(config, 'ado:iteration:x', { outcome: 'met' })).toMatchObject({ ok: false, error: { kind: 'syncing' } });
  expect((await hub.loadMetrics(config)).ok).toBe(true);
  expect(await hub.recordVerdict(config, 'ado:iteration:nope', { outcome: 'met' })).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  expect(await hub.recordVerdict(config, 'ado:iteration:nope', { outcome: 'won' as never })).toMatchObject({ ok: false, error: { kind: 'invalid' } });
  const target = direct.sprintGoalRate.details.sprints.find((s) => s.outcome !== 'met' && s.outcome !== 'undetermined')!;
  const answer = await hub.recordVerdict(config, target.sprintId, { outcome: 'met', note: '  shipped  ' });
  if (!answer.ok) throw new Error(answer.error.message);
  const sprint = answer.data.report.sprintGoalRate.details.sprints.find((s) => s.sprintId === target.sprintId)!;
  expect(sprint.outcome).toBe('met');
  expect(answer.data.report.sprintGoalRate.value!.met).toBe(direct.sprintGoalRate.value!.met + 1);
  const doc = [...data.docs().entries()].find(([id]) => id.endsWith('.verdicts'))![1];
  expect(JSON.parse(String(doc['t'])).items[target.sprintId]).toMatchObject({ outcome: 'met', by: 'Sam Scrum-Master', note: 'shipped' });
});

it('keeps the hub’s settings for the team, and widgets fall back to them', async () => {
  const { hub, surface } = setup();
  expect(await hub.saveConfig({ source: 'other/team', view: 'flow', goalThreshold: 0.7, timeZone: 'America/New_York' })).toEqual({
    ok: true,
    data: { goalThreshold: 0.7, timeZone: 'America/New_York', source: 'SIM/SIM Team' },
  });
  expect(await hub.saveConfig({ timeZone: 'Mars/Olympus' })).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/IANA/) } });
  const widget = widgetHost(surface, { view: 'flow', goalThreshold: 0.9 });
  expect(widget.fixedView).toBe('flow');
  expect(await widget.getConfig()).toEqual({ ok: true, data: { goalThreshold: 0.9, timeZone: 'America/New_York', view: 'flow', source: 'SIM/SIM Team' } });
  expect(widgetHost(surface, {}).fixedView).toBe('velocity');
  expect(await widget.saveConfig({})).toMatchObject({ ok: false, error: { kind: 'invalid' } });
});

it('hands a checked configuration to Azure DevOps from the Configure panel, without the team', async () => {
  const { surface } = setup();
  const changes: unknown[] = [];
  const host = widgetConfigHost(surface, { view: 'impediments' }, async (c) => void changes.push(c));
  expect(host.editing).toBe(true);
  expect(await host.getConfig()).toEqual({ ok: true, data: { view: 'impediments', source: 'SIM/SIM Team' } });
  expect(await host.listSources()).toEqual({ ok: true, data: [{ id: 'SIM/SIM Team', name: 'SIM Team (SIM)' }] });
  expect(await host.saveConfig({ source: 'SIM/SIM Team' })).toMatchObject({ ok: false, error: { kind: 'invalid', message: 'choose the view this widget shows' } });
  expect(await host.saveConfig({ source: 'SIM/SIM Team', view: 'flow', staleDays: 30 })).toEqual({ ok: true, data: { view: 'flow', staleDays: 30, source: 'SIM/SIM Team' } });
  expect(changes).toEqual([{ view: 'flow', staleDays: 30 }]);
});

it('pages the evidence as the Forge gadget does: first pages in the answer, the rest through loadEvidence, bad tokens refused', async () => {
  const { hub } = setup();
  const config = { source: 'SIM/SIM Team' };
  const answer = await hub.loadMetrics(config);
  if (!answer.ok) throw new Error(answer.error.message);
  // This team's release evidence (265 entries) is the one list longer than a page of 200.
  const lists = answer.data.evidencePages?.releasePredictability ?? [];
  expect(lists.map((l) => [l.path, l.total])).toEqual([['evidence', direct.releasePredictability.evidence.length]]);
  expect(answer.data.report.releasePredictability.evidence).toHaveLength(200);
  expect(answer.data.headlines?.releasePredictability).toBe(kpiHeadlines(direct).releasePredictability);
  const rest = [];
  for (let page: string | undefined = lists[0]!.next; page; ) {
    const r = await hub.loadEvidence!(config, 'releasePredictability', page);
    if (!r.ok) throw new Error(r.error.message);
    rest.push(...r.data.entries);
    page = r.data.next;
  }
  expect([...answer.data.report.releasePredictability.evidence, ...rest]).toEqual(direct.releasePredictability.evidence);
  expect(await hub.loadEvidence!(config, 'releasePredictability', 'garbage')).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/not a page token/) } });
  expect(await hub.loadEvidence!(config, 'velocity', lists[0]!.next)).toMatchObject({ ok: false, error: { kind: 'invalid' } });
  const otherStamp = lists[0]!.next.replace(/^ev1\.[0-9a-z]+\./, 'ev1.0000.');
  expect(await hub.loadEvidence!(config, 'releasePredictability', otherStamp)).toMatchObject({ ok: false, error: { kind: 'not-found', message: expect.stringMatching(/reload/) } });
});
