import { FaultCounters, hits, latencyFor } from './fault-counters';

describe('fault counters shared by the simulated trackers', () => {
  it('hits bursts at every N-th request and at listed request numbers', () => {
    const every = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((n) => hits(n, { every: 3, burst: 2 }));
    expect(every).toEqual([3, 4, 6, 7, 9]);
    expect([1, 2, 3, 4, 5, 6].filter((n) => hits(n, { at: [2, 5] }))).toEqual([2, 5]);
  });

  it('counts a rule only over the kinds it names', () => {
    const c = new FaultCounters<'search' | 'issue'>();
    const rule = { every: 2, kinds: ['search' as const] };
    const hit: boolean[] = [];
    for (const kind of ['search', 'issue', 'search', 'issue'] as const) {
      c.next();
      hit.push(c.tick('rate', rule, kind));
    }
    expect(hit).toEqual([false, false, true, false]);
    expect(c.total).toBe(4);
  });

  it('finds latency by the longest path prefix, then the kind, then the default', () => {
    const table = { '/rest': 10, '/rest/agile': 20, search: 30, default: 5 };
    expect(latencyFor(table, 'search', '/rest/agile/1.0/board')).toBe(20);
    expect(latencyFor(table, 'search', '/rest/api/3/search')).toBe(10);
    expect(latencyFor(table, 'search', '/other')).toBe(30);
    expect(latencyFor(table, 'issue', '/other')).toBe(5);
    expect(latencyFor(80, 'issue', '/x')).toBe(80);
    expect(latencyFor(undefined, 'issue', '/x')).toBe(0);
  });
});
