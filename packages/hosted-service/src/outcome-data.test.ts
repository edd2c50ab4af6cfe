import type { OutcomeSettings } from '@agile-kpi/core';
import { type OutcomeStore, outcomeData, outcomeFiles, removeOutcomeFile, saveOutcomeSettings } from './outcome-data';
import { memoryOutcomeSink, uploadOutcomes } from './outcome-upload';

/** The settings page's outcome data over memory: what every host answers with its own store. */
function store(withSettings = true): OutcomeStore & { saved: OutcomeSettings[] } {
  const kept = memoryOutcomeSink();
  let settings: OutcomeSettings = {};
  const saved: OutcomeSettings[] = [];
  return {
    ...kept,
    saved,
    ...(withSettings
      ? {
          settings: async () => settings,
          setSettings: async (s: OutcomeSettings) => {
            saved.push(s);
            settings = s;
          },
        }
      : {}),
  };
}

const upload = (s: OutcomeStore, kind: string, name: string, text: string) => uploadOutcomes(s, { kind, name, text });

describe("the settings page's outcome data", () => {
  it('lists the uploaded files per kind with their record counts; records from no file (service desk ratings) are not files', async () => {
    const s = store();
    await upload(s, 'nps', 'nps.csv', 'date,score\n2026-03-02,9\n');
    await upload(s, 'csat', 'survey.csv', 'date,score\n2026-03-02,5\n2026-03-03,4\n');
    await upload(s, 'csat', 'april.csv', 'date,score\n2026-04-02,2\n');
    expect(await outcomeData(s)).toEqual({
      files: [
        { kind: 'csat', name: 'april.csv', records: 1 },
        { kind: 'csat', name: 'survey.csv', records: 2 },
        { kind: 'nps', name: 'nps.csv', records: 1 },
      ],
      settings: {},
    });
    expect(outcomeFiles([{ id: 'jsm:request:SUP-1', kind: 'csat', score: 5, at: '2026-03-02T10:00:00Z', source: 'SUP-1' }])).toEqual([]);
    // A host that keeps no settings of its own (a snapshot file, the demo) says so by leaving them out.
    expect(await outcomeData(memoryOutcomeSink())).toEqual({ files: [] });
  });

  it("removes one file's records of a kind; a file of that name of another kind stays; an unknown name lists the known ones", async () => {
    const s = store();
    await upload(s, 'csat', 'survey.csv', 'date,score\n2026-03-02,5\n2026-03-03,4\n');
    await upload(s, 'nps', 'survey.csv', 'date,score\n2026-03-02,9\n');
    expect(await removeOutcomeFile(s, { kind: 'csat', name: 'survey.cvs' })).toEqual({ ok: false, error: { kind: 'not-found', message: 'there are no csat records from a file named survey.cvs: the csat files are survey.csv' } });
    expect(await removeOutcomeFile(s, { kind: 'usage', name: 'survey.csv' })).toEqual({ ok: false, error: { kind: 'not-found', message: 'there are no usage records from a file named survey.csv: no usage file was uploaded' } });
    expect(await removeOutcomeFile(s, { kind: 'bogus', name: 'survey.csv' })).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/^kind must be one of csat, nps, usage, benefit/) } });
    expect(await removeOutcomeFile(s, { kind: 'csat' })).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(await removeOutcomeFile(s, { kind: 'csat', name: 'survey.csv' })).toEqual({
      ok: true,
      data: { removed: 2, message: 'removed 2 csat records of survey.csv', files: [{ kind: 'nps', name: 'survey.csv', records: 1 }], settings: {} },
    });
    expect((await s.list()).map((r) => r.kind)).toEqual(['nps']);
    // The same file again brings its records back.
    expect(await upload(s, 'csat', 'survey.csv', 'date,score\n2026-03-02,5\n2026-03-03,4\n')).toMatchObject({ ok: true, data: { imported: true, added: 2 } });
  });

  it("saves settings by core's rule, whole; a refusal names its field and stores nothing", async () => {
    const s = store();
    expect(await saveOutcomeSettings(s, { cost: { perSprint: 10_000, currency: 'eur' }, features: [{ feature: 'search', shippedBy: 'R2' }, { feature: 'export', shippedBy: 'PROJ-12' }] })).toEqual({
      ok: true,
      data: { files: [], settings: { cost: { perSprint: 10_000, currency: 'EUR' }, features: [{ feature: 'export', shippedBy: 'PROJ-12' }, { feature: 'search', shippedBy: 'R2' }] } },
    });
    expect(await saveOutcomeSettings(s, { cost: { perSprint: 0, currency: 'EUR' } })).toEqual({
      ok: false,
      error: { kind: 'invalid', message: "cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR, got '0 EUR'" },
    });
    expect(await saveOutcomeSettings(s, { features: [{ feature: 'export', shippedBy: '' }] })).toMatchObject({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/^a feature mapping needs/) } });
    expect(s.saved).toHaveLength(1);
    expect(await saveOutcomeSettings(s, {})).toEqual({ ok: true, data: { files: [], settings: {} } });
    expect(await saveOutcomeSettings(store(false), {})).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });
});
