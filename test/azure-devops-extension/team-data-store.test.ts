import { AdoClient, loadAdoTeam, mapAdoTeam, nodeApiTransport, syncAdoTeam } from '@agile-kpi/azure-devops';
import { openStore } from '@agile-kpi/store';
import { type SimulatedAzureDevOps, simulateTeam, startSimulatedAzureDevOps } from '@agile-kpi/testkit';
import { DocumentBlobs, keyPart } from '../../packages/azure-devops-extension/src/document-blobs';
import { TeamDataStore } from '../../packages/azure-devops-extension/src/team-data-store';
import { MemoryExtensionData } from './memory-extension-data';

/**
 * The team's data in the extension data service behind the adapter's store ports: a sync into it reads back
 * exactly as a sync into the CLI's SQLite store does (full and incremental), every document is under the team's
 * project and team ids and within the size limit, segments stay few, and the lease is exclusive.
 */
const team = simulateTeam({ seed: 7, sprintCalendar: 'dates' });
const ref = { projectId: 'p-1111', projectName: 'SIM', teamId: 't-2222', teamName: 'SIM Team' };
let ado: SimulatedAzureDevOps;
beforeAll(async () => {
  ado = await startSimulatedAzureDevOps({ teams: [team], process: 'agile', now: team.snapshot.asOf });
});
afterAll(() => ado.close());

const client = () => new AdoClient(nodeApiTransport({ orgUrl: ado.url, pat: ado.pat }), { sleep: async () => {} });
const zone = team.snapshot.team.timeZone;

it('reads back what a sync wrote exactly as the SQLite store does, after a full and an incremental sync', async () => {
  const data = new MemoryExtensionData(32 * 1024);
  const blobs = new DocumentBlobs(data, 'agile-kpi', { chunkBytes: 20_000 });
  const sqlite = openStore(':memory:').scope({ source: 'azure-devops', site: ado.url, scope: 'reference' });
  const options = { project: 'SIM', team: 'SIM Team' };
  const full = await syncAdoTeam(client(), new TeamDataStore(blobs, ref), options);
  await syncAdoTeam(client(), sqlite, options);
  expect(full.mode).toBe('full');
  const read = async () => JSON.stringify(mapAdoTeam((await loadAdoTeam(new TeamDataStore(blobs, ref), ado.url))!, { timeZone: zone }));
  const reference = async () => JSON.stringify(mapAdoTeam((await loadAdoTeam(sqlite, ado.url))!, { timeZone: zone }));
  expect(await read()).toBe(await reference());

  const item = team.snapshot.items.find((i) => i.type.kind === 'story')!;
  ado.site.edit(ado.site.idMap.workItems[item.id]!, { title: 'changed after the first sync', tags: ['later'] });
  const incremental = await syncAdoTeam(client(), new TeamDataStore(blobs, ref), options);
  await syncAdoTeam(client(), sqlite, options);
  expect(incremental).toMatchObject({ mode: 'incremental', itemsChanged: 1 });
  expect(await read()).toBe(await reference());

  const ids = [...data.docs().keys()];
  expect(ids.filter((id) => !id.startsWith('p.p-1111.t.t-2222.'))).toEqual([]);
  expect(ids.some((id) => id.includes('.part.'))).toBe(true);
  expect(data.largest).toBeLessThanOrEqual(32 * 1024);
  // Staged work items are gone after the commit; one segment per write, folded when they pile up.
  expect(ids.filter((id) => id.includes('.idx.workitem-staged'))).toEqual([]);
  expect(ids.filter((id) => /\.seg\.workitem\.[^.]+$/.test(id)).length).toBeLessThanOrEqual(12);
});

it('keeps two teams of the same name in two projects apart', async () => {
  const data = new MemoryExtensionData();
  const blobs = new DocumentBlobs(data, 'agile-kpi');
  const a = new TeamDataStore(blobs, { ...ref, projectId: 'project-a' });
  const b = new TeamDataStore(blobs, { ...ref, projectId: 'project-b' });
  await a.setVerdict('ado:iteration:1', { outcome: 'met', by: 'x', at: '2025-01-01T00:00:00Z' });
  expect([...(await a.verdicts()).keys()]).toEqual(['ado:iteration:1']);
  expect((await b.verdicts()).size).toBe(0);
  expect(await a.verdictsRev()).toBe(1);
});

