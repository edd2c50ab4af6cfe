import type { MetricsReport } from '@agile-kpi/core';
import { simulateTeam, type WireTamper } from '@agile-kpi/testkit';
import { figures, syncBrokenAndClean } from '../oracle/broken-and-clean';
import { adoHarness } from './ado-harness';

/**
 * One bad record never aborts a sync: a team of about 5 000 work items where 1 % carry a field the adapter cannot
 * read (current fields, revisions from the reporting feed and from the per-item read), a few are deleted between
 * the WIQL query and the batch read, and an iteration cannot be read. The sync completes, names each skipped
 * record, and every figure equals the figures of the same team served without those work items and iteration.
 */
const team = simulateTeam({ seed: 12, sprints: 24, itemsPerSprint: 150, sprintCalendar: 'dates' });

type Json = Record<string, unknown>;
const list = (body: unknown): Json[] => ((body as Json)['value'] ?? (body as Json)['values']) as Json[];

/** What each chosen work item gets wrong, in turn. */
const KINDS = ['created', 'changed', 'closed', 'revision-date', 'revision-fields', 'deleted'] as const;

describe('a team where 1 % of the work items cannot be read', () => {
  let broken: MetricsReport;
  let clean: MetricsReport;
  let warnings: { code: string; message: string; itemKey?: string }[];
  let skipped: { workItems: number; iterations: number };
  let chosen: Map<number, (typeof KINDS)[number]>;

  beforeAll(async () => {
    const h = await adoHarness([team]);
    try {
      const items = h.ado.site.workItems.filter((w) => !w.deleted && w.revisions.length > 1);
      chosen = new Map(items.filter((_w, n) => n % 100 === 41).map((w, n) => [w.id, KINDS[n % KINDS.length]!]));
      const breakRevision = (r: Json) => {
        const kind = chosen.get(Number(r['id']));
        if (kind === 'revision-date' && r['rev'] === 2) (r['fields'] as Json)['System.ChangedDate'] = 'later';
        if (kind === 'revision-fields' && r['rev'] === 2) r['fields'] = 'none';
      };
      const tamperBroken: WireTamper = (a) => {
        const body = a.body as Json;
        if (a.kind === 'workitemsbatch') {
          const value = list(body);
          value.forEach((w, n) => {
            const kind = w ? chosen.get(Number(w['id'])) : undefined;
            const fields = w?.['fields'] as Json | undefined;
            if (kind === 'created') fields!['System.CreatedDate'] = 'last week';
            if (kind === 'changed') fields!['System.ChangedDate'] = '2025-02-30T10:00:00Z';
            if (kind === 'closed') fields!['Microsoft.VSTS.Common.ClosedDate'] = 17;
            if (kind === 'deleted') value[n] = null as unknown as Json;
          });
        }
        if (a.kind === 'reportingRevisions' || a.kind === 'revisions') list(body).forEach(breakRevision);
        if (a.kind === 'iterations') list(body).push({ id: 'broken-iteration', name: 'Broken sprint', path: `${h.ado.projects[0]!.name}\\Broken sprint`, attributes: { startDate: 'Monday', finishDate: null } });
        return body;
      };
      const tamperClean: WireTamper = (a) => {
        const body = a.body as Json;
        if (a.kind === 'wiql') body['workItems'] = (body['workItems'] as Json[]).filter((w) => !chosen.has(Number(w['id'])));
        return body;
      };

      const run = await syncBrokenAndClean({ ...h, tamper: (fn) => h.ado.tamper(fn) }, tamperBroken, tamperClean);
      ({ broken, clean } = run);
      skipped = run.result.skipped;
      warnings = [...run.warnings];
    } finally {
      await h.close();
    }
  });

  const unreadable = () => [...chosen].filter(([, kind]) => kind !== 'deleted').map(([id]) => String(id));

  it('completes, counting what it skipped (a deleted work item is gone, not skipped)', () => {
    expect(h5000()).toBe(true);
    expect(chosen.size).toBeGreaterThanOrEqual(45);
    expect(skipped).toEqual({ workItems: unreadable().length, iterations: 1 });
  });

  it('names each skipped work item, the field and the raw value in a warning', () => {
    const named = warnings.filter((w) => w.code === 'unreadable-record' && w.itemKey);
    expect(named.map((w) => w.itemKey).sort()).toEqual(unreadable().sort());
    const message = (kind: (typeof KINDS)[number]) => named.find((w) => chosen.get(Number(w.itemKey)) === kind)!.message;
    expect(message('created')).toMatch(/^work item \d+ skipped: fields\.System\.CreatedDate "last week" is not a timestamp/);
    expect(message('changed')).toMatch(/fields\.System\.ChangedDate "2025-02-30T10:00:00Z" is not a timestamp/);
    expect(message('closed')).toMatch(/fields\.Microsoft\.VSTS\.Common\.ClosedDate 17 is not a timestamp/);
    expect(message('revision-date')).toMatch(/revision 2 fields\.System\.ChangedDate "later" is not a timestamp/);
    expect(message('revision-fields')).toMatch(/revision 2 fields "none" is not an object/);
    expect(warnings.map((w) => w.message)).toContain('iteration SIM\\Broken sprint skipped: attributes.startDate "Monday" is not a date (YYYY-MM-DD)');
    expect(message('revision-date')).not.toMatch(/;/);
  });

  it('computes exactly the figures of the same team without those records', () => {
    expect(figures(broken)).toEqual(figures(clean));
    expect(broken.velocity.value).not.toBeNull();
  });

  function h5000(): boolean {
    return team.snapshot.items.length > 4500;
  }
});
