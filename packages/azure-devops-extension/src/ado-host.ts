import type { DashboardConfig, Host, HostResult, SourceChoice } from '@agile-kpi/presentation';
import { ConfigError } from '@agile-kpi/hosted-service';
import { DEFAULT_WIDGET_VIEW, checkConfig } from './config';
import { answer } from './host-error';
import { type TeamRef, teamLabel } from './team-data-store';
import type { TeamService } from './team-service';
import { chooseTimeZone } from './time-zone';

/** What every Azure DevOps surface knows once the SDK is ready: the team in context, the service, the viewer's zones. */
export interface AdoSurface {
  /** The team of the page: the Boards hub's team, or the team whose dashboard holds the widget. */
  readonly team: TeamRef;
  readonly service: TeamService;
  /** The viewer's zones, for a team without a saved one: the Azure DevOps profile's zone id and the browser's. */
  readonly zones: { readonly profile?: string; readonly browser?: string };
}

/** The team as the dashboard's `source`: "project/team". */
export function sourceOf(team: TeamRef): string {
  return `${team.projectName}/${teamLabel(team)}`;
}

function teamChoice(team: TeamRef): SourceChoice {
  return { id: sourceOf(team), name: `${teamLabel(team)} (${team.projectName})` };
}

function zoneOf(surface: AdoSurface, config: DashboardConfig): string {
  return chooseTimeZone({ configured: config.timeZone, profile: surface.zones.profile, browser: surface.zones.browser }).zone;
}

function fail<T>(kind: string, message: string): HostResult<T> {
  return { ok: false, error: { kind, message } };
}

/**
 * The Boards hub: every view of the page's team, with the team's settings (windows, thresholds, time zone)
 * saved in the extension data for the whole team, and its customer outcome data kept there (uploaded files,
 * their removal, the cost per sprint and feature mappings). The source is always the page's team: Azure DevOps' team
 * picker chooses it.
 */
export function hubHost(surface: AdoSurface): Host {
  const { team, service } = surface;
  const log = service.log;
  return {
    kind: 'azure-devops',
    getConfig: () => answer(log, 'getConfig', async () => ({ ...(await service.teamConfig(team)), source: sourceOf(team) })),
    saveConfig: (config) => answer(log, 'saveConfig', async () => ({ ...(await service.saveTeamConfig(team, withoutSource(config))), source: sourceOf(team) })),
    listSources: async () => ({ ok: true, data: [teamChoice(team)] }),
    loadMetrics: (config) => answer(log, 'loadMetrics', () => service.metrics(team, checkConfig(config), zoneOf(surface, config))),
    recordVerdict: (config, sprintId, verdict) => answer(log, 'recordVerdict', () => service.recordVerdict(team, checkConfig(config), zoneOf(surface, config), sprintId, verdict)),
    loadEvidence: (config, kpi, page) => answer(log, 'evidence', () => service.evidence(team, checkConfig(config), zoneOf(surface, config), kpi, page)),
    importOutcomes: (upload) => answer(log, 'importOutcomes', () => service.importOutcomes(team, upload)),
    loadOutcomeData: () => answer(log, 'outcomeData', () => service.outcomeData(team)),
    saveOutcomeSettings: (settings) => answer(log, 'saveOutcomeSettings', () => service.saveOutcomeSettings(team, settings)),
    removeOutcomeFile: (file) => answer(log, 'removeOutcomeFile', () => service.removeOutcomeFile(team, file)),
  };
}

/**
 * A dashboard widget: the one view its configuration names (velocity until it names one) of the team whose
 * dashboard holds it. Its settings come from Azure DevOps (`widgetSettings.customSettings`); fields it leaves
 * empty fall back to the team's settings from the hub.
 */
export function widgetHost(surface: AdoSurface, widgetConfig: DashboardConfig): Host {
  const { team, service } = surface;
  const log = service.log;
  const view = widgetConfig.view ?? DEFAULT_WIDGET_VIEW;
  return {
    kind: 'azure-devops',
    fixedView: view,
    getConfig: () => answer(log, 'getConfig', async () => ({ ...(await service.teamConfig(team)), ...withoutSource(widgetConfig), view, source: sourceOf(team) })),
    saveConfig: async () => fail('invalid', 'a widget’s settings are saved from its Configure panel'),
    listSources: async () => ({ ok: true, data: [teamChoice(team)] }),
    loadMetrics: (config) => answer(log, 'loadMetrics', () => service.metrics(team, checkConfig(config), zoneOf(surface, config))),
    recordVerdict: (config, sprintId, verdict) => answer(log, 'recordVerdict', () => service.recordVerdict(team, checkConfig(config), zoneOf(surface, config), sprintId, verdict)),
    loadEvidence: (config, kpi, page) => answer(log, 'evidence', () => service.evidence(team, checkConfig(config), zoneOf(surface, config), kpi, page)),
  };
}

/**
 * A widget's Configure panel: the settings form. Saving the form hands the configuration to `onChange`, which
 * tells Azure DevOps (the configuration-change event: the preview reloads and the panel's Save is enabled);
 * the panel's own Save then stores it with the widget.
 */
export function widgetConfigHost(surface: AdoSurface, initial: DashboardConfig, onChange: (config: DashboardConfig) => Promise<void>): Host {
  const { team, service } = surface;
  const log = service.log;
  const notMetrics = async <T>(): Promise<HostResult<T>> => fail('invalid', 'the Configure panel shows the settings, not the metrics');
  return {
    kind: 'azure-devops',
    editing: true,
    getConfig: async () => ({ ok: true, data: { ...withoutSource(initial), view: initial.view ?? DEFAULT_WIDGET_VIEW, source: sourceOf(team) } }),
    saveConfig: (config) =>
      answer(log, 'saveConfig', async () => {
        const checked = withoutSource(checkConfig(config));
        if (!checked.view) throw new ConfigError('choose the view this widget shows');
        await onChange(checked);
        return { ...checked, source: sourceOf(team) };
      }),
    listSources: async () => ({ ok: true, data: [teamChoice(team)] }),
    loadMetrics: notMetrics,
    recordVerdict: notMetrics,
  };
}

function withoutSource(config: DashboardConfig): DashboardConfig {
  const { source: _source, ...rest } = config;
  return rest;
}
