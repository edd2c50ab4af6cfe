/**
 * @agile-kpi/dashboard: the one dashboard UI of every surface (Forge gadget, Azure DevOps extension,
 * `agile-kpi serve`), the chart option builders the emailed report renders to SVG, and the traffic lights
 * and headline sentences the terminal summary shares. Code that must not load React or ECharts imports
 * `@agile-kpi/presentation` (the rules, lights, sentences and formats, all re-exported here).
 */
export * from '@agile-kpi/presentation';

// The dashboard and its views
export { Dashboard, DashboardBody, DashboardHeader, DashboardRoot, KpiView } from './dashboard';
export type { DashboardBodyProps } from './dashboard';
export { type DashboardState, guard, loadDashboardState } from './dashboard-state';
export { VelocityView } from './views/velocity-view';
export { SprintGoalView, VerdictControl } from './views/sprint-goal-view';
export type { RecordVerdict } from './views/sprint-goal-view';
export { ImpedimentsView } from './views/impediments-view';
export { SprintProgressView } from './views/sprint-progress-view';
export { BacklogHealthView, componentThresholds } from './views/backlog-health-view';
export { ReleasePredictabilityView } from './views/release-predictability-view';
export { FlowView, isoWeekStart } from './views/flow-view';
export { CustomerOutcomesView, OUTCOME_HINTS } from './views/customer-outcomes-view';
export { ConfigForm, EditView } from './views/edit-view';
export type { ConfigFormProps } from './views/edit-view';
export { DrillButton, DrillDownProvider, EvidencePagesProvider, EvidencePanel, safeUrl, useDrillDown, useMoreEvidence } from './ui/drill-down';
export type { DrillButtonProps, DrillMore, DrillRequest, EvidenceItem, LoadEvidencePage } from './ui/drill-down';
export { CHART_STATE, EChart } from './ui/echart';
export type { ChartClick, EChartProps } from './ui/echart';
export { ErrorState, EmptyState, LoadingState, NotConfiguredState, errorAdvice } from './ui/states';

// The standalone host
export { configQuery, createHttpHost } from './http-host';
export type { HttpHostOptions } from './http-host';

// Charts: option builders (MetricsReport part -> EChartsOption) and server-side SVG
export { VELOCITY_SERIES, sprintLabel, velocityChartOption, velocityTrendLine } from './charts/velocity-chart';
export type { VelocitySeriesId } from './charts/velocity-chart';
export { GOAL_OUTCOMES, OUTCOME_LABELS, decidedBy, sprintGoalChartOption } from './charts/sprint-goal-chart';
export { impedimentChartOption, impedimentHistogram } from './charts/impediment-chart';
export type { ImpedimentBin } from './charts/impediment-chart';
export { burnLabel, burndownChartOption, projectionLine } from './charts/burndown-chart';
export { COMPONENT_LABELS, backlogHealthChartOption, lightColor } from './charts/backlog-health-chart';
export { forecastReleases, releaseBasis, releaseFigure, releaseForecastChartOption, releaseScopeChartOption } from './charts/release-chart';
export { agingWipChartOption, bandColor, throughputChartOption } from './charts/flow-chart';
export { adoptionChartOption, adoptionCurves, satisfactionChartOption } from './charts/outcomes-chart';
export { renderChartSvg } from './charts/render-svg';
export type { SvgSize } from './charts/render-svg';
