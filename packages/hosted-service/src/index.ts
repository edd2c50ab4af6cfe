/**
 * @agile-kpi/hosted-service: what the hosted surfaces (the Forge app, the Azure DevOps extension) and
 * `agile-kpi serve` do the same way, whatever the tracker and the platform: a scope's store over a small key-value
 * port (state, snapshots, verdicts, the report cache, meta, customer outcome records and settings), the reading of
 * an uploaded outcome file, the settings page's outcome data (files, removal, settings), the verdict rules, the report cache's key, freshness,
 * deadlines and budgets, a sync under the scope's lease, and how an error becomes an answer. Each host keeps only its wiring (its
 * tracker client, its storage, its words for its own errors).
 */
export { AppError, ConfigError, answer, hostErrorOf, isAccessError, logFailure, trackerAnswer } from './host-error';
export type { HostWords, Log, TrackerWords } from './host-error';
export { GOAL_OUTCOMES, VERDICT_NOTE_MAX, checkVerdict } from './verdict-rules';
export type { VerdictInput } from './verdict-rules';
export { metricOptionsKey, normalisedOptions, reportOptionsKey } from './report-key';
export { BudgetExceeded, budgetedSleep, budgetedTransport } from './budget';
export type { Clock, Overrun } from './budget';
export { ScopeStore, scopeKeys } from './scope-store';
export type { CachedReport, ScopeKeys, SyncMeta, TeamOutcomes } from './scope-store';
export { MAX_LISTED_PROBLEMS, problemLines, readOutcomeFile } from './outcome-file';
export type { ReadOutcomes, RowProblem } from './outcome-file';
export { MAX_UPLOAD_CHARS, importSummary, memoryOutcomeSink, mergeOutcomes, uploadOutcomes } from './outcome-upload';
export type { OutcomeSink } from './outcome-upload';
export { computeWithOutcomes } from './outcome-report';
export { outcomeData, outcomeFileOf, outcomeFiles, removeOutcomeFile, saveOutcomeSettings, settledOutcomes } from './outcome-data';
export type { OutcomeStore } from './outcome-data';
export { sha256 } from './sha256';
export { memoryBlobs } from './memory-blobs';
export { isFresh, leaseOwner, recordSyncFailure, reportDespite } from './serving';
export type { FailureMeta, Freshness } from './serving';
export { leasedSync } from './leased-sync';
export type { BusyWait, LeaseWatch, LeasedSync, LeasedSyncOptions, SyncDone, SyncLeaseStore, SyncOutcome } from './leased-sync';
