import type { GoalOutcome, ImpedimentSource, Instant, Snapshot } from '@agile-kpi/core';

/**
 * What really happened in a simulated team: the oracle that metric tests compare against.
 *
 * It is recorded by the simulator from its own live state at the moment each fact became true (the sprint's start,
 * its close, a release's ship date), never by reading the generated histories back and never with code from
 * `@agile-kpi/core`: a bug in the history reader must not be able to agree with itself.
 *
 * Conventions (the same as docs/METRICS.md):
 * - "Countable" items are stories, bugs and tasks. Sub-tasks (even with points), epics and impediment items are
 *   left out of every key list and point sum below.
 * - An item that was already done (status `Done`) when it joined a sprint is "completed outside" the sprint: it is
 *   listed in `completedOutsideKeys` only, never in committed, completed, added, removed, re-estimated or carried.
 * - Point sums treat an unestimated item as 0 (it is still listed among the keys).
 * - Key lists are sorted by issue number.
 */
export interface SprintTruth {
  sprintId: string;
  state: 'closed' | 'active';
  /** In the sprint at its start; estimates as at the start. */
  committedPoints: number;
  committedKeys: string[];
  /** In the sprint at close and done at close (for the active sprint: as of `asOf`); estimates at that moment. */
  completedPoints: number;
  completedKeys: string[];
  /** Each completed key's points at close (for the active sprint: as of `asOf`); 0 when unestimated. */
  completedPointsByKey: Record<string, number>;
  /** Joined after the start (and before close / asOf). */
  addedKeys: string[];
  /** Left the sprint after the start (the sprint id disappeared from the item's sprint list). */
  removedKeys: string[];
  /** Changed estimate after the start while in the sprint. */
  reEstimatedKeys: string[];
  /** In the sprint at close, not done (empty for the active sprint). */
  carriedOverKeys: string[];
  /** Already done when they joined the sprint. */
  completedOutsideKeys: string[];
  /** Carried the team's goal label at close (for the active sprint: as of `asOf`) while in the sprint. */
  goalItemKeys: string[];
  /** The verdict a user recorded for the sprint goal, when there is one. */
  verdict?: GoalOutcome;
}

export interface ImpedimentTruth {
  itemKey: string;
  source: ImpedimentSource;
  raisedAt: Instant;
  /** `null` while still open at `asOf`. */
  resolvedAt: Instant | null;
}

export interface ReleaseTruth {
  releaseId: string;
  /** Countable items in the release at its `startAt`. */
  plannedKeys: string[];
  /** Planned items that were done at `releasedAt`. Empty while the release is open. */
  deliveredKeys: string[];
  releasedAt: Instant | null;
}

/** An epic labelled `feature:<key>` (the `featureEpics` option) and when its feature reached users. */
export interface FeatureTruth {
  feature: string;
  epicId: string;
  epicKey: string;
  /** Stories, bugs and tasks whose parent is the epic, sorted by issue number. */
  childKeys: string[];
  /** When the epic was done; `null` while not done at `asOf`. */
  doneAt: Instant | null;
  /** The release the epic was put in when it was done (the one open then); `null` when none was open. */
  releaseId: string | null;
  /**
   * When the feature reached users: its release's ship instant, or the epic's done instant when it went in no
   * release; `null` while neither has happened by `asOf`.
   */
  shippedAt: Instant | null;
}

export interface GroundTruth {
  seed: number;
  activeSprintId: string;
  sprints: SprintTruth[];
  impediments: ImpedimentTruth[];
  releases: ReleaseTruth[];
  /** One per feature key of the `featureEpics` option that named an epic (none by default). */
  features: FeatureTruth[];
}

/** A simulated team: the snapshot an adapter would produce and the truth behind it. */
export interface SimulatedTeam {
  snapshot: Snapshot;
  truth: GroundTruth;
}
