import { type MetricsReport, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { goldenOutcomes, outcomesGoldenSnapshot } from '../../core/src/testing/outcomes-golden';
import { buildReport } from './build-report';
import { notifyReport } from './notify';
import { outcomeLines } from './outcome-lines';

const DASHBOARD = 'https://jira.example.com/jira/dashboards/10000';

/**
 * Core's golden outcomes board (outcomes-golden.ts, worked by hand there) read on 2026-05-10, so that April is the
 * last complete month: R1 shipped 2026-04-01 with its 8 planned points delivered; CSAT twenty 3s before it (0 %) and
 * twenty 5s after (100 %, Wilson [83.9 %, 100 %], apart from [0, 16.1 %]: up); NPS ten 7s before (0) and five 9s,
 * five 7s after (+50, bootstrap [20, 80], apart from [0, 0]: up); feature export used by 250 of 1 000 active users
 * on 05-01, 30 days after R1 (25 %, the 20 % target reached on day 30); April's CSAT 100 % of 20 ratings (mean 5) and
 * NPS +50 of 10 scores; trend over March and April: CSAT 0 -> 100 % (+100 pp a month), NPS 0 -> 50 (+50 a month).
 * E-1 cost 5 000 + 3 750 = 8 750 EUR; benefit by 05-10: 3 000 + 4 000 = 7 000 -> ROI (7 000 - 8 750) / 8 750 = -20 %;
 * R1 1 000 against 8 750 -> -88.6 %. The team figure sums the epics: -20 %, 2 measured.
 */
let may: MetricsReport;
let none: MetricsReport;
beforeAll(() => {
  may = computeMetrics({ ...outcomesGoldenSnapshot(), asOf: '2026-05-10T12:00:00Z' }, {}, goldenOutcomes);
  none = computeMetrics(parseSnapshot(simulateTeam({ seed: 42 }).snapshot));
});

const EXPECTED = [
  'Release impact: R1, released 2026-04-01: 100% of planned scope delivered; CSAT 0% → 100% (up: the 95% intervals do not overlap); NPS 0 → +50 (up: the 95% intervals do not overlap); adoption 30 days after: export 25%',
  'Customer satisfaction: 2026-04: CSAT 100% (mean 5, 20 responses), NPS +50 (10 responses); trend CSAT +100 pp, NPS +50 a month; few responses (under 30): it moves a lot from month to month',
  'Feature adoption: 1 feature measured: median adoption 30 days after release 25%; 1 of 1 reached the 20% target',
  'Return on investment: ROI -20%: benefit 7000 EUR against a cost of 8750 EUR, summed over the epic measured (2 epics and releases with a ROI)',
];

test('the customer outcome lines, pinned against the golden values worked by hand', () => {
  expect(outcomeLines(may, DASHBOARD).map((l) => `${l.label}: ${l.sentence}`)).toEqual(EXPECTED);
  expect(outcomeLines(may, DASHBOARD)[0]!.dashboardUrl).toBe(`${DASHBOARD}?view=customerOutcomes`);
});

test('the emailed report says them in its text and HTML, and so does the Forge notification', async () => {
  const built = await buildReport([{ report: may, dashboardUrl: DASHBOARD }], { charts: false });
  const text = built.text;
  expect(text).toContain(['Customer outcomes:', ...EXPECTED.map((l) => `  ${l}`), `  Dashboard: ${DASHBOARD}?view=customerOutcomes`].join('\n'));
  for (const line of EXPECTED) expect(built.html).toContain(line.slice(line.indexOf(': ') + 2));
  expect(built.html).toContain('Customer outcomes</div>');
  const { htmlBody, textBody } = notifyReport({ report: may, dashboardUrl: DASHBOARD });
  expect(textBody).toBe(built.text);
  for (const line of EXPECTED) expect(htmlBody).toContain(line.slice(line.indexOf(': ') + 2));
});

test('only the outcomes with data: none for a team without survey, analytics or benefit data; a month without responses leaves CSAT out', async () => {
  expect(outcomeLines(none)).toEqual([]);
  const built = await buildReport([{ report: none }], { charts: false });
  expect(built.text).not.toContain('Customer outcomes');
  expect(built.html).not.toContain('Customer outcomes');
  // Read on 2026-06-30 the golden board has no response in May, the last complete month: no satisfaction line.
  const june = computeMetrics(outcomesGoldenSnapshot(), {}, goldenOutcomes);
  expect(outcomeLines(june).map((l) => l.key)).toEqual(['releaseImpact', 'featureAdoption', 'roi']);
});
