import { parseOutcomes } from '../model/outcomes';
import { goldenOutcomes, goldenResponses, outcomesGoldenIndex } from '../testing/outcomes-golden';
import { featureAdoption } from './feature-adoption';
import { releaseImpact } from './release-impact';
import { releasePredictability } from './release-predictability';
import { roi } from './roi';

describe('customer outcomes beside delivery (golden case)', () => {
  const ix = outcomesGoldenIndex();
  const adoption = featureAdoption(ix, goldenOutcomes);

  it('reads feature adoption at 7, 30 and 90 days after the release that shipped it', () => {
    expect(adoption.details.features).toEqual([
      {
        feature: 'export',
        releaseId: 'r1',
        epicId: 'test:issue:E-1',
        releasedOn: '2026-04-01',
        at: { '7': 0.05, '30': 0.25, '90': 0.3 },
        daysToTarget: 30,
        curve: [
          { day: 0, date: '2026-04-01', adoption: 0.01 },
          { day: 7, date: '2026-04-08', adoption: 0.05 },
          { day: 30, date: '2026-05-01', adoption: 0.25 },
          { day: 90, date: '2026-06-30', adoption: 0.3 },
        ],
      },
      expect.objectContaining({ feature: 'search', releasedOn: null, reason: 'feature search has no release yet (its release or epic has not shipped)' }),
    ]);
    expect(adoption.value).toEqual({ features: 1, medianAt30: 0.25, reachedTarget: 1 });
  });

  it('costs an epic by its share of each sprint, and gives ROI and payback', () => {
    const r = roi(ix, goldenOutcomes);
    const e1 = r.details.epics.find((e) => e.id === 'test:issue:E-1')!;
    expect(e1).toMatchObject({ cost: 8750, benefit: 12000, roi: 0.371, paybackDays: 61, currency: 'EUR' });
    expect(e1.sprints).toEqual([
      { sprintId: 's1', name: 'S1', share: 0.5, cost: 5000 },
      { sprintId: 's2', name: 'S2', share: 0.375, cost: 3750 },
    ]);
    expect(r.details.releases).toEqual([expect.objectContaining({ id: 'r1', cost: 8750, benefit: 1000, roi: -0.886, paybackDays: null })]);
    expect(r.value).toEqual({ cost: 8750, benefit: 12000, roi: 0.371, currency: 'EUR', measured: 2 });
    expect(r.params).toMatchObject({ costPerSprint: 10000, currency: 'EUR' });
  });

  it('is null with a reason without a cost per sprint', () => {
    const { cost: _cost, ...without } = goldenOutcomes;
    expect(roi(ix, without).reason).toMatch(/^no cost per sprint is configured/);
  });

  it('calls a change only where the intervals before and after a release do not overlap', () => {
    const impact = releaseImpact(ix, goldenOutcomes, releasePredictability(ix), adoption);
    expect(impact.value).toMatchObject({
      releaseId: 'r1',
      delivered: 1,
      before: { csat: { share: 0, interval: [0, 0.161] }, nps: { score: 0 } },
      after: { csat: { share: 1, interval: [0.839, 1] }, nps: { score: 50 } },
      csatChange: 'up',
      npsChange: 'up',
      features: [{ feature: 'export', at30: 0.25 }],
    });
    // Ten answers either side that barely differ: no change called.
    const close = parseOutcomes({ responses: [...goldenResponses.filter((r) => r.kind === 'csat').slice(0, 10), ...goldenResponses.filter((r) => r.kind === 'csat').slice(0, 9), { id: 'x', at: '2026-04-12T12:00:00Z', kind: 'csat', score: 4, source: 's' }].map((r, i) => ({ ...r, id: `c${i}`, at: i < 10 ? '2026-03-20T12:00:00Z' : '2026-04-12T12:00:00Z' })) });
    expect(releaseImpact(ix, close, releasePredictability(ix), adoption).value?.csatChange).toBe('none');
  });
});
