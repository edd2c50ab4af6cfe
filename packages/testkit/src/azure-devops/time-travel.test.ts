import type { SimulatedTeam } from '../ground-truth';
import { simulateOrganisation } from '../simulate-organisation';
import { simulateTeam } from '../simulate-team';
import { snapshotAt } from '../snapshot-at';
import { startSimulatedAzureDevOps } from './server';
import { AzureDevOpsSite } from './site';

/*
 * The simulated Azure DevOps as it was at a past instant: sites built from snapshotAt cuts of the same teams number
 * every work item, node and revision watermark the same way, and a running server can be switched between instants
 * at the same URL, a continuation token taken at one instant carrying on at a later one.
 */

const team: SimulatedTeam = simulateTeam({ seed: 21, sprints: 8, itemsPerSprint: 8 });
const start = (k: number): number => Date.parse(team.snapshot.sprints[k]!.startAt!);
const T1 = start(3) + 3 * 86_400_000;
const T0 = start(1) + 86_400_000;

const revisions = (site: AzureDevOpsSite, id: number) =>
  site.anyWorkItem(id)!.revisions.map((r) => ({ rev: r.rev, ms: r.ms, watermark: r.watermark, state: r.state.state.name, iteration: site.pathOf(r.state.iteration) }));

describe('sites cut at different instants', () => {
  it('number items, nodes and watermarks the same way; earlier revisions are a prefix', () => {
    const early = new AzureDevOpsSite([snapshotAt(team, T1)]);
    const late = new AzureDevOpsSite([team]);
    expect(early.idMap.projects).toEqual(late.idMap.projects);
    expect(early.idMap.iterations).toEqual(late.idMap.iterations);
    expect(early.idMap.releases).toEqual(late.idMap.releases);
    expect(early.workItems.length).toBeLessThan(late.workItems.length);
    let grown = 0;
    for (const [simId, id] of Object.entries(early.idMap.workItems)) {
      expect(late.idMap.workItems[simId]).toBe(id);
      const a = revisions(early, id);
      const b = revisions(late, id);
      expect(a).toEqual(b.filter((r) => r.ms <= T1));
      if (b.length > a.length) grown++;
    }
    expect(grown).toBeGreaterThan(5);
    expect(Math.max(...early.workItems.flatMap((w) => w.revisions.map((r) => r.watermark)))).toBe(early.lastWatermark);
    expect(late.revisionsAfter(early.lastWatermark).every(({ revision }) => revision.ms > T1)).toBe(true);
  });

  it('an organisation: each team its own project, ids in disjoint blocks', () => {
    const org = simulateOrganisation({ teams: 3, sprints: 3, itemsPerSprint: 5 });
    const site = new AzureDevOpsSite(org, { process: 'agile' });
    expect(site.projects.map((p) => [p.name, p.team.name])).toEqual([
      ['T01', 'T01 Team'],
      ['T02', 'T02 Team'],
      ['T03', 'T03 Team'],
    ]);
    const blocks = site.projects.map((p) => new Set(site.workItems.filter((w) => w.project === p).map((w) => Math.floor(w.id / 1_000_000))));
    expect(blocks.map((b) => [...b])).toEqual([[0], [1], [2]]);
  });
});

