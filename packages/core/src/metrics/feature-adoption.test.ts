import { HistoryIndex } from '../history/history-index';
import { parseOutcomes } from '../model/outcomes';
import { parseSnapshot } from '../model/schema';
import { SnapshotBuilder } from '../testing/snapshot-builder';
import { featureAdoption } from './feature-adoption';

/**
 * An epic in two shipped releases, listed later first (as Azure DevOps lists tags, alphabetically: release-10
 * before release-9). Team in UTC, asOf 2026-06-30. release-9 shipped 2026-04-01, release-10 on 2026-05-01. The
 * feature shipped with release-9, on 04-01: usage 100 of 1 000 on 04-08 (day 7) and 300 of 1 000 on 05-01
 * (day 30) -> at 7 days 0.1, at 30 days 0.3, 20 % first reached on day 30. Read from release-10 (05-01), 04-08
 * would be before the release and day 30 would be 05-31 (0.3 from the 05-01 row), the target on day 0.
 */
describe('feature adoption: an epic in several releases shipped with the first of them', () => {
  const b = new SnapshotBuilder('2026-06-30T12:00:00Z');
  const release = (id: string, at: string) => b.release({ id, name: id, startAt: '2026-03-01T12:00:00Z', releasedAt: at, plannedDate: [], currentPlannedDate: at.slice(0, 10) });
  release('release-9', '2026-04-01T15:00:00Z');
  release('release-10', '2026-05-01T15:00:00Z');
  const t0 = '2026-02-20T10:00:00Z';
  b.item('E-1', t0, 'epic').labels(t0, ['feature:export']).releases(t0, ['release-10', 'release-9']);
  const index = new HistoryIndex(parseSnapshot(b.build()));
  const usage = [
    { date: '2026-04-08', feature: 'export', users: 100, activeUsers: 1000 },
    { date: '2026-05-01', feature: 'export', users: 300, activeUsers: 1000 },
  ];

  it('reads the adoption from the first release to ship', () => {
    const row = featureAdoption(index, parseOutcomes({ usage })).details.features[0]!;
    expect(row).toMatchObject({ feature: 'export', releaseId: 'release-9', releasedOn: '2026-04-01', at: { '7': 0.1, '30': 0.3 }, daysToTarget: 30 });
  });
});
