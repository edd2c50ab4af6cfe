import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { azureDevOps } from './azure-devops';
import { jira } from './jira';
import type { Tracker, TrackerId } from './tracker';

export type { StoredTeam, Tracker, TrackerFlags, TrackerId, TrackerTeam, TrackerTeamOptions } from './tracker';

/** The trackers the CLI reads, in the order their options appear in a command's help. */
export const TRACKERS: readonly Tracker[] = [jira, azureDevOps];

/** The tracker of this id (a scope key's source, a schedules.yml entry's source), if the CLI reads it. */
export function findTracker(id: string): Tracker | undefined {
  return TRACKERS.find((t) => t.id === id);
}

/** The tracker of a known id (a store team's, an org.yml team's). */
export function trackerById(id: TrackerId): Tracker {
  return findTracker(id)!;
}

/** The tracker `--source` names (jira when absent). */
export function trackerOf(source: string | undefined): Tracker {
  const tracker = findTracker(source ?? jira.id);
  if (!tracker) throw new CliError(`--source must be ${TRACKERS.map((t) => t.id).join(' or ')}, got '${source}'`);
  return tracker;
}

/** Declares every tracker's options on a command, each in its help group. */
export function addTrackerOptions(cmd: Command, options: { sync: boolean }): Command {
  for (const tracker of TRACKERS) tracker.addOptions(cmd, options);
  return cmd;
}
