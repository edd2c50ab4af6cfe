import { type Command, Option } from 'commander';
import type { Snapshot } from '@agile-kpi/core';
import type { AdoTeamOptions } from '@agile-kpi/azure-devops';
import type { JiraTeamOptions } from '@agile-kpi/jira';
import type { StoreScopeKey } from '@agile-kpi/store';
import type { RawAdoOptions } from '../ado-source';
import type { Io } from '../io';
import type { RawJiraOptions } from '../jira-source';
import type { SnapshotOverrides } from '../metric-options';
import type { TeamScope } from '../team-store';

export type TrackerId = 'jira' | 'azure-devops';

/** The tracker options a command line gives (every command that reads a tracker declares those of each tracker). */
export type TrackerFlags = RawJiraOptions & RawAdoOptions;

/** How a board or team is mapped to the model (blocked statuses, impediment types, working days, time zone). */
export type TrackerTeamOptions = JiraTeamOptions | AdoTeamOptions;

/**
 * Everything the CLI knows of one tracker, so that a command or the report scheduler looks the tracker up instead
 * of branching on it. A descriptor loads its adapter only when a command uses it: building a command (or its help)
 * loads no tracker.
 */
export interface Tracker {
  /** As `--source` and the store's scope keys name it. */
  readonly id: TrackerId;
  /** "Jira", "Azure DevOps". */
  readonly label: string;
  /** Where its sync keeps its state (last sync, cursor) in a scope. */
  readonly syncState: string;
  /** The field of a schedules.yml entry (and the flag) that names its site: site (Jira) or org (Azure DevOps). */
  readonly siteField: 'site' | 'org';
  /** Declares its options on a command, in one help group (`sync`: those only a sync takes, too). */
  addOptions(cmd: Command, options: { sync: boolean }): Command;
  /** The board or team the flags name, with the credentials a sync needs (flags, else the environment). */
  connect(flags: TrackerFlags, env: Io['env']): TrackerTeam;
  /** Each board or team the flags name (report: `--board 42,43`). */
  connectEach(flags: TrackerFlags, env: Io['env']): TrackerTeam[];
  /** A board or team already in the store, read without credentials. */
  stored(key: Pick<StoreScopeKey, 'site' | 'scope'>): StoredTeam;
  /** The board or team the flags name, without credentials: where its store is, and the command that syncs it. */
  located(flags: TrackerFlags, env: Io['env']): LocatedTeam;
  /** The flags that name a board or team of the store (its site and scope). */
  flagsOf(key: Pick<StoreScopeKey, 'site' | 'scope'>): TrackerFlags;
  /** The environment a sync reads its credentials from, given the variables that hold them (org.yml's `*-env`). */
  credentialsFrom(variables: Readonly<Record<string, string>>, env: Io['env']): Record<string, string>;
  /** The mapping options the flags give. */
  teamOptions(flags: TrackerFlags, overrides: SnapshotOverrides): TrackerTeamOptions;
  /** How a list of teams names one by its scope: "Jira board 42", "Fabrikam Team (Fabrikam)". */
  teamName(scope: string): string;
  /** A board or team of a schedules.yml entry (42, { board: 42 }; "Project/Team", { project, team }). */
  scheduledTeam(team: unknown, site: string | undefined, env: Io['env']): TrackerTeam;
  /** The credentials a schedules.yml entry lacks, said in that file's terms (they come from the environment). */
  missingCredentials(site: string | undefined, env: Io['env']): { field: string; message: string } | undefined;
}

/** A board or team in the store: what reading it needs. */
export interface StoredTeam {
  readonly tracker: Tracker;
  readonly key: StoreScopeKey;
  /** "Jira board 42", "Azure DevOps team Fabrikam/Fabrikam Team": the board or team in messages. */
  readonly label: string;
  /** "Jira board 42", "Fabrikam Team (Fabrikam)": the board or team in a list (see {@link Tracker.teamName}). */
  readonly name: string;
  /** The synced board or team as a checked snapshot, from the items the store keeps compiled. */
  snapshot(scope: TeamScope, team: TrackerTeamOptions, overrides: SnapshotOverrides): Promise<Snapshot>;
}

/** A board or team the flags name, for the commands that only read or annotate the store (`outcomes`). */
export interface LocatedTeam extends StoredTeam {
  readonly storePath: string;
  /** "agile-kpi sync --board 42": what puts it in the store. */
  readonly syncCommand: string;
}

/** A board or team with its settings and credentials: what syncing it needs too. */
export interface TrackerTeam extends StoredTeam {
  readonly storePath: string;
  readonly defaultStore: boolean;
  /** Syncs it into the scope, with a progress line on a terminal's stderr and a summary line after. */
  sync(scope: TeamScope, io: Io, full?: boolean): Promise<void>;
  /** Compiles what the last sync changed, so that computing from the store need not. */
  compile(scope: TeamScope, team: TrackerTeamOptions): Promise<void>;
}

/** Options that appear together in a command's help, under `group` ("Jira options:"). */
export function optionsIn(group: string): (flags: string, description: string) => Option {
  return (flags, description) => new Option(flags, description).helpGroup(group);
}
