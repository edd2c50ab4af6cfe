import { type CustomerOutcomes, parseOutcomes } from '../model/outcomes';
import { goldenOutcomes, outcomesGoldenIndex } from '../testing/outcomes-golden';
import { roi } from './roi';

/**
 * A benefit in another currency than the cost (golden case of testing/outcomes-golden.ts, worked by hand there):
 * R1 costs 8 750 EUR (the share of S1 and S2 spent on its items) and has 1 000 EUR of benefit (04-15); add 500 USD
 * (05-15). Summed as they were, R1's benefit read 1 500 and its ROI (1 500 - 8 750) / 8 750 = -0.829: a sum of
 * euros and dollars shown as euros. No currency is converted, so R1 has no ROI and says why; E-1 (all in EUR) keeps
 * cost 8 750, benefit 12 000, ROI (12 000 - 8 750) / 8 750 = 0.371, and so does the team figure.
 */
describe('roi: a benefit in another currency than the cost', () => {
  const ix = outcomesGoldenIndex();
  const withUsd: CustomerOutcomes = parseOutcomes({ ...goldenOutcomes, benefits: [...goldenOutcomes.benefits, { date: '2026-05-15', amount: 500, currency: 'USD', releaseId: 'r1' }] });
  const r = roi(ix, withUsd);

  it('leaves the row without ROI, with the reason, and excludes it', () => {
    const r1 = r.details.releases.find((x) => x.id === 'r1')!;
    expect(r1).toMatchObject({ cost: 8750, benefit: null, roi: null, paybackDays: null, currency: 'EUR' });
    expect(r1.reason).toBe('the benefit of R1 is in USD and the cost per sprint in EUR: import the benefit in EUR (no currency is converted)');
    expect(r.excluded).toEqual([{ id: 'r1', reason: r1.reason }]);
  });

  it('measures the rest as before', () => {
    expect(r.details.epics.find((e) => e.id === 'test:issue:E-1')).toMatchObject({ cost: 8750, benefit: 12000, roi: 0.371, paybackDays: 61 });
    expect(r.value).toEqual({ cost: 8750, benefit: 12000, roi: 0.371, currency: 'EUR', measured: 1 });
    expect(r.params).toMatchObject({ benefitRule: 'the imported benefit series summed up to asOf, in the currency of the cost (none converted)' });
  });

  it('a benefit all in the cost currency is summed (the golden case: R1 1 000 EUR against 8 750 -> -0.886)', () => {
    expect(roi(ix, goldenOutcomes).details.releases[0]).toMatchObject({ benefit: 1000, roi: -0.886 });
    expect(roi(ix, goldenOutcomes).excluded).toEqual([]);
  });
});
