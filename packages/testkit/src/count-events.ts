import type { Snapshot } from '@agile-kpi/core';

/**
 * Number of timeline entries in a snapshot: every change of every item timeline (status, estimate, sprints,
 * releases, flagged, labels) plus every release date snapshot. The unit in which the simulator's scale and the
 * engine's performance budgets are stated.
 */
export function countChanges(snapshot: Snapshot): number {
  let total = 0;
  for (const item of snapshot.items) {
    total +=
      item.status.length +
      item.estimate.length +
      item.sprints.length +
      item.releases.length +
      item.flagged.length +
      item.labels.length;
  }
  for (const release of snapshot.releases) total += release.plannedDate.length;
  return total;
}
