import type { MetricsReport } from '@agile-kpi/core';
import { simulateTeam, type WireTamper } from '@agile-kpi/testkit';
import { figures, syncBrokenAndClean } from '../oracle/broken-and-clean';
import { harness } from './jira-harness';

/**
 * One bad record never aborts a sync: a 5 000-issue board where 1 % of the issues carry a field the adapter
 * cannot read (issue instants, changelog histories from bulkfetch), plus sprints and versions that cannot be
 * read, syncs; each of them is named in a warning; and every figure equals the figures of the same board
 * served without those issues, sprints and versions.
 */
const team = simulateTeam({ seed: 11, sprints: 24, itemsPerSprint: 150 });

type Json = Record<string, unknown>;
const history = (body: unknown) => (body as { issueChangeLogs: { issueId: string; changeHistories: Json[] }[] }).issueChangeLogs;

/** What each chosen issue gets wrong, in turn: the field and the raw value sent. */
const BREAKAGES: readonly [where: string, apply: (issue: Json) => void][] = [
  ['fields.created', (i) => ((i['fields'] as Json)['created'] = 'yesterday')],
  ['fields.updated', (i) => ((i['fields'] as Json)['updated'] = 1741257)],
  ['fields.resolutiondate', (i) => ((i['fields'] as Json)['resolutiondate'] = '2025-13-45T00:00:00.000+0000')],
  ['history created', () => undefined],
  ['history created', () => undefined],
  ['history items', () => undefined],
];
const breakHistory = (kind: number, h: Json) => {
  if (kind === 3) h['created'] = 'not-a-date';
  if (kind === 4) h['created'] = { epoch: 1741257000000 };
  if (kind === 5) h['items'] = 'status changed';
};

describe('a board where 1 % of the records cannot be read', () => {
  let broken: MetricsReport;
  let clean: MetricsReport;
  let warnings: { code: string; message: string; itemKey?: string; sprintId?: string; releaseId?: string }[];
  let skipped: { issues: number; sprints: number; versions: number };
  let chosen: Map<string, number>;
  let chosenKeys: string[];

  beforeAll(async () => {
    const h = await harness([team]);
    try {
      const issues = h.jira.site.issues;
      expect(issues.length).toBeGreaterThan(5000);
      // Every 100th issue whose histories are there to break (the kinds that break a history need one).
      chosenKeys = issues.filter((i, n) => n % 100 === 37 && i.histories.length > 0).map((i) => i.key);
      chosen = new Map(chosenKeys.map((k, n) => [issues.find((i) => i.key === k)!.id, n % BREAKAGES.length]));
      const byKey = new Map(issues.map((i) => [i.key, i.id]));

      const tamperBroken: WireTamper = (a) => {
        const body = a.body as Json;
        if (a.kind === 'search') {
          for (const i of body['issues'] as Json[]) {
            const kind = chosen.get(String(i['id']));
            if (kind !== undefined && i['fields'] && Object.keys(i['fields'] as Json).length > 1) BREAKAGES[kind]![1](i);
          }
        }
        if (a.kind === 'bulkfetch') {
          for (const log of history(body)) {
            const kind = chosen.get(log.issueId);
            if (kind !== undefined && log.changeHistories[0]) breakHistory(kind, log.changeHistories[0]);
          }
        }
        if (a.kind === 'sprint' && body['isLast'] === true) {
          (body['values'] as Json[]).push(
            { id: 990001, state: 'closed', name: 'Broken sprint A', startDate: 'soon', endDate: '2025-03-01T10:00:00.000+0100' },
            { id: 'abc', state: 'future', name: 'Broken sprint B' },
          );
        }
        if (a.kind === 'version' && body['isLast'] === true) {
          (body['values'] as Json[]).push({ id: '990002', name: 'Broken 9.9', released: false, releaseDate: '31/12/2025' }, { name: 'Version without an id' });
        }
        return body;
      };
      const tamperClean: WireTamper = (a) => {
        const body = a.body as Json;
        if (a.kind === 'search') body['issues'] = (body['issues'] as Json[]).filter((i) => !chosen.has(String(i['id'])));
        return body;
      };

      const run = await syncBrokenAndClean({ ...h, tamper: (fn) => h.jira.tamper(fn) }, tamperBroken, tamperClean);
      ({ broken, clean } = run);
      skipped = run.result.skipped;
      warnings = [...run.warnings];
      // An incremental sync of the broken board reads the unreadable issues again and skips them again.
      h.jira.tamper(tamperBroken);
      expect((await h.sync(run.brokenScope)).skipped).toEqual({ issues: chosenKeys.length, sprints: 2, versions: 2 });
      expect(byKey.size).toBe(issues.length);
    } finally {
      await h.close();
    }
  });

  it('completes, counting what it skipped', () => {
    expect(chosenKeys.length).toBeGreaterThanOrEqual(50);
    expect(skipped).toEqual({ issues: chosenKeys.length, sprints: 2, versions: 2 });
  });

  it('names each skipped issue, the field and the raw value in a warning', () => {
    const skippedIssues = warnings.filter((w) => w.code === 'unreadable-record' && w.itemKey);
    expect(skippedIssues.map((w) => w.itemKey).sort()).toEqual([...chosenKeys].sort());
    const sample = (key: string) => skippedIssues.find((w) => w.itemKey === key)!.message;
    expect(sample(chosenKeys[0]!)).toBe(`issue ${chosenKeys[0]} skipped: fields.created "yesterday" is not a timestamp Jira or Azure DevOps is known to send`);
    expect(sample(chosenKeys[1]!)).toBe(`issue ${chosenKeys[1]} skipped: fields.updated 1741257 is not a timestamp Jira or Azure DevOps is known to send`);
    expect(sample(chosenKeys[3]!)).toMatch(new RegExp(`^issue ${chosenKeys[3]} skipped: history \\d+ created "not-a-date" is not a timestamp`));
    expect(sample(chosenKeys[4]!)).toMatch(/history \d+ created \{"epoch":1741257000000\} is not a timestamp/);
    expect(sample(chosenKeys[5]!)).toMatch(/history \d+ items "status changed" is not an array/);
  });

  it('names each skipped sprint and version', () => {
    const messages = warnings.filter((w) => w.code === 'unreadable-record' && !w.itemKey).map((w) => w.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'sprint Broken sprint A (id 990001) skipped: startDate "soon" is not a timestamp Jira or Azure DevOps is known to send',
        expect.stringMatching(/^sprint Broken sprint B \(id abc\) skipped: id "abc" is /),
        'version Broken 9.9 (id 990002) skipped: releaseDate "31/12/2025" is not a date (YYYY-MM-DD)',
        'version Version without an id skipped: id nothing is missing',
      ]),
    );
  });

  it('computes exactly the figures of the same board without those records', () => {
    expect(figures(broken)).toEqual(figures(clean));
    expect(broken.velocity.value).not.toBeNull();
  });
});
