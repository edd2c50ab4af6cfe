/**
 * An outcome file is read by the hosted service's reader, the one every host's upload uses (serve, the Forge app,
 * the Azure DevOps extension), so a file has the same records and ids wherever it was imported.
 */
export { MAX_LISTED_PROBLEMS, problemLines, readOutcomeFile } from '@agile-kpi/hosted-service';
export type { ReadOutcomes, RowProblem } from '@agile-kpi/hosted-service';
