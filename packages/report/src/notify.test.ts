import { type MetricsReport, type Snapshot, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { escapeHtml, kpiLights } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { buildReport } from './build-report';
import { leadSentences } from './lead-sentences';
import { notifyReport } from './notify';
import { reportSummary } from './report-summary';
import { LIGHT_WORDS, lightRuleLines } from './report-wording';

/**
 * The report as the Forge app sends it through Jira's notify API: the CLI email's subject, text, sentences and
 * summary, with a lean inline-styled HTML body in place of MJML and charts.
 */
const DASHBOARD = 'https://example.atlassian.net/jira/dashboards/10000';
let plain: MetricsReport;
beforeAll(() => {
  plain = computeMetrics(parseSnapshot(simulateTeam({ seed: 42 }).snapshot));
});

test('the same subject, text and summary as the CLI’s email without charts', async () => {
  const previous = { ...reportSummary(plain), asOf: '2025-06-09T10:00:00Z' };
  const input = { report: plain, previous, dashboardUrl: DASHBOARD };
  const note = 'You get this weekly because a gadget lists you.';
  const email = await buildReport([input], { charts: false, footerNote: note });
  const notify = notifyReport(input, { footerNote: note });
  expect(notify.subject).toBe(email.subject);
  expect(notify.textBody).toBe(email.text);
  expect(notify.summary).toEqual(email.summary[0]);
  expect(notify.htmlBody).toContain(escapeHtml(note));
  expect(notify.htmlBody).toContain('Changes since the report of 2025-06-09.');
});

test('HTML for inside Jira’s notification: a fragment, every style inline, no images, every KPI with its light, sentence and links', () => {
  const { htmlBody } = notifyReport({ report: plain, dashboardUrl: DASHBOARD });
  expect(htmlBody).toMatch(/^<div style="[^"]*font-family:/);
  expect(htmlBody).not.toMatch(/<!doctype|<html|<head|<body|<style|<mj-|class=|<img|cid:|<script|<link|src=/i);
  expect(htmlBody).toMatch(/<span style="display: inline-block;[^"]*background-color:#[0-9a-f]{6};">(Green|Amber|Red|No light)<\/span>/);
  const lights = kpiLights(plain);
  for (const [k, light] of Object.entries(lights)) {
    const view = k === 'impedimentResolutionTime' ? 'impediments' : k;
    expect(htmlBody).toContain(escapeHtml(`${DASHBOARD}?view=${view}`));
    expect(htmlBody).toContain(`>${LIGHT_WORDS[light ?? 'none']}</span>`);
  }
  for (const s of Object.values(leadSentences(plain))) expect(htmlBody).toContain(escapeHtml(s.text));
  for (const rule of lightRuleLines()) expect(htmlBody).toContain(escapeHtml(rule));
  expect(htmlBody).toContain(`href="${DASHBOARD}"`);
  expect(htmlBody).toContain('Impediments open longest');
  expect(htmlBody).toContain('First report: changes show from the next one.');
});

test('tracker text is escaped; unsafe links are dropped', () => {
  const HOSTILE = '<script>alert(1)</script>';
  const s = parseSnapshot(simulateTeam({ seed: 42 }).snapshot);
  const oldest = [...plain.impedimentResolutionTime.details.open].sort((a, b) => a.raisedAt.localeCompare(b.raisedAt))[0]!;
  const patched: Snapshot = {
    ...s,
    team: { ...s.team, name: 'Team <b>Bold</b> & "Quoted"' },
    items: s.items.map((i) => (i.key === oldest.key ? { ...i, title: HOSTILE, url: 'javascript:alert(2)' } : i)),
  };
  const { htmlBody, subject } = notifyReport({ report: computeMetrics(patched), dashboardUrl: 'javascript:alert(3)' });
  expect(htmlBody).not.toContain(HOSTILE);
  expect(htmlBody).not.toContain('<b>Bold</b>');
  expect(htmlBody).not.toContain('javascript:');
  expect(htmlBody).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(htmlBody).toContain('Team &lt;b&gt;Bold&lt;/b&gt; &amp; &quot;Quoted&quot;');
  expect(subject).toContain('Team <b>Bold</b> & "Quoted"');
});