it('lists, replaces and deletes documents across segments, folding them when there are many', async () => {
  const data = new MemoryExtensionData();
  const store = new TeamDataStore(new DocumentBlobs(data, 'agile-kpi', { chunkBytes: 2_000 }), ref);
  for (let i = 0; i < 30; i++) await store.putDocs('k', [{ id: `d${i}`, version: String(i), body: { n: i, text: 'x'.repeat(300) } }]);
  await store.putDocs('k', [{ id: 'd3', version: 'new', body: { n: 'three' } }]);
  await store.deleteDocs('k', ['d4', 'missing']);
  const fresh = new TeamDataStore(new DocumentBlobs(data, 'agile-kpi'), ref);
  const docs = await fresh.listDocs('k');
  expect(docs.map((d) => d.id)).toEqual(Array.from({ length: 30 }, (_, i) => `d${i}`).filter((id) => id !== 'd4').sort());
  expect(docs.find((d) => d.id === 'd3')).toEqual({ id: 'd3', version: 'new', body: { n: 'three' } });
  expect((await fresh.docVersions('k')).get('d29')).toBe('29');
  const segments = new Set([...data.docs().keys()].filter((id) => id.includes('.seg.k.')).map((id) => id.replace(/\.part\..*$/, '')));
  expect(segments.size).toBeLessThanOrEqual(12);
  await fresh.replaceDocs('k', []);
  expect(await new TeamDataStore(new DocumentBlobs(data, 'agile-kpi'), ref).listDocs('k')).toEqual([]);
  expect([...data.docs().keys()].filter((id) => id.includes('.seg.k.') || id.includes('.idx.k'))).toEqual([]);
});

it('gives the sync lease to one page at a time, and takes over an expired one', async () => {
  const data = new MemoryExtensionData();
  const blobs = new DocumentBlobs(data, 'agile-kpi');
  const store = new TeamDataStore(blobs, ref);
  const t = Date.parse('2025-06-01T10:00:00Z');
  const [first, second] = await Promise.all([store.lease('page-1', t, 60_000), store.lease('page-2', t, 60_000)]);
  expect([first, second].filter(Boolean)).toHaveLength(1);
  expect(await store.leased(t + 1_000)).toBe(true);
  expect(await store.lease('page-3', t + 30_000, 60_000)).toBeUndefined();
  const late = await store.lease('page-3', t + 61_000, 60_000);
  expect(late).toBeDefined();
  // The page whose lease expired does not release the new holder's.
  await (first ?? second)!();
  expect(await store.leased(t + 62_000)).toBe(true);
  await late!();
  expect(await store.leased(t + 62_000)).toBe(false);
});

it('keeps the stored format existing extensions wrote: { id, t } documents, or parts <key>.part.<rev>.<n> under a head { id, parts, rev }', async () => {
  const data = new MemoryExtensionData();
  const blobs = new DocumentBlobs(data, 'agile-kpi', { chunkBytes: 1_000, rev: () => 'r1' });
  await blobs.put('p.x.t.y.meta', { a: 'é' });
  expect(data.docs().get('p.x.t.y.meta')).toEqual({ id: 'p.x.t.y.meta', t: '{"a":"é"}', __etag: 1 });
  const value = Array.from({ length: 60 }, (_, i) => ({ i, text: `"quoted" é 😀 ${'x'.repeat(i)}` }));
  await blobs.put('p.x.t.y.verdicts', value);
  const head = data.docs().get('p.x.t.y.verdicts')!;
  expect(head).toEqual({ id: 'p.x.t.y.verdicts', parts: expect.any(Number), rev: 'r1', __etag: 1 });
  const parts = Array.from({ length: head['parts'] as number }, (_, i) => data.docs().get(`p.x.t.y.verdicts.part.r1.${i}`)!);
  expect(parts.every((d) => Object.keys(d).sort().join() === '__etag,id,t' && Buffer.byteLength(JSON.stringify(d['t'])) <= 1_000)).toBe(true);
  expect(JSON.parse(parts.map((d) => d['t']).join(''))).toEqual(value);
  // What an older extension wrote reads back; a missing document is no value.
  await data.setDocument('agile-kpi', { id: 'p.o.state.s', parts: 2, rev: 'old' });
  await data.setDocument('agile-kpi', { id: 'p.o.state.s.part.old.0', t: '{"wa' });
  await data.setDocument('agile-kpi', { id: 'p.o.state.s.part.old.1', t: 'tch":1}' });
  expect(await blobs.get('p.o.state.s')).toEqual({ watch: 1 });
  expect(await blobs.get('p.o.absent')).toBeUndefined();
  await expect(blobs.put('p.o.a b', 1)).rejects.toThrow('invalid storage key');
  expect(keyPart('a_b c.d-1')).toBe('a_5f_b_20_c.d-1');
});

