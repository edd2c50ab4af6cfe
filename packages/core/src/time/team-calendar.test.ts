import { parseInstant } from './instant';
import { TeamCalendar } from './team-calendar';

const H = 3_600_000;
const cal = (timeZone: string, holidays: string[] = []) =>
  new TeamCalendar({ timeZone, workingDays: [1, 2, 3, 4, 5], workingHours: { start: '09:00', end: '17:00' }, holidays });

describe('TeamCalendar', () => {
  it('counts working time across a weekend', () => {
    // Fri 16:00 -> Mon 10:00: 1 h on Friday, 1 h on Monday.
    expect(cal('UTC').workingMillisBetween(parseInstant('2025-03-07T16:00:00Z'), parseInstant('2025-03-10T10:00:00Z'))).toBe(2 * H);
  });

  it('skips holidays', () => {
    expect(cal('UTC', ['2025-03-10']).workingMillisBetween(parseInstant('2025-03-07T16:00:00Z'), parseInstant('2025-03-11T10:00:00Z'))).toBe(2 * H);
  });

  it('keeps the working day at 09:00-17:00 local on a DST day (Auckland, clocks back on 2025-04-06)', () => {
    const c = cal('Pacific/Auckland', []);
    // Monday 2025-04-07 is a full 8 h day even though the offset changed the day before (+13 -> +12).
    expect(c.workingMillisBetween(parseInstant('2025-04-07T00:00:00+12:00'), parseInstant('2025-04-08T00:00:00+12:00'))).toBe(8 * H);
    expect(c.localDate(parseInstant('2025-04-06T11:30:00Z'))).toBe('2025-04-06');
  });

  it('adds working time forward: the inverse of workingMillisBetween', () => {
    const c = cal('Europe/Berlin');
    const from = parseInstant('2025-03-28T16:00:00+01:00');
    const to = c.addWorkingMillis(from, 2 * H);
    expect(new Date(to).toISOString()).toBe('2025-03-31T08:00:00.000Z'); // Monday 10:00 +02:00
    expect(c.workingMillisBetween(from, to)).toBe(2 * H);
  });

  it('buckets instants by ISO week and local date in its own zone', () => {
    const c = cal('America/New_York');
    // Monday 02:00 UTC is still Sunday evening in New York.
    expect(c.localDate(parseInstant('2025-03-10T02:00:00Z'))).toBe('2025-03-09');
    expect(c.weekOf(parseInstant('2025-03-10T02:00:00Z'))).toBe('2025-03-03');
    expect(c.daysBetween('2025-03-28', '2025-04-01')).toBe(4);
  });
});

describe('TeamCalendar.of', () => {
  it('shares one calendar between equal settings and keeps different settings apart', () => {
    const a = TeamCalendar.of({ timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], workingHours: { start: '09:00', end: '17:00' }, holidays: [] });
    const b = TeamCalendar.of({ timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], workingHours: { start: '09:00', end: '17:00' }, holidays: [] });
    const c = TeamCalendar.of({ timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], workingHours: { start: '09:00', end: '17:00' }, holidays: ['2026-12-25'] });
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(c.isWorkingDate('2026-12-25')).toBe(false);
    expect(a.isWorkingDate('2026-12-25')).toBe(true);
  });
});
