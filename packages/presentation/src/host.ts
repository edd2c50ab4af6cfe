import type { GoalOutcome, MetricsReport, OutcomeSettings } from '@agile-kpi/core';
import type { EvidencePage, EvidencePages } from './evidence-pages';
import type { KpiKey, ResultKey } from './traffic-lights';

/**
 * The dashboard's only view of where it runs: a Jira Forge gadget (`@forge/bridge`), the Azure DevOps
 * extension (its SDK) or `agile-kpi serve` (HTTP). Each surface implements these few calls; the UI knows
 * nothing else about its host. Calls never throw across this boundary: they answer {@link HostResult}.
 */
export type HostResult<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: HostError };

export interface HostError {
  /** auth | forbidden | not-found | rate-limited | server | network | unexpected-shape | not-configured | invalid | internal */
  readonly kind: string;
  /** One sentence a Scrum Master can act on. */
  readonly message: string;
}

/** The views: the seven KPIs' and the customer outcomes'; a gadget shows one, the standalone page all of them. */
export type ViewName = 'velocity' | 'sprintGoalRate' | 'impediments' | 'sprintProgress' | 'backlogHealth' | 'releasePredictability' | 'flow' | 'customerOutcomes';
export const VIEW_NAMES: readonly ViewName[] = ['velocity', 'sprintGoalRate', 'impediments', 'sprintProgress', 'backlogHealth', 'releasePredictability', 'flow', 'customerOutcomes'];

/** What a user configures in a gadget's edit view (or the standalone page's settings). */
export interface DashboardConfig {
  /** Jira board id, or "project/team" for Azure DevOps; absent until configured. */
  readonly source?: string;
  readonly view?: ViewName;
  /** Closed sprints averaged into the velocity (default 3). */
  readonly velocitySprints?: number;
  /** Closed sprints in the sprint goal rate (default 6). */
  readonly goalSprints?: number;
  /** Completed / Committed at which an inferred goal counts as met (default 0.8). */
  readonly goalThreshold?: number;
  /** Impediment window in days (default: the last 6 sprints). */
  readonly impedimentDays?: number;
  /** Backlog items untouched this long are stale (default 90). */
  readonly staleDays?: number;
  /** Azure DevOps lens of velocity: days past the start date when planned work is final (default 0). */
  readonly lensPlannedDays?: number;
  /** Azure DevOps lens of velocity: days past the end date after which completed work is late (default 0). */
  readonly lensLateDays?: number;
  /** The team's IANA zone, where the tracker has none (default: the tracker's). */
  readonly timeZone?: string;
  /**
   * Who gets the emailed health report (Forge: Jira account ids or group names, sent as a Jira notification);
   * absent or empty: no report.
   */
  readonly reportRecipients?: readonly string[];
  /** The Jira issue the report's notification is sent on (Jira's notify API needs one), e.g. "TEAM-1". */
  readonly reportIssueKey?: string;
  /** `weekly` (default) or `sprint`: the morning after each sprint closes. */
  readonly reportCadence?: 'weekly' | 'sprint';
}

/** What loading the metrics answers. */
export interface MetricsPayload {
  readonly report: MetricsReport;
  /** When the data was last synced from the tracker. */
  readonly syncedAt: string;
  /** The data is older than the host's refresh interval (a refresh is under way or failed). */
  readonly stale?: boolean;
  /**
   * The evidence lists the report carries only the first page of (hosted surfaces at any board size), by
   * result: their totals and the token of each next page, for {@link Host.loadEvidence}. Absent: all whole.
   */
  readonly evidencePages?: EvidencePages;
  /**
   * The KPIs' headline sentences, computed from the whole report, when the report carries first pages: a "why"
   * (velocity, sprint goal rate, cycle time) reads the evidence, so the first pages alone would say another one.
   */
  readonly headlines?: Partial<Record<KpiKey, string>>;
}

/** What an outcome file holds, as `agile-kpi outcomes import --kind` names it. */
export type OutcomeFileKind = 'csat' | 'nps' | 'usage' | 'benefit';
export const OUTCOME_FILE_KINDS: readonly OutcomeFileKind[] = ['csat', 'nps', 'usage', 'benefit'];

