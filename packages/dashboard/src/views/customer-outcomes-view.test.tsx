import { type MetricsReport, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { goldenOutcomes, outcomesGoldenSnapshot } from '../../../core/src/testing/outcomes-golden';
import { outcomeHeadlines, viewHeadline } from '@agile-kpi/presentation';
import { reportSummary, reportWith } from '@agile-kpi/presentation';
import { DrillDownProvider } from '../ui/drill-down';
import { OUTCOME_HINTS, CustomerOutcomesView } from './customer-outcomes-view';
import { VIEW_RESULTS } from '@agile-kpi/presentation';

const render = (el: ReactElement) => renderToStaticMarkup(<DrillDownProvider>{el}</DrillDownProvider>);
const ENTITIES: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&amp;': '&' };
/** The markup as a reader sees it: tags gone, entities decoded, spaces collapsed. */
const textOf = (markup: string) => markup.replace(/<[^>]+>/g, ' ').replace(/&(lt|gt|quot|#x27|#39|amp);/g, (e) => ENTITIES[e] ?? e).replace(/\s+/g, ' ');

const attr = (markup: string, testId: string, name: string) => new RegExp(`data-testid="${testId}"[^>]*?${name}="([^"]*)"|${name}="([^"]*)"[^>]*?data-testid="${testId}"`).exec(markup)?.slice(1).find((x) => x !== undefined);
const row = (markup: string, testId: string) => textOf(new RegExp(`<tr[^>]*data-testid="${testId}"[^>]*>(.*?)</tr>`).exec(markup)?.[1] ?? '');

/**
 * The golden board of core's outcomes-golden.ts, worked by hand there: R1 shipped 2026-04-01 with all 8 planned
 * points delivered; CSAT twenty 3s before (0 %, Wilson [0, 0.161]) and twenty 5s after (100 %, [0.839, 1]): up;
 * NPS ten 7s before (0, [0, 0]) and five 9s, five 7s after (+50, bootstrap [20, 80]): up; feature export at
 * 7 / 30 / 90 days 5 % / 25 % / 30 %, the 20 % target on day 30; E-1 cost 8 750 EUR, benefit 12 000, ROI
 * (12 000 - 8 750) / 8 750 = +37.1 %, paid back 61 days after R1; R1's own benefit 1 000: ROI -88.6 %.
 */
let golden: MetricsReport;
/** The same board read on 2026-05-10: April is the last complete month (CSAT 100 % of 20, NPS +50 of 10). */
let inMay: MetricsReport;
let none: MetricsReport;
beforeAll(() => {
  golden = computeMetrics(outcomesGoldenSnapshot(), {}, goldenOutcomes);
  inMay = computeMetrics({ ...outcomesGoldenSnapshot(), asOf: '2026-05-10T12:00:00Z' }, {}, goldenOutcomes);
  none = computeMetrics(parseSnapshot(simulateTeam({ seed: 42 }).snapshot));
});

describe('customer outcome headlines', () => {
  test('release impact, the view’s headline, in words (values worked by hand above)', () => {
    expect(outcomeHeadlines(golden).releaseImpact).toBe(
      'R1, released 2026-04-01: 100% of planned scope delivered; CSAT 0% → 100% (up: the 95% intervals do not overlap); NPS 0 → +50 (up: the 95% intervals do not overlap); adoption 30 days after: export 25%',
    );
    expect(viewHeadline(golden, 'customerOutcomes')).toBe(outcomeHeadlines(golden).releaseImpact);
  });

  test('feature adoption and ROI', () => {
    expect(outcomeHeadlines(golden).featureAdoption).toBe('1 feature measured: median adoption 30 days after release 25%; 1 of 1 reached the 20% target');
    expect(outcomeHeadlines(golden).roi).toBe('ROI +37.1%: benefit 12000 EUR against a cost of 8750 EUR, summed over the epic measured (2 epics and releases with a ROI)');
  });

  test('satisfaction: the last complete month, its counts, trend and the few-responses warning; or why there is none', () => {
    // No response in May 2026, the last complete month before 2026-06-30.
    expect(outcomeHeadlines(golden).customerSatisfaction).toBe('n/a: no survey response in 2026-05, the last complete month');
    // On 2026-05-10: April's 20 ratings (all 5: 100 %, mean 5) and 10 scores (+50); trend over March and April:
    // CSAT 0 -> 1 is +100 pp a month, NPS 0 -> 50 is +50 a month; both under 30 responses.
    expect(outcomeHeadlines(inMay).customerSatisfaction).toBe(
      '2026-04: CSAT 100% (mean 5, 20 responses), NPS +50 (10 responses); trend CSAT +100 pp, NPS +50 a month; few responses (under 30): it moves a lot from month to month',
    );
  });

  test('with no outcome data each one says what is missing', () => {
    const h = outcomeHeadlines(none);
    expect(h.customerSatisfaction).toBe(`n/a: ${none.customerSatisfaction.reason}`);
    expect(h.featureAdoption).toBe(`n/a: ${none.featureAdoption.reason}`);
    expect(h.roi).toBe(`n/a: ${none.roi.reason}`);
  });
});

describe('the customer outcomes view', () => {
  test('headline: R1’s delivered share opens its delivered items, the sentence, and no light', () => {
    const html = render(<CustomerOutcomesView report={golden} />);
    expect(html).toContain('data-testid="view-customerOutcomes"');
    expect(textOf(html)).toContain(outcomeHeadlines(golden).releaseImpact);
    // A-1 (5) and A-2 (3) were delivered in R1.
    expect(attr(html, 'kpi-headline-customerOutcomes', 'aria-label')).toBe('100% of R1’s planned scope delivered: show the 2 items behind it');
    expect(html).not.toContain('kpi-light-customerOutcomes');
  });

  test('release impact table: before and after with intervals, counts, and a change only when the intervals are apart', () => {
    const html = render(<CustomerOutcomesView report={golden} />);
    expect(row(html, 'impact-r1')).toBe(
      ' R1 2026-04-01 100% 0% [0%–16.1%], 20 resp. 100% [83.9%–100%], 20 resp. changed: up 0 [0 to 0], 10 resp. +50 [20 to 80], 10 resp. changed: up export 25% ',
    );
    expect(attr(html, 'impact-csat-r1', 'data-change')).toBe('up');
    expect(attr(html, 'impact-nps-r1', 'data-change')).toBe('up');
    // R1's planned and delivered items, from release predictability: A-1 and A-2, planned and delivered.
    expect(attr(html, 'drill-releaseImpact-delivered-r1', 'aria-label')).toBe('100% of R1’s planned scope delivered: show the 4 items behind it');
    // Each before and after figure opens its responses: twenty CSAT ratings each side, ten NPS scores each side.
    expect(attr(html, 'drill-releaseImpact-csat-before-r1', 'aria-label')).toBe('0% [0%–16.1%], 20 resp. CSAT before R1: show the 20 items behind it');
    expect(attr(html, 'drill-releaseImpact-csat-after-r1', 'aria-label')).toBe('100% [83.9%–100%], 20 resp. CSAT after R1: show the 20 items behind it');
    expect(attr(html, 'drill-releaseImpact-nps-before-r1', 'aria-label')).toBe('0 [0 to 0], 10 resp. NPS before R1: show the 10 items behind it');
    expect(attr(html, 'drill-releaseImpact-nps-after-r1', 'aria-label')).toBe('+50 [20 to 80], 10 resp. NPS after R1: show the 10 items behind it');
  });

  test('overlapping intervals are no change', () => {
    // After R1 ten 3s and ten 5s: CSAT 50 %, Wilson [0.299, 0.701], overlapping the ten 5s and ten 3s before it.
    const mixed = { ...goldenOutcomes, responses: goldenOutcomes.responses.map((r, i) => (r.kind === 'csat' ? { ...r, score: i % 2 ? 5 : 3 } : r)) };
    const report = computeMetrics(outcomesGoldenSnapshot(), {}, mixed);
    const html = render(<CustomerOutcomesView report={report} />);
    expect(attr(html, 'impact-csat-r1', 'data-change')).toBe('none');
    expect(row(html, 'impact-r1')).toContain('no change');
    expect(outcomeHeadlines(report).releaseImpact).toContain('CSAT 50% → 50% (no change: the 95% intervals overlap)');
  });

  test('CSAT and NPS by month with counts, intervals and the few-responses note; the chart and its table', () => {
    const html = render(<CustomerOutcomesView report={inMay} />);
    expect(row(html, 'month-2026-04')).toBe(' 2026-04 100% 5 83.9%–100% 20 +50 20 to 80 10 few responses (under 30) ');
    expect(row(html, 'month-2026-03')).toBe(' 2026-03 0% 3 0%–16.1% 20 0 0 to 0 10 few responses (under 30) ');
    expect(html).toContain('data-testid="chart-customerSatisfaction"');
    expect(html).toContain('data-testid="chart-table-customerSatisfaction"');
    expect(html).toContain('data-testid="warnings-customerSatisfaction"');
    // April's 20 ratings are the evidence of its CSAT.
    expect(attr(html, 'drill-customerSatisfaction-csat', 'aria-label')).toBe('100% of 20 CSAT ratings of 2026-04: show the 20 items behind it');
    expect(attr(html, 'drill-customerSatisfaction-nps', 'aria-label')).toBe('+50 of 10 NPS scores of 2026-04: show the 10 items behind it');
  });

  test('feature adoption at 7, 30 and 90 days, days to target, the epic, and why a feature has no figures; the curve chart', () => {
    const html = render(<CustomerOutcomesView report={golden} />);
    expect(row(html, 'feature-export')).toBe(' export 2026-04-01 5% 25% 30% 30 E-1 ');
    expect(row(html, 'feature-search')).toBe(' search — — — — — — feature search has no release yet (its release or epic has not shipped) ');
    expect(attr(html, 'drill-featureAdoption-epic-export', 'aria-label')).toBe('E-1 epic of feature export: show the 1 item behind it');
    expect(html).toContain('data-testid="chart-featureAdoption"');
  });

  test('ROI per epic and release with payback; a cost opens the sprints that spent it', () => {
    const html = render(<CustomerOutcomesView report={golden} />);
    expect(row(html, 'roi-epic-test:issue:E-1')).toBe(' E-1 Item E-1 epic 8750 EUR 12000 EUR +37.1% 61 days ');
    expect(row(html, 'roi-release-r1')).toBe(' R1 release 8750 EUR 1000 EUR -88.6% not yet ');
    // S1 5 000 (50 %) and S2 3 750 (37.5 %).
    expect(attr(html, 'drill-roi-cost-epic-test:issue:E-1', 'aria-label')).toBe('8750 EUR cost of E-1 Item E-1: show the 2 items behind it');
    expect(textOf(html)).toContain('ROI +37.1%');
  });

  test('without outcome data: the reason and what to do, no empty chart', () => {
    const html = render(<CustomerOutcomesView report={none} />);
    const text = textOf(html);
    for (const key of ['customerSatisfaction', 'featureAdoption', 'roi'] as const) {
      expect(html).toContain(`data-testid="state-empty-${key}"`);
      expect(text).toContain(OUTCOME_HINTS[key]);
    }
    // The reason is said once, in the empty state, not again as the section's sentence.
    expect(html).not.toContain('data-testid="sentence-customerSatisfaction"');
    expect(html).not.toContain('chart-customerSatisfaction');
    expect(html).not.toContain('chart-featureAdoption');
    // The simulated team ships releases, but has no survey: release impact says so beside delivered vs planned.
    if (none.releaseImpact.value) expect(html).toContain('data-testid="state-empty-releaseImpact-responses"');
    else expect(html).toContain('data-testid="state-empty-releaseImpact"');
  });

  test('a gadget’s answer (the view’s results whole, the rest summarised) draws the same view', () => {
    const parts = Object.fromEntries(VIEW_RESULTS.customerOutcomes.map((k) => [k, golden[k]]));
    const gadget = reportWith(reportSummary(golden), parts);
    expect(render(<CustomerOutcomesView report={gadget} />)).toBe(render(<CustomerOutcomesView report={golden} />));
  });
});
