/**
 * The colours a chart is drawn with. Option builders take one, so the same builder draws the dashboard in
 * Jira's light or dark theme (or Azure DevOps') and the emailed report in the light one.
 *
 * In the browser, {@link readChartTheme} reads the dashboard's CSS custom properties (`--akpi-*`, which fall
 * back to Atlassian's design tokens and Azure DevOps' theme variables when the host defines them), so a chart
 * always matches the page around it.
 */
export interface ChartTheme {
  readonly text: string;
  readonly mutedText: string;
  /** Axis lines and ticks. */
  readonly axis: string;
  /** Split lines behind the data. */
  readonly grid: string;
  readonly background: string;
  readonly tooltipBackground: string;
  readonly tooltipText: string;
  readonly fontFamily: string;
  readonly committed: string;
  readonly completed: string;
  readonly added: string;
  readonly removed: string;
  readonly average: string;
  readonly trend: string;
  readonly scope: string;
  readonly remaining: string;
  readonly ideal: string;
  readonly projection: string;
  readonly today: string;
  readonly met: string;
  readonly partly: string;
  readonly missed: string;
  readonly noGoal: string;
  readonly green: string;
  readonly amber: string;
  readonly red: string;
  readonly neutral: string;
}

export const LIGHT_CHART_THEME: ChartTheme = {
  text: '#172b4d',
  mutedText: '#44546f',
  axis: '#8590a2',
  grid: '#dcdfe4',
  background: 'transparent',
  tooltipBackground: '#ffffff',
  tooltipText: '#172b4d',
  // Single quotes: ECharts' SVG renderer writes the list into a double-quoted style attribute as it is.
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, 'Helvetica Neue', sans-serif",
  committed: '#8590a2',
  completed: '#0c66e4',
  added: '#6e5dc6',
  removed: '#c25100',
  average: '#1f845a',
  trend: '#ae2e24',
  scope: '#6e5dc6',
  remaining: '#0c66e4',
  ideal: '#8590a2',
  projection: '#c25100',
  today: '#44546f',
  met: '#1f845a',
  partly: '#b65c02',
  missed: '#c9372c',
  noGoal: '#8590a2',
  green: '#1f845a',
  amber: '#b65c02',
  red: '#c9372c',
  neutral: '#8590a2',
};

export const DARK_CHART_THEME: ChartTheme = {
  text: '#dee4ea',
  mutedText: '#9fadbc',
  axis: '#738496',
  grid: '#38414a',
  background: 'transparent',
  tooltipBackground: '#282e33',
  tooltipText: '#dee4ea',
  fontFamily: LIGHT_CHART_THEME.fontFamily,
  committed: '#8c9bab',
  completed: '#579dff',
  added: '#9f8fef',
  removed: '#fea362',
  average: '#4bce97',
  trend: '#f87168',
  scope: '#9f8fef',
  remaining: '#579dff',
  ideal: '#8c9bab',
  projection: '#fea362',
  today: '#9fadbc',
  met: '#4bce97',
  partly: '#f5cd47',
  missed: '#f87168',
  noGoal: '#8c9bab',
  green: '#4bce97',
  amber: '#f5cd47',
  red: '#f87168',
  neutral: '#8c9bab',
};

/** `completedLate` -> `--akpi-chart-completed-late`. */
export function chartThemeVariable(key: keyof ChartTheme): string {
  return `--akpi-chart-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Anything with computed style, so this module needs no DOM types at its callers. */
export interface StyleSource {
  getPropertyValue(name: string): string;
}

/**
 * The theme as the page's CSS says it is (pass `getComputedStyle(chartElement)`): each colour from its
 * `--akpi-chart-*` custom property, falling back to `fallback` where the page defines none.
 */
export function readChartTheme(style: StyleSource, fallback: ChartTheme = LIGHT_CHART_THEME): ChartTheme {
  const out: Record<string, string> = {};
  for (const key of Object.keys(fallback) as (keyof ChartTheme)[]) {
    const value = style.getPropertyValue(chartThemeVariable(key)).trim();
    out[key] = value || fallback[key];
  }
  return out as unknown as ChartTheme;
}