/** A survey, product-analytics or benefit file uploaded in the settings: CSV with a header row, or a JSON array. */
export interface OutcomeUpload {
  readonly kind: OutcomeFileKind;
  /** The file's name, for the messages and the records' provenance. */
  readonly name: string;
  readonly text: string;
}

/** What an upload did: all its records stored (new, updated, already there), or nothing and every problem. */
export type OutcomeUploadResult =
  | { readonly imported: true; readonly added: number; readonly replaced: number; readonly unchanged: number; readonly message: string }
  | { readonly imported: false; readonly message: string; readonly problems: readonly string[] };

/** A file uploaded (or imported) into the team's outcome data: its records of one kind from a file of that name. */
export interface OutcomeFile {
  readonly kind: OutcomeFileKind;
  readonly name: string;
  readonly records: number;
}

/**
 * What the settings show of the team's outcome data: the files its records came from, and its outcome settings
 * (cost per sprint, feature mappings), absent where the host keeps none it can change (a snapshot file, the demo).
 */
export interface OutcomeData {
  readonly files: readonly OutcomeFile[];
  readonly settings?: OutcomeSettings;
  /** The Jira Service Management projects whose satisfaction ratings the board's syncs read, where the host reads them (the Forge app). */
  readonly serviceProjects?: readonly string[];
}

/** What removing a file did, with the team's outcome data after it. */
export interface OutcomeRemoval extends OutcomeData {
  readonly removed: number;
  readonly message: string;
}

/** A source the edit view can offer (a Jira board, an Azure DevOps team). */
export interface SourceChoice {
  readonly id: string;
  readonly name: string;
}

export interface Host {
  readonly kind: 'forge' | 'azure-devops' | 'standalone';
  /** The view this surface shows (a gadget module), or undefined for "all". */
  readonly fixedView?: ViewName;
  /** True in a gadget's edit view: show the configuration form. */
  readonly editing?: boolean;
  getConfig(): Promise<HostResult<DashboardConfig>>;
  saveConfig(config: DashboardConfig): Promise<HostResult<DashboardConfig>>;
  listSources(): Promise<HostResult<readonly SourceChoice[]>>;
  loadMetrics(config: DashboardConfig): Promise<HostResult<MetricsPayload>>;
  /** Records the Scrum Master's verdict on a closed sprint's goal; answers the recomputed metrics. */
  recordVerdict(config: DashboardConfig, sprintId: string, verdict: { readonly outcome: GoalOutcome; readonly note?: string }): Promise<HostResult<MetricsPayload>>;
  /**
   * The next page of a KPI's evidence list, by the token a payload's `evidencePages` (or the previous page) gave.
   * Hosts whose payloads carry every list whole need not offer it.
   */
  loadEvidence?(config: DashboardConfig, kpi: ResultKey, token: string): Promise<HostResult<EvidencePage>>;
  /**
   * Stores a survey, analytics or benefit file with the team's data, read as `agile-kpi outcomes import` reads it
   * (all rows or none). Hosts that keep no outcome data do not offer it (the settings then show no upload).
   */
  importOutcomes?(upload: OutcomeUpload): Promise<HostResult<OutcomeUploadResult>>;
  /** The team's uploaded outcome files and outcome settings; offered with {@link importOutcomes}. */
  loadOutcomeData?(): Promise<HostResult<OutcomeData>>;
  /**
   * Replaces the team's outcome settings (checked by core's `checkOutcomeSettings`, as `agile-kpi outcomes
   * settings` checks them); answers the outcome data after it. Hosts that cannot keep them do not offer it.
   */
  saveOutcomeSettings?(settings: OutcomeSettings): Promise<HostResult<OutcomeData>>;
  /** Removes the records of one kind that a file of that name brought in (`agile-kpi outcomes remove --file`). */
  removeOutcomeFile?(file: { readonly kind: OutcomeFileKind; readonly name: string }): Promise<HostResult<OutcomeRemoval>>;
  /**
   * Names the board's Jira Service Management projects (keys; none: read no ratings), whose customer satisfaction
   * ratings its syncs read; answers the outcome data after it. Only a host that syncs a Jira board offers it.
   */
  saveServiceProjects?(projects: readonly string[]): Promise<HostResult<OutcomeData>>;
}