describe('no lost updates', () => {
  const verdict = (by: string) => ({ outcome: 'met' as const, by, at: '2025-03-28T16:00:00Z' });

  it('keeps both verdicts when two Scrum Masters record theirs at the same moment', async () => {
    const data = new MemoryExtensionData();
    // Two pages, each with its own store object (as two browsers have), writing at once.
    const a = new TeamDataStore(new DocumentBlobs(data, 'agile-kpi'), ref);
    const b = new TeamDataStore(new DocumentBlobs(data, 'agile-kpi'), ref);
    await Promise.all([a.setVerdict('ado:iteration:s1', verdict('Ana')), b.setVerdict('ado:iteration:s2', verdict('Ben'))]);
    const after = new TeamDataStore(new DocumentBlobs(data, 'agile-kpi'), ref);
    expect(Object.fromEntries(await after.verdicts())).toEqual({ 'ado:iteration:s1': verdict('Ana'), 'ado:iteration:s2': verdict('Ben') });
    expect(await after.verdictsRev()).toBe(2);
  });

  it('keeps both when ten verdicts, settings and sync metadata are written at once, large values included', async () => {
    const data = new MemoryExtensionData();
    const store = () => new TeamDataStore(new DocumentBlobs(data, 'agile-kpi', { chunkBytes: 1_000 }), ref);
    const long = 'n'.repeat(3_000); // each verdict's note makes the record span several parts
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => store().setVerdict(`ado:iteration:s${i}`, { ...verdict(`SM ${i}`), note: long })),
      store().updateMeta({ syncedAt: '2025-03-28T16:00:00Z' }),
      store().updateMeta({ lastAttemptAt: '2025-03-28T16:01:00Z' }),
    ]);
    const after = store();
    expect([...(await after.verdicts()).keys()].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `ado:iteration:s${i}`).sort());
    expect(await after.meta()).toEqual({ syncedAt: '2025-03-28T16:00:00Z', lastAttemptAt: '2025-03-28T16:01:00Z' });
    // Losers deleted their parts: only the winning revision's parts remain.
    const head = data.docs().get(`${after.prefix}verdicts`)!;
    const parts = [...data.docs().keys()].filter((k) => k.startsWith(`${after.prefix}verdicts.part.`));
    expect(parts.every((k) => k.startsWith(`${after.prefix}verdicts.part.${String(head['rev'])}.`))).toBe(true);
    expect(parts).toHaveLength(Number(head['parts']));
  });

  it('keeps settings under an id web servers accept, and reads settings saved under the old id once', async () => {
    const data = new MemoryExtensionData();
    const store = new TeamDataStore(new DocumentBlobs(data, 'agile-kpi'), ref);
    data.docs().set(`${store.prefix}config`, { id: `${store.prefix}config`, __etag: 1, t: JSON.stringify({ velocitySprints: 4 }) });
    expect(await store.config()).toEqual({ velocitySprints: 4 });
    await store.setConfig({ velocitySprints: 5 });
    expect(await new TeamDataStore(new DocumentBlobs(data, 'agile-kpi'), ref).config()).toEqual({ velocitySprints: 5 });
    expect(data.docs().has(`${store.prefix}settings`)).toBe(true);
  });

  it('refuses a document id that ends like a file IIS will not serve', async () => {
    const blobs = new DocumentBlobs(new MemoryExtensionData(), 'agile-kpi');
    await expect(blobs.put('p.1.t.2.config', 1)).rejects.toThrow(/invalid storage key/);
    await expect(blobs.put('p.1.t.2.web.CS', 1)).rejects.toThrow(/invalid storage key/);
    await expect(blobs.put('p.1.t.2.settings', 1)).resolves.toBe(0);
  });
});
