import { z } from 'zod';
import { instantField, optionalDateField, optionalInstantField, readRecord, skippedWarning } from './read-records';

const history = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), created: instantField, items: z.array(z.unknown()) });

describe('readRecord', () => {
  it('reads epoch milliseconds and ISO strings alike, as ISO', () => {
    const a = readRecord(history, { id: 1, created: 1741257000000, items: [] });
    const b = readRecord(history, { id: '2', created: '2025-03-06T10:30:00.000+0000', items: [] });
    expect(a).toEqual({ ok: true, value: { id: '1', created: '2025-03-06T10:30:00.000Z', items: [] } });
    expect(b.ok && b.value.created).toBe('2025-03-06T10:30:00.000+0000');
  });

  it('names every field it cannot read, with the raw value', () => {
    const r = readRecord(history, { id: 7, created: 'last Tuesday', items: 'none' }, 'history 7');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { field: 'history 7 created', raw: 'last Tuesday', reason: 'not a timestamp Jira or Azure DevOps is known to send' },
      { field: 'history 7 items', raw: 'none', reason: 'not an array' },
    ]);
  });

  it('says "missing" for an absent required field', () => {
    const r = readRecord(history, { id: 7, items: [] });
    expect(!r.ok && r.problems).toEqual([{ field: 'created', raw: undefined, reason: 'missing' }]);
    const s = readRecord(z.object({ name: z.string() }), {});
    expect(!s.ok && s.problems[0]!.reason).toBe('missing');
  });

  it('reads optional instants and dates, null and empty as absent', () => {
    const sprint = z.object({ startDate: optionalInstantField, releaseDate: optionalDateField });
    expect(readRecord(sprint, { startDate: null, releaseDate: '' })).toEqual({ ok: true, value: { startDate: undefined, releaseDate: undefined } });
    expect(readRecord(sprint, { startDate: '1741257000000', releaseDate: '2025-03-14T00:00:00Z' })).toEqual({
      ok: true,
      value: { startDate: '2025-03-06T10:30:00.000Z', releaseDate: '2025-03-14' },
    });
    const bad = readRecord(sprint, { releaseDate: '14/03/2025' });
    expect(!bad.ok && bad.problems).toEqual([{ field: 'releaseDate', raw: '14/03/2025', reason: 'not a date (YYYY-MM-DD)' }]);
  });
});

describe('skippedWarning', () => {
  it('names the record, up to three fields with their raw values cut to 80 characters, and a count of the rest', () => {
    const problems = [1, 2, 3, 4, 5].map((n) => ({ field: `f${n}`, raw: n === 1 ? 'y'.repeat(100) : n, reason: 'not a timestamp' }));
    const w = skippedWarning('issue SIM-1', problems, { itemKey: 'SIM-1', itemId: 'jira:issue:1' });
    expect(w.code).toBe('unreadable-record');
    expect(w.itemKey).toBe('SIM-1');
    expect(w.message).toBe(`issue SIM-1 skipped: f1 "${'y'.repeat(78)}… is not a timestamp; f2 2 is not a timestamp; f3 3 is not a timestamp (and 2 more)`);
  });
});
