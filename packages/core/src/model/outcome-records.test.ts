import { outcomesGoldenSnapshot } from '../testing/outcomes-golden';
import { bindOutcomes, outcomeRecord } from './outcome-records';

describe('an outcome file row', () => {
  it('reads a CSAT answer by a date or an instant, columns matched ignoring case and separators', () => {
    expect(outcomeRecord('csat', { Date: '2026-03-02', SCORE: '4', Segment: ' pro ', release: '' }, 'i:1', 'f.csv row 2')).toEqual({
      record: { id: 'i:1', kind: 'csat', date: '2026-03-02', score: 4, segment: 'pro', source: 'f.csv row 2' },
    });
    expect(outcomeRecord('nps', { date: '2026-03-02T09:30:00+01:00', score: 0 }, 'i:2', 's')).toEqual({ record: { id: 'i:2', kind: 'nps', at: '2026-03-02T09:30:00+01:00', score: 0, source: 's' } });
    expect(outcomeRecord('usage', { date: '2026-04-01', feature: 'export', users: '10', active_users: 1000 }, 'i:3', 's')).toEqual({
      record: { id: 'i:3', kind: 'usage', date: '2026-04-01', feature: 'export', users: 10, activeUsers: 1000, source: 's' },
    });
    expect(outcomeRecord('benefit', { date: '2026-04-01', amount: '-12.5', currency: 'eur', epic: 'E-1' }, 'i:4', 's')).toEqual({
      record: { id: 'i:4', kind: 'benefit', date: '2026-04-01', amount: -12.5, currency: 'EUR', epic: 'E-1', source: 's' },
    });
  });

  it('names every bad column of a row and what to write instead', () => {
    expect(outcomeRecord('csat', { date: '31/03/2026', score: '6' }, 'x', 's')).toEqual({
      problems: [
        { column: 'date', message: "expected a date YYYY-MM-DD or an instant with an offset such as 2026-03-02T09:30:00Z, got '31/03/2026'" },
        { column: 'score', message: "a CSAT rating is a whole number from 1 to 5, got '6'" },
      ],
    });
    expect(outcomeRecord('nps', { date: '2026-02-30', score: '9.5' }, 'x', 's')).toMatchObject({ problems: [{ column: 'date' }, { column: 'score', message: "an NPS score is a whole number from 0 to 10, got '9.5'" }] });
    expect(outcomeRecord('usage', { date: '2026-04-01', feature: 'x', users: '11', 'active users': '10' }, 'x', 's')).toEqual({ problems: [{ column: 'users', message: '11 users of the feature is more than the 10 active users' }] });
    expect(outcomeRecord('usage', { date: '2026-04-01', users: '1' }, 'x', 's')).toEqual({
      problems: [
        { column: 'feature', message: 'is empty: every row needs one' },
        { column: 'active users', message: 'is empty: every row needs one' },
      ],
    });
    expect(outcomeRecord('benefit', { date: '2026-04-01', amount: '1,200', currency: '€' }, 'x', 's')).toEqual({
      problems: [
        { column: 'amount', message: "expected a number such as 1250.50 (no currency sign or thousands separator), got '1,200'" },
        { column: 'currency', message: "expected a three-letter currency code such as EUR, got '€'" },
        { column: 'epic', message: 'and release are both empty: a benefit belongs to an epic or a release' },
      ],
    });
  });
});

describe('binding outcome records to a board', () => {
  const snapshot = { ...outcomesGoldenSnapshot(), team: { ...outcomesGoldenSnapshot().team, timeZone: 'Pacific/Auckland' } };

  it('finds releases by name or id and epics by key, and reads dates in the team zone', () => {
    const { outcomes, unresolved } = bindOutcomes(
      snapshot,
      [
        { id: 'a', kind: 'csat', date: '2026-04-01', score: 5, release: 'R1', source: 's' },
        { id: 'b', kind: 'benefit', date: '2026-04-01', amount: 10, currency: 'EUR', epic: 'E-1', source: 's' },
        { id: 'c', kind: 'benefit', date: '2026-04-01', amount: 10, currency: 'EUR', release: 'r2', source: 's' },
        { id: 'd', kind: 'nps', at: '2026-04-02T10:00:00Z', score: 9, release: 'R9', source: 's' },
      ],
      { cost: { perSprint: 100, currency: 'EUR' }, features: [{ feature: 'export', shippedBy: 'E-1' }, { feature: 'search', shippedBy: 'R2' }] },
    );
    // Midnight of 2026-04-01 in Auckland (NZDT, +13:00) is 11:00 UTC the day before.
    expect(outcomes.responses).toEqual([
      { id: 'a', at: '2026-03-31T11:00:00.000Z', kind: 'csat', score: 5, source: 's', releaseId: 'r1' },
      { id: 'd', at: '2026-04-02T10:00:00Z', kind: 'nps', score: 9, source: 's', releaseId: 'R9' },
    ]);
    expect(outcomes.benefits).toEqual([
      { date: '2026-04-01', amount: 10, currency: 'EUR', epicId: 'test:issue:E-1' },
      { date: '2026-04-01', amount: 10, currency: 'EUR', releaseId: 'r2' },
    ]);
    expect(outcomes.features).toEqual([
      { feature: 'export', epicId: 'test:issue:E-1' },
      { feature: 'search', releaseId: 'r2' },
    ]);
    expect(outcomes.cost).toEqual({ perSprint: 100, currency: 'EUR' });
    expect(unresolved).toEqual(['release R9']);
  });
});
