import { type Snapshot, type SprintVerdict, computeMetrics } from '@agile-kpi/core';
import { type DashboardConfig, type HostResult, type MetricsPayload, type SourceChoice, checkDashboardConfig, metricsOptionsOf } from '@agile-kpi/presentation';
import { type VerdictInput, checkVerdict } from '@agile-kpi/hosted-service';
import { TrackerError } from '@agile-kpi/jira';
import { type TeamOutcomeData, bindTeamOutcomes } from '../outcomes/scope-outcomes';

/**
 * The standalone dashboard's JSON API, independent of HTTP: what `agile-kpi serve` answers under /api. It
 * reads snapshots from a {@link SnapshotSource} (the local store of a tracker, a snapshot file, or the
 * simulated demo team), computes the metrics with the user's configuration, and records sprint goal
 * verdicts. Every answer is a HostResult; nothing throws out of it.
 */
export interface SnapshotSource {
  readonly choice: SourceChoice;
  /** The current snapshot (the store's last sync, the file, the demo team), with verdicts applied. */
  snapshot(): Promise<Snapshot>;
  /** Records a verdict where the source keeps them (the store; memory for a file or the demo). */
  recordVerdict(sprintId: string, verdict: SprintVerdict): Promise<void>;
  /** When the data was last synced. */
  syncedAt(): Promise<string>;
  /** The team's customer outcome records and settings (a store keeps them; a file or the demo has none). */
  outcomes?(): Promise<TeamOutcomeData>;
}

export interface DashboardApi {
  getConfig(): HostResult<DashboardConfig>;
  saveConfig(input: unknown): HostResult<DashboardConfig>;
  listSources(): HostResult<readonly SourceChoice[]>;
  loadMetrics(input: unknown): Promise<HostResult<MetricsPayload>>;
  recordVerdict(input: unknown): Promise<HostResult<MetricsPayload>>;
}

export function dashboardApi(source: SnapshotSource, initial: DashboardConfig = {}, now: () => Date = () => new Date()): DashboardApi {
  let config: DashboardConfig = { ...initial, source: source.choice.id };
  const load = async (cfg: DashboardConfig): Promise<HostResult<MetricsPayload>> => {
    try {
      const snapshot = await source.snapshot();
      const zoned = cfg.timeZone ? { ...snapshot, team: { ...snapshot.team, timeZone: cfg.timeZone } } : snapshot;
      // Bound after the zone is set: a response dated by its day belongs to that day in the zone the figures use.
      const bound = source.outcomes ? bindTeamOutcomes(zoned, await source.outcomes(), source.choice.name) : { snapshot: zoned, outcomes: undefined };
      return { ok: true, data: { report: computeMetrics(bound.snapshot, metricsOptionsOf(cfg), bound.outcomes), syncedAt: await source.syncedAt() } };
    } catch (err) {
      return failure(err);
    }
  };
  return {
    getConfig: () => ({ ok: true, data: config }),
    saveConfig(input) {
      const checked = checkConfig(input);
      if (!checked.ok) return checked;
      config = { ...checked.data, source: source.choice.id };
      return { ok: true, data: config };
    },
    listSources: () => ({ ok: true, data: [source.choice] }),
    async loadMetrics(input) {
      const checked = checkConfig(input ?? config);
      return checked.ok ? load(checked.data) : checked;
    },
    async recordVerdict(input) {
      const body = (input ?? {}) as { config?: unknown; sprintId?: unknown; outcome?: unknown; note?: unknown };
      if (typeof body.sprintId !== 'string' || !body.sprintId) return invalid('sprintId is required: the id of the closed sprint whose goal is judged');
      // The hosted surfaces' rules: a note over the limit is refused, not cut.
      let verdict: VerdictInput;
      try {
        verdict = checkVerdict(body);
      } catch (err) {
        return invalid((err as Error).message);
      }
      const checked = checkConfig(body.config ?? config);
      if (!checked.ok) return checked;
      const snapshot = await source.snapshot().catch(() => undefined);
      const sprint = snapshot?.sprints.find((s) => s.id === body.sprintId);
      if (snapshot && !sprint) return { ok: false, error: { kind: 'not-found', message: `there is no sprint ${body.sprintId} on this board` } };
      try {
        await source.recordVerdict(body.sprintId, { ...verdict, by: 'agile-kpi serve', at: now().toISOString() });
      } catch (err) {
        return failure(err);
      }
      return load(checked.data);
    },
  };
}

/**
 * The user's configuration, checked with the rules every dashboard host shares (the settings form's ranges)
 * and messages that name the field, its range and the value received.
 */
export function checkConfig(input: unknown): HostResult<DashboardConfig> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return invalid('the configuration must be an object');
  const checked = checkDashboardConfig(input);
  return checked.ok ? { ok: true, data: checked.config } : invalid(checked.message);
}

function invalid(message: string): { ok: false; error: { kind: 'invalid'; message: string } } {
  return { ok: false, error: { kind: 'invalid', message } };
}

/** Tracker and input errors keep their kind and message; anything else is ours, said plainly. */
function failure(err: unknown): { ok: false; error: { kind: string; message: string } } {
  const e = err as { name?: string; kind?: string; message?: string };
  if (err instanceof TrackerError) return { ok: false, error: { kind: err.kind, message: err.message } };
  if (e?.name === 'SnapshotError' || e?.name === 'CliError') return { ok: false, error: { kind: 'invalid', message: e.message ?? 'the data is invalid' } };
  if (e instanceof RangeError) return { ok: false, error: { kind: 'invalid', message: e.message } };
  return { ok: false, error: { kind: 'internal', message: 'agile-kpi failed to compute the metrics (a bug: see the serve log)' } };
}
