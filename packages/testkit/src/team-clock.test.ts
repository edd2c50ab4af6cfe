import { DateTime } from 'luxon';
import { Random } from './random';
import { TeamClock } from './team-clock';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'Pacific/Auckland', 'UTC', 'Australia/Lord_Howe'];
const HOURS = { start: '09:00', end: '17:00' };

describe('TeamClock', () => {
  it.each(ZONES)('formats instants exactly as luxon toISO() does in %s, DST changes included', (zone) => {
    const clock = new TeamClock(zone, '2024-12-01', 400, [1, 2, 3, 4, 5], HOURS);
    const rng = new Random(7);
    const from = Date.parse('2024-12-01T00:00:00Z');
    for (let i = 0; i < 3000; i++) {
      const ms = from + Math.floor(rng.float() * 390 * 86_400_000);
      expect(clock.iso(ms)).toBe(DateTime.fromMillis(ms, { zone }).toISO());
    }
    // Around the 2025 changes, minute by minute.
    for (const day of ['2025-03-30', '2025-03-09', '2025-04-06', '2025-09-28', '2025-10-05', '2025-10-26', '2025-11-02']) {
      const start = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
      for (let m = 0; m < 3 * 24 * 60; m += 7) {
        const ms = start + m * 60_000;
        expect(clock.iso(ms)).toBe(DateTime.fromMillis(ms, { zone }).toISO());
      }
    }
  });

  it('puts 10:00 local at the right instant on both sides of a DST change', () => {
    const clock = new TeamClock('Europe/Berlin', '2025-03-01', 60, [1, 2, 3, 4, 5], HOURS);
    const before = clock.localMs(clock.dayIndexOfDate('2025-03-17'), 600);
    const after = clock.localMs(clock.dayIndexOfDate('2025-03-31'), 600);
    expect(clock.iso(before)).toBe('2025-03-17T10:00:00.000+01:00');
    expect(clock.iso(after)).toBe('2025-03-31T10:00:00.000+02:00');
    expect(after - before).toBe(14 * 86_400_000 - 3_600_000);
  });

  it('maps working minutes to instants inside working hours on working days, and back', () => {
    const clock = new TeamClock('America/New_York', '2025-03-01', 60, [1, 2, 3, 4, 5], HOURS);
    const monday = clock.localMs(clock.dayIndexOfDate('2025-03-03'), 9 * 60);
    const w0 = clock.workAt(monday);
    // 8 working hours a day: 480 minutes after Monday 09:00 is Tuesday 09:00; 5 days later, the next Monday.
    expect(clock.iso(clock.msAtWork(w0 + 480))).toBe('2025-03-04T09:00:00.000-05:00');
    expect(clock.iso(clock.msAtWork(w0 + 5 * 480 + 30))).toBe('2025-03-10T09:30:00.000-04:00');
    // A Saturday instant snaps to the next working minute.
    const saturday = clock.localMs(clock.dayIndexOfDate('2025-03-08'), 12 * 60);
    expect(clock.workAt(saturday)).toBe(w0 + 5 * 480);
    const rng = new Random(3);
    for (let i = 0; i < 500; i++) {
      const w = w0 + rng.between(0, 20 * 480);
      const ms = clock.msAtWork(w);
      const local = DateTime.fromMillis(ms, { zone: clock.zone });
      expect(local.weekday).toBeLessThanOrEqual(5);
      expect(local.hour * 60 + local.minute).toBeGreaterThanOrEqual(9 * 60);
      expect(local.hour * 60 + local.minute).toBeLessThanOrEqual(17 * 60);
      expect(Math.abs(clock.workAt(ms) - w)).toBeLessThan(1 / 60 + 1e-9);
    }
  });

  it.each([...ZONES, 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'America/Asuncion'])(
    'startOfDayMs is the first instant of the local day, as luxon startOf("day") has it, in %s',
    (zone) => {
      const clock = new TeamClock(zone, '2024-01-01', 800, [1, 2, 3, 4, 5], HOURS);
      for (let d = 1; d < clock.days; d++) {
        const start = clock.startOfDayMs(d);
        const date = clock.dateOf(d);
        const luxon = DateTime.fromISO(date, { zone }).startOf('day').toMillis();
        // Where midnight happens twice (clocks go back at 01:00), luxon picks the later one; the day starts at
        // the earlier.
        if (start !== luxon) expect([date, start < luxon, DateTime.fromMillis(start, { zone }).toFormat('HH:mm')]).toEqual([date, true, '00:00']);
        expect(clock.localDate(start)).toBe(date);
        expect(clock.localDate(start - 1)).toBe(clock.dateOf(d - 1));
      }
    },
  );
});
