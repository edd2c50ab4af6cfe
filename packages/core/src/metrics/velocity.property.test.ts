import fc from 'fast-check';
import { computeMetrics } from '../compute-metrics';
import { HistoryIndex } from '../history/history-index';
import { parseSnapshot } from '../model/schema';
import type { Snapshot } from '../model/types';
import { STATUSES, SnapshotBuilder } from '../testing/snapshot-builder';
import { velocity } from './velocity';

/**
 * Invariants over random histories: three fixed sprints, items whose status, estimate and sprint
 * membership change at random instants.
 */
const BASE = Date.parse('2025-03-01T00:00:00Z');
const HOUR = 3_600_000;
const iso = (h: number) => new Date(BASE + h * HOUR).toISOString();
const SPRINTS = [
  { id: 's1', startH: 48, closeH: 48 + 14 * 24 },
  { id: 's2', startH: 48 + 14 * 24, closeH: 48 + 28 * 24 },
  { id: 's3', startH: 48 + 28 * 24, closeH: 48 + 42 * 24 },
];
const AS_OF_H = 48 + 40 * 24;
const statusNames = Object.keys(STATUSES).filter((s) => s !== 'Removed');

const event = fc.record({
  h: fc.integer({ min: 1, max: AS_OF_H }),
  kind: fc.constantFrom('status', 'estimate', 'sprints'),
  status: fc.constantFrom(...statusNames),
  estimate: fc.option(fc.constantFrom(1, 2, 3, 5, 8, 13), { nil: null }),
  sprints: fc.subarray(['s1', 's2', 's3']),
});
const itemArb = fc.record({
  kind: fc.constantFrom('story', 'bug', 'subtask' as const),
  events: fc.array(event, { maxLength: 12 }),
});
const snapshotArb = fc.array(itemArb, { minLength: 1, maxLength: 12 }).map((items) => {
  const b = new SnapshotBuilder(iso(AS_OF_H));
  for (const s of SPRINTS) {
    const closed = s.closeH <= AS_OF_H;
    b.sprint({ id: s.id, name: s.id, state: closed ? 'closed' : 'active', startAt: iso(s.startH), plannedEndAt: iso(s.closeH), ...(closed ? { closedAt: iso(s.closeH) } : {}) });
  }
  items.forEach((it, n) => {
    const ib = b.item(`P-${n}`, iso(0), it.kind as 'story');
    for (const e of [...it.events].sort((a, c) => a.h - c.h)) {
      if (e.kind === 'status') ib.status(iso(e.h), e.status);
      else if (e.kind === 'estimate') ib.estimate(iso(e.h), e.estimate);
      else ib.sprints(iso(e.h), e.sprints);
    }
  });
  return parseSnapshot(b.build());
});

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 48271) % 2147483647;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('velocity invariants (property-based)', () => {
  it('completed counts only items in the sprint at close and done at close', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const index = new HistoryIndex(snap);
        const r = velocity(index);
        for (const s of r.details.sprints) {
          const end = Date.parse(s.endAt);
          const members = new Set(index.membersAt(s.sprintId, end).map((h) => h.item.key));
          for (const e of s.evidence.filter((x) => x.role === 'completed')) {
            expect(members.has(e.key)).toBe(true);
            expect(index.isDoneAt(index.get(e.itemId)!, end)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('partitions the sprint at close into completed and carried over (sub-tasks and outside-completed aside)', () => {
    fc.assert(
      fc.property(snapshotArb, (snap) => {
        const index = new HistoryIndex(snap);
        for (const s of velocity(index).details.sprints) {
          const end = Date.parse(s.endAt);
          const outside = new Set(s.evidence.filter((e) => e.role === 'completed-outside').map((e) => e.key));
          const expected = index
            .membersAt(s.sprintId, end)
            .filter((h) => h.item.type.kind !== 'subtask' && !outside.has(h.item.key))
            .map((h) => h.item.key)
            .sort();
          const got = s.evidence.filter((e) => e.role === 'completed' || e.role === 'carried-over').map((e) => e.key).sort();
          expect(got).toEqual(expected);
          expect(s.completed.items + s.carriedOver.items).toBe(expected.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on the order of items and sprints in the input', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer({ min: 1, max: 1_000_000 }), (snap, seed) => {
        const reordered: Snapshot = { ...snap, items: shuffled(snap.items, seed), sprints: shuffled(snap.sprints, seed + 1) };
        expect(JSON.stringify(computeMetrics(reordered))).toBe(JSON.stringify(computeMetrics(snap)));
      }),
      { numRuns: 60 },
    );
  });
});