describe('serve', () => {
  it('switches instants at the same URL; a token from the earlier instant yields only what came later', async () => {
    const ado = await startSimulatedAzureDevOps({ teams: [snapshotAt(team, T1)], now: T1 });
    try {
      const auth = { authorization: `Basic ${Buffer.from(`:${ado.pat}`).toString('base64')}`, accept: 'application/json;api-version=7.1', 'content-type': 'application/json' };
      const post = async (path: string, body: unknown) => {
        const r = await fetch(`${ado.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
        return { status: r.status, date: r.headers.get('date'), body: (await r.json()) as any };
      };
      const get = async (path: string) => {
        const r = await fetch(`${ado.url}${path}`, { headers: auth });
        return { status: r.status, date: r.headers.get('date'), body: (await r.json()) as any };
      };

      const first = await post('/SIM/_apis/wit/reporting/workitemrevisions', { fields: ['System.Id'] });
      expect(first.date).toBe(new Date(T1).toUTCString());
      expect(first.body.isLastBatch).toBe(true);
      expect(first.body.values).toHaveLength(ado.site.revisionsAfter(0).length);
      const current = await get('/SIM/SIM%20Team/_apis/work/teamsettings/iterations?$timeframe=current');
      expect(current.body.value.map((i: any) => i.name)).toEqual(['Sprint 4']);

      ado.serve([team]);
      const later = await post(`/SIM/_apis/wit/reporting/workitemrevisions?continuationToken=${encodeURIComponent(first.body.continuationToken)}`, {
        fields: ['System.Id', 'System.ChangedDate'],
      });
      expect(later.date).toBe(new Date(Date.parse(team.snapshot.asOf)).toUTCString());
      const expected = ado.site.revisionsAfter(0).filter(({ revision }) => revision.ms > T1);
      expect(later.body.values.map((v: any) => `${v.id}:${v.rev}`)).toEqual(expected.map(({ item, revision }) => `${item.id}:${revision.rev}`));
      expect(later.body.values.every((v: any) => Date.parse(v.fields['System.ChangedDate']) > T1)).toBe(true);

      // An earlier instant: fewer items, an earlier current sprint, the release dates shown then.
      ado.serve([snapshotAt(team, T0)]);
      const count = await post('/SIM/_apis/wit/wiql', { query: 'SELECT [System.Id] FROM WorkItems' });
      expect(count.body.workItems.length).toBe(team.snapshot.items.filter((i) => Date.parse(i.createdAt) <= T0).length);
      expect(count.date).toBe(new Date(T0).toUTCString());
      const then = await get('/SIM/SIM%20Team/_apis/work/teamsettings/iterations?$timeframe=current');
      expect(then.body.value.map((i: any) => i.name)).toEqual(['Sprint 2']);
      for (const r of snapshotAt(team, T0).snapshot.releases) {
        expect(ado.site.node(`SIM\\Releases\\${r.name}`)!.finishDate).toBe(r.currentPlannedDate);
      }
      expect(ado.requests.count('reportingRevisions')).toBe(2);
    } finally {
      await ado.close();
    }
  });

  it('mutations: create, edit and delete make revisions with growing watermarks', () => {
    const site = new AzureDevOpsSite([team], { now: () => Date.parse(team.snapshot.asOf) });
    const before = site.lastWatermark;
    const { id } = site.createWorkItem({ project: 'SIM', title: 'New idea', tags: ['b', 'a'], iteration: team.snapshot.sprints[7]!.id });
    const created = site.workItem(id)!;
    expect(site.current(created).state.tags).toEqual(['a', 'b']);
    expect(site.pathOf(site.current(created).state.iteration)).toBe('SIM\\Sprint 8');
    const edited = site.edit(id, { state: 'In Progress', estimate: 5, blocked: true, iteration: null })!;
    expect([edited.rev, edited.state.state.name, edited.state.estimate, edited.state.blocked, site.pathOf(edited.state.iteration)]).toEqual([
      2,
      'Committed',
      5,
      true,
      'SIM',
    ]);
    expect(edited.state.activatedMs).toBe(edited.ms);
    expect(site.edit(id, { state: 'Committed' })).toBeNull();
    const done = site.edit(id, { state: 'Done' })!;
    expect(done.state.closedMs).toBe(done.ms);
    site.deleteWorkItem(id);
    expect(site.workItem(id)).toBeUndefined();
    expect(site.revisionsAfter(before).map(({ revision }) => revision.rev)).toEqual([1, 2, 3, 4]);
    expect(site.lastWatermark).toBe(before + 4);
  });
});
