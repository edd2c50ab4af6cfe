import { IANAZone } from 'luxon';
import { parseDate } from './team-clock';

/** Options of {@link simulateTeam}; every one has a default so that `simulateTeam()` is a useful fixture. */
export interface SimulateTeamOptions {
  /** Same seed and options, same output (deep-equal). Default 42. */
  seed?: number;
  /** Number of sprints; all are closed except the last, which is active at `asOf`. Default 12. */
  sprints?: number;
  /** Roughly how many stories, bugs and tasks the team plans per sprint. Default 10. */
  itemsPerSprint?: number;
  /** Default 14. At least 7, so that every sprint contains a weekend. */
  sprintLengthDays?: number;
  /** IANA zone of the team. Default 'Europe/Berlin', so that the default history crosses both DST changes. */
  timeZone?: string;
  /**
   * Local date of the first sprint's start ("YYYY-MM-DD"); sprint k starts `k * sprintLengthDays` days later, at
   * 10:00 local with the 'instants' calendar, at 00:00 local with 'dates'. Default '2025-01-06' (a Monday).
   */
  start?: string;
  /**
   * How the sprints' boundaries are placed. Default 'instants'.
   *
   * - 'instants' (Jira's way): a sprint starts at 10:00 local on its first day; it is planned in the 40 minutes
   *   before that, its planned end is 10:00 local on the next sprint's first day, and it is closed 45 minutes to
   *   3 hours before then; unfinished work moves to the next sprint within two minutes of the close.
   * - 'dates' (a calendar Azure DevOps can express with its date-only iteration dates, and Jira too): a sprint
   *   starts at 00:00 local on its first day and its planned end is the end (23:59:59.999 local) of the day before
   *   the next sprint's first day; the sprint is closed at exactly that instant (`closedAt = plannedEndAt`). It is
   *   planned (items assigned, goal text and goal labels set, planning estimates) in the afternoon of the last
   *   working day before its first day, between about 15:20 and 16:30 local, and work in the previous sprint stops
   *   shortly before that planning. Unfinished work moves to the next sprint at exactly the next sprint's start
   *   instant, so it is committed there, as in Jira. Iteration startDate = the first day, finishDate = the last day.
   */
  sprintCalendar?: 'instants' | 'dates';
  /** Jira project key, used in item keys ("SIM-12"). Default 'SIM'. */
  teamKey?: string;
  teamName?: string;
  /**
   * The team's position in an organisation: keeps the ids of items, sprints, releases and events of different
   * teams disjoint. Default 0 (ids then match the keys: `sim:issue:12` is `SIM-12`).
   */
  teamIndex?: number;
  /**
   * Feature keys ("export", "search"): the first epics, in creation order, are labelled `feature:<key>` when they
   * are created, one key each, and when such an epic is done it goes into the release open at that moment (its
   * fix version), so that the feature ships with that release. Default none (the history is then unchanged).
   */
  featureEpics?: readonly string[];
}

export type ResolvedTeamOptions = Required<SimulateTeamOptions>;

export const DEFAULT_TEAM_OPTIONS: Readonly<ResolvedTeamOptions> = Object.freeze({
  seed: 42,
  sprints: 12,
  itemsPerSprint: 10,
  sprintLengthDays: 14,
  timeZone: 'Europe/Berlin',
  start: '2025-01-06',
  teamKey: 'SIM',
  teamName: 'Simulated Team',
  teamIndex: 0,
  sprintCalendar: 'instants',
  featureEpics: Object.freeze([]) as readonly string[],
});

/** Fills in defaults and rejects options the simulator cannot honour, with a message naming the option. */
export function resolveTeamOptions(options: SimulateTeamOptions = {}): ResolvedTeamOptions {
  const o: ResolvedTeamOptions = { ...DEFAULT_TEAM_OPTIONS };
  for (const [key, value] of Object.entries(options) as [keyof SimulateTeamOptions, unknown][]) {
    if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  }
  const int = (name: keyof SimulateTeamOptions, value: number, min: number, max: number): void => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
    }
  };
  if (!Number.isFinite(o.seed)) throw new RangeError(`seed must be a finite number, got ${String(o.seed)}`);
  int('sprints', o.sprints, 1, 500);
  int('itemsPerSprint', o.itemsPerSprint, 3, 2000);
  int('sprintLengthDays', o.sprintLengthDays, 7, 42);
  int('teamIndex', o.teamIndex, 0, 9999);
  if (parseDate(o.start) === undefined) {
    throw new RangeError(`start must be a date "YYYY-MM-DD", got ${JSON.stringify(o.start)}`);
  }
  if (o.timeZone !== 'UTC' && !IANAZone.isValidZone(o.timeZone)) {
    throw new RangeError(`timeZone must be an IANA zone such as "Europe/Berlin", got ${JSON.stringify(o.timeZone)}`);
  }
  if (o.sprintCalendar !== 'instants' && o.sprintCalendar !== 'dates') {
    throw new RangeError(`sprintCalendar must be 'instants' or 'dates', got ${JSON.stringify(o.sprintCalendar)}`);
  }
  // Jira labels hold no spaces; a key is what follows `feature:` in an epic's label.
  if (!Array.isArray(o.featureEpics) || o.featureEpics.some((k) => typeof k !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/.test(k))) {
    throw new RangeError(`featureEpics must be a list of feature keys without spaces ("export", "bulk-edit"), got ${JSON.stringify(o.featureEpics)}`);
  }
  if (new Set(o.featureEpics).size !== o.featureEpics.length) throw new RangeError(`featureEpics names a feature twice: ${JSON.stringify(o.featureEpics)}`);
  if (!/^[A-Z][A-Z0-9]{0,9}$/.test(o.teamKey)) {
    throw new RangeError(`teamKey must look like a Jira project key ("SIM", "T07"), got ${JSON.stringify(o.teamKey)}`);
  }
  return o;
}
