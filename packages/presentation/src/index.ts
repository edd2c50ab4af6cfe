/**
 * @agile-kpi/presentation: what every surface says and checks the same way, without drawing it, for code that
 * must not load React or ECharts (the Forge app's backend, which Forge bundles into one file with webpack; the
 * CLI; the emailed report's text; the hosted service). The hosts' contract and the configuration's rules, the
 * traffic lights, the headline sentences and labels, how figures read, the chart colours, a report in parts and
 * evidence in pages. `@agile-kpi/dashboard` re-exports all of it with the UI.
 */
export * from './host';

// The configuration's rules (every host's server-side check and the edit form's validation)
export { CONFIG_LIMITS, checkDashboardConfig, isTimeZone, metricsOptionsOf, reportOptionsKey } from './dashboard-config';
export type { DashboardConfigCheck } from './dashboard-config';
export { ACCOUNT_ID, CONFIG_FIELDS, ISSUE_KEY, configToForm, reportRecipients, validateConfigForm } from './config-form';
export type { ConfigErrors, ConfigField, ConfigFormValues, ConfigValidation, ValidateOptions } from './config-form';

// What every surface says the same way
export * from './traffic-lights';
export { KPI_LABELS, OUTCOME_LABELS, allWarnings, csatWords, impactWords, kpiHeadlines, money, npsWords, outcomeHeadlines, signedPct, viewHeadline } from './headlines';
export { causeWords, changeWords, effectWords, whyWords } from './change-words';
export { localDate, localDateTime, num, opt, optPct, pct, sentence, signed, unitLabel } from './format';
export { VIEW_KPI, VIEW_RESULTS, VIEW_TITLES } from './view-kpis';
export { GADGET_VIEWS, viewOfModule } from './gadget-modules';
export type { GadgetModuleKey } from './gadget-modules';
export type { KpiViewName } from './view-kpis';
export { escapeHtml } from './escape-html';
export { type ChartTheme, DARK_CHART_THEME, LIGHT_CHART_THEME, chartThemeVariable, readChartTheme } from './chart-theme';
export type { StyleSource } from './chart-theme';

// A report in parts, so that a surface showing one KPI reads only that KPI's evidence
export { reportSummary, reportWith } from './report-parts';
export type { KpiResults } from './report-parts';

// A KPI's evidence in pages, so that a hosted surface's answer stays small at any board size
export { EVIDENCE_PAGE_SIZE, EvidencePageError, computationStamp, cutEvidence, cutReport, joinEvidence, listAt, pageAnswer, pageOf, pageToken, readPageToken, stalePage, withList } from './evidence-pages';
export type { CutResult, EvidenceEntry, EvidencePage, EvidencePages, PagedList, PageToken, RoleOf } from './evidence-pages';
export { firstPages } from './first-pages';
export type { FirstPages } from './first-pages';
