import type { SimulatedTeam } from './ground-truth';
import type { SimulateTeamOptions } from './options';
import { Random } from './random';
import { simulateTeam } from './simulate-team';

export interface SimulateOrganisationOptions {
  /** Seeds every team (each team gets its own seed derived from this one). Default 42. */
  seed?: number;
  teams: number;
  /** Sprints per team. Default 12, as for one team. */
  sprints?: number;
  /** Default {@link ORGANISATION_ITEMS_PER_SPRINT}. */
  itemsPerSprint?: number;
  /** First sprint's local start date for every team. Default '2025-01-06'. */
  start?: string;
  /** Every team's sprint calendar (see {@link SimulateTeamOptions.sprintCalendar}). Default 'instants'. */
  sprintCalendar?: SimulateTeamOptions['sprintCalendar'];
}

/**
 * Items per sprint for organisation teams: chosen so that 50 teams x 40 sprints give about 100 000 items and
 * 1 000 000 timeline changes (about 2 000 items and 20 000 changes per team), the scale the CLI and the metrics
 * must handle.
 */
export const ORGANISATION_ITEMS_PER_SPRINT = 31;

/**
 * Zones the teams are spread over: both hemispheres' DST rules, half-hour offsets and a zone without DST, so that
 * an organisation view has to aggregate across calendars.
 */
export const ORGANISATION_ZONES: readonly string[] = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Sydney',
  'Pacific/Auckland',
  'UTC',
  'America/Los_Angeles',
  'Europe/London',
];

/** Many teams at once, each with its own seed, zone, key ("T01") and a disjoint id space. */
export function simulateOrganisation(options: SimulateOrganisationOptions): SimulatedTeam[] {
  const { teams } = options;
  if (!Number.isInteger(teams) || teams < 1 || teams > 9999) {
    throw new RangeError(`teams must be an integer from 1 to 9999, got ${String(teams)}`);
  }
  const rng = new Random(options.seed ?? 42);
  const width = Math.max(2, String(teams).length);
  const out: SimulatedTeam[] = [];
  for (let i = 0; i < teams; i++) {
    const number = String(i + 1).padStart(width, '0');
    out.push(
      simulateTeam({
        seed: rng.int(1, 0x7fffffff),
        sprints: options.sprints ?? 12,
        itemsPerSprint: options.itemsPerSprint ?? ORGANISATION_ITEMS_PER_SPRINT,
        timeZone: ORGANISATION_ZONES[i % ORGANISATION_ZONES.length]!,
        ...(options.start !== undefined ? { start: options.start } : {}),
        ...(options.sprintCalendar !== undefined ? { sprintCalendar: options.sprintCalendar } : {}),
        teamKey: `T${number}`,
        teamName: `Team ${number}`,
        teamIndex: i,
      }),
    );
  }
  return out;
}
