import { type MetricsReport, type Snapshot, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { kpiLights } from '@agile-kpi/presentation';
import { simulateOrganisation, simulateTeam } from '@agile-kpi/testkit';
import { buildReport } from './build-report';
import { browserHtml } from './browser-html';
import { reportSummary } from './report-summary';

const HOSTILE = '<script>alert(1)</script>';

/** PNG: signature, then the IHDR chunk with width and height (big-endian) at bytes 16 and 20. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The simulated team with the oldest open impediment's title and the last closed sprint's goal made hostile. */
function hostile(): MetricsReport {
  const plain = computeMetrics(parseSnapshot(simulateTeam({ seed: 42 }).snapshot));
  const oldest = [...plain.impedimentResolutionTime.details.open].sort((a, b) => a.raisedAt.localeCompare(b.raisedAt))[0]!;
  const lastGoal = plain.sprintGoalRate.details.sprints.at(-1)!;
  const s = parseSnapshot(simulateTeam({ seed: 42 }).snapshot);
  const patched: Snapshot = {
    ...s,
    team: { ...s.team, name: 'Team <b>Bold</b> & "Quoted"' },
    items: s.items.map((i) => (i.key === oldest.key ? { ...i, title: HOSTILE, url: 'javascript:alert(2)' } : i)),
    sprints: s.sprints.map((sp) => (sp.id === lastGoal.sprintId ? { ...sp, goal: '<img src=x onerror=alert(3)>' } : sp)),
  };
  return computeMetrics(patched);
}

let plain: MetricsReport;
beforeAll(() => {
  plain = computeMetrics(parseSnapshot(simulateTeam({ seed: 42 }).snapshot));
});

describe('one team', () => {
  test('HTML, text, inline PNG charts referenced by cid, and a summary to keep', async () => {
    const built = await buildReport([{ report: plain, dashboardUrl: 'https://jira.example.com/jira/dashboards/10000' }]);
    expect(built.subject).toMatch(/^agile-kpi: Simulated Team — velocity \d+(\.\d)? pts, goal (met|missed|partly met), \d+ impediments? open$/);
    // MJML's output: a full document, table layout, CSS inlined on the elements that use it.
    expect(built.html).toMatch(/^<!doctype html>/i);
    expect(built.html).toContain('role="presentation"');
    expect(built.html).toMatch(/class="k-value" style="[^"]*font-weight:\s*bold/);
    // Nothing is loaded from elsewhere (MJML links Google Fonts for some families unless told not to).
    expect(built.html).not.toMatch(/<link |<script|src="https?:/i);
    // Every image is a PNG at twice its layout size, referenced once by cid with an alt text; nothing else is.
    const cids = [...built.html.matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    expect(cids.sort()).toEqual(built.images.map((i) => i.cid).sort());
    expect(built.images.map((i) => i.filename)).toEqual(['simulated-team-velocity.png', 'simulated-team-burndown.png', 'simulated-team-release-forecast.png', 'simulated-team-throughput.png']);
    for (const img of built.images) {
      expect(pngSize(img.png)).toEqual({ width: img.width * 2, height: img.height * 2 });
      expect(img.png.length).toBeLessThan(150_000);
      expect(built.html).toMatch(new RegExp(`<img [^>]*alt="${img.alt.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    // Every KPI: its light, its sentence in both parts, and a link to its view on the dashboard.
    const lights = kpiLights(plain);
    for (const [k, light] of Object.entries(lights)) {
      const view = k === 'impedimentResolutionTime' ? 'impediments' : k;
      expect(built.html).toContain(`https://jira.example.com/jira/dashboards/10000?view=${view}`);
      expect(built.text).toContain(`[${(light ?? 'no light').toUpperCase()}]`);
    }
    expect(built.text).toContain('First report: changes show from the next one.');
    expect(built.summary).toEqual([reportSummary(plain)]);
  });

  test('the change since the previous report, from the summary that report returned', async () => {
    const s = parseSnapshot(simulateTeam({ seed: 42 }).snapshot);
    const weekBefore = computeMetrics({ ...s, asOf: new Date(Date.parse(s.asOf) - 14 * 86_400_000).toISOString() });
    const first = await buildReport([{ report: weekBefore }], { charts: false });
    const second = await buildReport([{ report: plain, previous: first.summary[0]! }], { charts: false });
    const v0 = weekBefore.velocity.value!.velocity;
    const v1 = plain.velocity.value!.velocity;
    const diff = Math.round(Math.abs(v1 - v0) * 10) / 10;
    const line = second.text.split('\n').find((l) => l.includes('] Velocity:'))!;
    expect(line).toContain(diff === 0 ? '— unchanged' : `— ${v1 > v0 ? 'up' : 'down'} ${diff} pts`);
    const open0 = weekBefore.impedimentResolutionTime.details.open.length;
    const open1 = plain.impedimentResolutionTime.details.open.length;
    const imp = second.text.split('\n').find((l) => l.includes('] Impediment resolution:'))!;
    expect(imp).toContain(open1 === open0 ? 'unchanged' : `${Math.abs(open1 - open0)} ${open1 > open0 ? 'more' : 'fewer'} open`);
    // Two weeks later the active sprint is another one: its remaining work is not compared.
    expect(second.text.split('\n').find((l) => l.includes('] Sprint progress:'))).toContain('— new sprint');
    expect(second.text).toContain(`Changes since the report of ${weekBefore.asOf.slice(0, 10)}.`);
    expect(second.html).toContain(`since ${weekBefore.asOf.slice(0, 10)}`);
  });

  test('tracker text is escaped everywhere; unsafe links are dropped', async () => {
    const built = await buildReport([{ report: hostile() }]);
    expect(built.html).not.toContain(HOSTILE);
    expect(built.html).not.toContain('<img src=x');
    expect(built.html).not.toContain('<b>Bold</b>');
    expect(built.html).not.toContain('javascript:');
    expect(built.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(built.html).toContain('&lt;img src=x onerror=alert(3)&gt;');
    expect(built.html).toContain('Team &lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Quoted&quot;');
    // The text part is text: the title as it is.
    expect(built.text).toContain(HOSTILE);
    expect(built.text).not.toContain('javascript:');
  });

  test('without charts: no images and no cid references', async () => {
    const built = await buildReport([{ report: plain }], { charts: false });
    expect(built.images).toEqual([]);
    expect(built.html).not.toContain('cid:');
  });

  test('for a browser, cids become the files next to the page, or data URIs', async () => {
    const built = await buildReport([{ report: plain }], { chartScale: 1 });
    const files = browserHtml(built.html, built.images);
    expect(files).not.toContain('cid:');
    for (const i of built.images) expect(files).toContain(`src="${i.filename}"`);
    const inline = browserHtml(built.html, built.images, 'data-uris');
    expect(inline.match(/src="data:image\/png;base64,/g)).toHaveLength(built.images.length);
  });
});

describe('several teams', () => {
  test('one email: roll-up table, a section per team, charts kept apart', async () => {
    const teams = simulateOrganisation({ teams: 3, seed: 5, itemsPerSprint: 10, sprints: 8 }).map((t) => computeMetrics(parseSnapshot(t.snapshot)));
    const built = await buildReport(teams.map((report) => ({ report })));
    const worst = teams.map((r) => {
      const l = Object.values(kpiLights(r));
      return l.includes('red') ? 'red' : l.includes('amber') ? 'amber' : l.includes('green') ? 'green' : null;
    });
    const count = (x: string) => worst.filter((w) => w === x).length;
    const expected = ['red', 'amber', 'green'].filter((l) => count(l) > 0).map((l) => `${count(l)} ${l}`).join(', ');
    expect(built.subject).toBe(`agile-kpi: 3 teams — ${expected}`);
    expect(built.html).toContain('Roll-up');
    for (let i = 0; i < 3; i++) {
      expect(built.html).toContain(`href="#team-${i + 1}"`);
      expect(built.html).toContain(`id="team-${i + 1}"`);
      expect(built.text).toContain(`== ${teams[i]!.team.name} (`);
    }
    expect(new Set(built.images.map((i) => i.cid)).size).toBe(built.images.length);
    expect(built.images.filter((i) => i.filename.startsWith('team-01-'))).not.toHaveLength(0);
    expect(built.summary.map((s) => s.team)).toEqual(teams.map((t) => t.team.name));
  });

  test('no team is a caller’s error with the fix in the message', async () => {
    await expect(buildReport([])).rejects.toThrow(/at least one team/);
  });
});
