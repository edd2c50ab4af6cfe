import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import { type CustomerOutcomes, type SurveyResponse, parseOutcomes } from '../model/outcomes';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { customerSatisfaction } from './customer-satisfaction';

/**
 * Golden case, worked by hand. Team in UTC, asOf 2026-04-10 (April is not complete: the value is March).
 * March: CSAT ratings 5, 4, 4, 3, 5 -> 4 of 5 satisfied = 0.8, mean 4.2; Wilson (k 4, n 5, z 1.96):
 *   centre 0.8 + 3.8415/10 = 1.18415, spread 1.96 * sqrt(0.032 + 0.038415) = 0.52009, denominator 1.76829
 *   -> [0.376, 0.964]. NPS scores 10, 9, 8, 6, 3, 10 -> 3 promoters, 1 passive, 2 detractors: (3 - 2) / 6 = 16.7.
 * February: CSAT 5, 5, 2, 2 -> 0.5; NPS 9, 9, 0, 0 -> 0. Trend over February and March: CSAT +0.3 a month,
 *   NPS +16.7 a month (from the monthly scores as shown). April's responses (an incomplete month) are in the weeks and months, not the value.
 */
const responses: SurveyResponse[] = [];
const add = (kind: 'csat' | 'nps', at: string, scores: number[], extra: Partial<SurveyResponse> = {}) =>
  scores.forEach((score, i) => responses.push({ id: `t:${kind}:${at}:${i}`, at, kind, score, source: `survey row ${responses.length + 1}`, ...extra }));
add('csat', '2026-02-10T10:00:00Z', [5, 5, 2, 2]);
add('nps', '2026-02-11T10:00:00Z', [9, 9, 0, 0]);
add('csat', '2026-03-04T10:00:00Z', [5, 4, 4, 3, 5], { releaseId: 'r1' });
add('nps', '2026-03-05T10:00:00Z', [10, 9, 8, 6, 3, 10]);
add('csat', '2026-04-02T10:00:00Z', [1, 1]);
const outcomes: CustomerOutcomes = parseOutcomes({ responses });
const index = new HistoryIndex(parseSnapshot(new SnapshotBuilder('2026-04-10T12:00:00Z').build()));

describe('customer satisfaction (golden case)', () => {
  const r = customerSatisfaction(index, outcomes);

  it('gives the last complete month: CSAT share, mean and Wilson interval; NPS with its parts', () => {
    expect(r.value).toMatchObject({
      month: '2026-03',
      csat: { share: 0.8, mean: 4.2, responses: 5, interval: [0.376, 0.964] },
      nps: { score: 16.7, responses: 6, promoters: 3, passives: 1, detractors: 2 },
      csatTrend: 0.3,
      npsTrend: 16.7,
    });
    const [low, high] = r.value!.nps!.interval;
    expect(low).toBeLessThan(16.7);
    expect(high).toBeGreaterThan(16.7);
    expect(low).toBeGreaterThanOrEqual(-100);
    expect(high).toBeLessThanOrEqual(100);
    // Seeded: the same interval every time; another seed, another draw.
    expect(customerSatisfaction(index, outcomes).value!.nps!.interval).toEqual(r.value!.nps!.interval);
  });

  it('warns when a figure rests on few responses, and keeps each response as evidence', () => {
    expect(r.warnings.map((w) => w.code)).toEqual(['few-responses', 'few-responses']);
    expect(r.evidence).toHaveLength(11);
    expect(r.evidence.filter((e) => e.role === 'detractor').map((e) => e.contribution)).toEqual([6, 3]);
  });

  it('gives every week, month and release', () => {
    expect(r.details.months.map((m) => [m.period, m.csat?.share ?? null, m.nps?.score ?? null])).toEqual([
      ['2026-02', 0.5, 0],
      ['2026-03', 0.8, 16.7],
      ['2026-04', 0, null],
    ]);
    expect(r.details.weeks.map((w) => w.period)).toEqual(['2026-02-09', '2026-03-02', '2026-03-30']);
    expect(r.details.releases).toMatchObject([{ period: 'r1', csat: { share: 0.8, responses: 5 } }]);
  });

  it('is null with a reason without responses in the last complete month', () => {
    expect(customerSatisfaction(index, parseOutcomes({})).reason).toMatch(/^no survey response/);
    const later = new HistoryIndex(parseSnapshot(new SnapshotBuilder('2026-06-10T12:00:00Z').build()));
    expect(customerSatisfaction(later, outcomes).reason).toBe('no survey response in 2026-05, the last complete month');
  });

  it('refuses a rating off its scale, naming it', () => {
    expect(() => parseOutcomes({ responses: [{ id: 'x', at: '2026-03-01T10:00:00Z', kind: 'csat', score: 6, source: 's' }] })).toThrow('outcomes: responses.0.score: a CSAT rating is 1 to 5, an NPS score 0 to 10');
  });
});

/**
 * The trend is a slope per calendar month: a month without responses is a gap. Team in UTC, asOf 2026-05-10.
 * CSAT shares 0.5 (January, 5 of 10), 0.6 (February, 6 of 10), 0.8 (April, 8 of 10); no answer in March.
 * x = 0, 1, 3 (months since January), mean 4/3; y mean 1.9/3 = 0.6333.
 *   Sxy = (-4/3)(-0.1333) + (-1/3)(-0.0333) + (5/3)(0.1667) = 0.1778 + 0.0111 + 0.2778 = 0.4667
 *   Sxx = 16/9 + 1/9 + 25/9 = 42/9 = 4.6667 -> slope 0.4667 / 4.6667 = 0.1 a month.
 * Counting April as the month after February (x = 0, 1, 2) gave (0.8 - 0.5) / 2 = 0.15, half as steep again.
 */
describe('customer satisfaction trend across a month without responses', () => {
  const answers: SurveyResponse[] = [];
  const month = (at: string, satisfied: number) => Array.from({ length: 10 }, (_, i) => answers.push({ id: `g:${at}:${i}`, at, kind: 'csat', score: i < satisfied ? 5 : 1, source: 's' }));
  month('2026-01-10T10:00:00Z', 5);
  month('2026-02-10T10:00:00Z', 6);
  month('2026-04-10T10:00:00Z', 8);
  const later = new HistoryIndex(parseSnapshot(new SnapshotBuilder('2026-05-10T12:00:00Z').build()));

  it('is the least-squares slope over the months where they fall in the calendar', () => {
    const r = customerSatisfaction(later, parseOutcomes({ responses: answers }));
    expect(r.details.months.map((m) => [m.period, m.csat!.share])).toEqual([
      ['2026-01', 0.5],
      ['2026-02', 0.6],
      ['2026-04', 0.8],
    ]);
    expect(r.value).toMatchObject({ month: '2026-04', csatTrend: 0.1, npsTrend: null });
  });
});
