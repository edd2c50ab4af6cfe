import { monteCarlo } from './monte-carlo';

describe('monteCarlo', () => {
  it('is exact when every period delivers the same', () => {
    // 5 per period against 12 remaining: always 3 periods.
    const f = monteCarlo({ samples: [5], remaining: 12, seed: 1 });
    expect([f.p50, f.p85, f.p95, f.unfinished]).toEqual([3, 3, 3, 0]);
    expect(f.probabilityWithin(2)).toBe(0);
    expect(f.probabilityWithin(3)).toBe(1);
  });

  it('matches the geometric distribution when a period delivers all or nothing', () => {
    // Samples 0 or 10 against 10 remaining: P(done within k) = 1 - 0.5^k.
    // 0.85 lies between CDF(2) = 0.75 and CDF(3) = 0.875 -> p85 = 3;
    // 0.95 lies between CDF(4) = 0.9375 and CDF(5) = 0.96875 -> p95 = 5.
    const f = monteCarlo({ samples: [0, 10], remaining: 10, seed: 7, trials: 20_000 });
    expect(f.p85).toBe(3);
    expect(f.p95).toBe(5);
    expect(f.probabilityWithin(1)).toBeCloseTo(0.5, 1);
    expect(f.probabilityWithin(2)).toBeCloseTo(0.75, 1);
  });

  it('is reproducible from its seed, and the seed matters', () => {
    const a = monteCarlo({ samples: [3, 5, 8, 13], remaining: 60, seed: 42 });
    const b = monteCarlo({ samples: [3, 5, 8, 13], remaining: 60, seed: 42 });
    const dist = (f: typeof a) => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((k) => f.probabilityWithin(k));
    expect(dist(a)).toEqual(dist(b));
    const c = monteCarlo({ samples: [3, 5, 8, 13], remaining: 60, seed: 43 });
    expect(dist(c)).not.toEqual(dist(a));
  });

  it('says when the work never finishes (a team that delivers nothing)', () => {
    const f = monteCarlo({ samples: [0, 0], remaining: 5, seed: 1, maxPeriods: 10, trials: 100 });
    expect(f.p50).toBeNull();
    expect(f.unfinished).toBe(100);
  });

  it('needs nothing when nothing remains', () => {
    expect(monteCarlo({ samples: [4], remaining: 0, seed: 1 }).p95).toBe(0);
  });

  it('rejects bad input with a message that names the fix', () => {
    expect(() => monteCarlo({ samples: [], remaining: 3, seed: 1 })).toThrow(/at least one past period/);
    expect(() => monteCarlo({ samples: [1], remaining: 3, seed: 1, trials: 0 })).toThrow(/trials must be/);
  });
});
