import { parseInstant } from './instant';
import { quoteRaw, readDate, readInstant } from './read-timestamp';

/** Every form Jira Cloud and Azure DevOps are known to send, with the instant it must give (worked out by hand). */
describe('readInstant', () => {
  // 2025-03-06 10:30:00 UTC = 1741257000000 ms (20 153 days * 86 400 000 + 10.5 h).
  const T = Date.UTC(2025, 2, 6, 10, 30, 0);
  it.each<[string, unknown, number]>([
    ['ISO with Z, no fraction', '2025-03-06T10:30:00Z', T],
    ['ISO with Z, 3 fractional digits', '2025-03-06T10:30:00.000Z', T],
    ['ISO with Z, 7 fractional digits (Azure DevOps)', '2025-03-06T10:30:00.4566667Z', T + 456],
    ['ISO with Z, 1 fractional digit (Azure DevOps)', '2025-03-06T10:30:00.1Z', T + 100],
    ['ISO with +0000 (Jira)', '2025-03-06T10:30:00.000+0000', T],
    ['ISO with +00:00', '2025-03-06T10:30:00+00:00', T],
    ['ISO with a negative offset without a colon (Jira)', '2025-03-06T03:30:00.089-0700', T + 89],
    ['ISO with a positive offset with a colon', '2025-03-06T20:30:00+10:00', T],
    ['epoch milliseconds as a number (Jira bulkfetch)', 1741257000000, T],
    ['epoch milliseconds as a numeric string', '1741257000000', T],
    ["epoch seconds (Atlassian's bulkfetch example)", 1741257000, T],
  ])('%s: %j', (_form, raw, expected) => {
    const read = readInstant(raw);
    expect(read).toBeDefined();
    expect(parseInstant(read!)).toBe(expected);
  });

  it('keeps an ISO instant as the tracker wrote it (offset and all)', () => {
    expect(readInstant('2025-03-06T03:30:00.089-0700')).toBe('2025-03-06T03:30:00.089-0700');
    expect(readInstant(1741257000000)).toBe('2025-03-06T10:30:00.000Z');
  });

  it.each<[string, unknown]>([
    ['a number that is no plausible time in ms or s (1970)', 86_400_000],
    ['a fraction of a millisecond', 1741257000000.5],
    ['a date without a time', '2025-03-06'],
    ['no offset', '2025-03-06T10:30:00'],
    ['a day that does not exist', '2025-02-30T10:30:00Z'],
    ['prose', 'yesterday'],
    ['null', null],
    ['an object', { value: '2025-03-06T10:30:00Z' }],
    ['not a number', Number.NaN],
  ])('refuses %s', (_what, raw) => {
    expect(readInstant(raw)).toBeUndefined();
  });
});

describe('readDate', () => {
  it.each<[string, unknown, string]>([
    ['a date (Jira versions)', '2025-03-14', '2025-03-14'],
    ['midnight UTC (Azure DevOps iterations)', '2025-03-14T00:00:00Z', '2025-03-14'],
    ['an instant with an offset: its date as written', '2025-03-14T00:00:00.000+0100', '2025-03-14'],
    ['epoch milliseconds: the UTC date', Date.UTC(2025, 2, 14, 23, 0), '2025-03-14'],
  ])('%s: %j', (_form, raw, expected) => {
    expect(readDate(raw)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['a day that does not exist', '2025-02-29'],
    ['a slash date', '2025/03/14'],
    ['an empty string', ''],
    ['a number that is no time (a date written as digits)', 20250314],
  ])('refuses %s', (_what, raw) => {
    expect(readDate(raw)).toBeUndefined();
  });
});

describe('quoteRaw', () => {
  it('quotes a value as JSON and cuts it at 80 characters', () => {
    expect(quoteRaw('abc')).toBe('"abc"');
    expect(quoteRaw(17)).toBe('17');
    expect(quoteRaw(undefined)).toBe('nothing');
    const long = quoteRaw('x'.repeat(200));
    expect(long).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
  });
});
