import '@agile-kpi/dashboard/dashboard.css';
import '../styles/ado-theme.css';
import type { DashboardConfig, Host, HostResult } from '@agile-kpi/presentation';
import { Dashboard } from '@agile-kpi/dashboard';
import {
  ConfigurationEvent,
  type IWidgetConfigurationContext,
  type SaveStatus,
  type WidgetSettings,
  type WidgetStatus,
  WidgetConfigurationSave,
  WidgetStatusHelper,
} from 'azure-devops-extension-api/Dashboard';
import * as SDK from 'azure-devops-extension-sdk';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { widgetConfigHost } from '../ado-host';
import { DEFAULT_WIDGET_VIEW, customSettingsOf, widgetConfigOf } from '../config';
import { bootAdo, bootFailed, messageOf } from '../sdk-boot';

/** The configuration's relative contribution id in vss-extension.json: the name it registers under. */
export const WIDGET_CONFIG_ID = 'agile-kpi-widget-config';

const el = document.getElementById('root')!;
const root = createRoot(el);
/** What Azure DevOps stores when its Save is pressed: the last configuration the form handed over. */
let current: DashboardConfig = { view: DEFAULT_WIDGET_VIEW };
/** The save the form started, if the last submit started one (a form with errors does not). */
let lastSave: Promise<HostResult<DashboardConfig>> | undefined;

/**
 * The widget configuration contract: `load(settings, context)` shows the form with the widget's settings; the
 * form's Save checks them and notifies Azure DevOps (`ConfigurationChange` with the new custom settings: the
 * preview reloads and the panel's Save lights up); the panel's Save calls `onSave`, which submits the form once
 * more (so that what is on screen is what is saved) and answers `WidgetConfigurationSave.Valid(customSettings)`,
 * or `Invalid()` while a field is wrong.
 */
const configuration = {
  async load(settings: WidgetSettings, context: IWidgetConfigurationContext): Promise<WidgetStatus> {
    try {
      const page = await booted;
      let initial: DashboardConfig;
      try {
        initial = widgetConfigOf(settings);
      } catch {
        initial = {};
      }
      current = { ...initial, view: initial.view ?? DEFAULT_WIDGET_VIEW };
      const host = widgetConfigHost(page.surface, initial, async (config) => {
        current = config;
        await context.notify(ConfigurationEvent.ConfigurationChange, ConfigurationEvent.Args(customSettingsOf(config)));
      });
      const tracked: Host = { ...host, saveConfig: (config) => (lastSave = host.saveConfig(config)) };
      root.render(
        <StrictMode>
          <Dashboard host={tracked} />
        </StrictMode>,
      );
      return WidgetStatusHelper.Success();
    } catch (err) {
      return WidgetStatusHelper.Failure(`agile-kpi could not start: ${messageOf(err)}`);
    }
  },
  async onSave(): Promise<SaveStatus> {
    const form = document.querySelector<HTMLFormElement>('[data-testid="config-form"]');
    if (form) {
      lastSave = undefined;
      // Submitting runs the form's checks at once; a valid form calls saveConfig before this returns.
      form.requestSubmit();
      const started = lastSave as Promise<HostResult<DashboardConfig>> | undefined;
      if (!started || !(await started).ok) return WidgetConfigurationSave.Invalid();
    }
    return WidgetConfigurationSave.Valid(customSettingsOf(current));
  },
};

const booted = bootAdo({ [WIDGET_CONFIG_ID]: configuration });
booted.then(
  () => {
    // The panel's frame takes the form's height: tell the host whenever it changes (errors shown, fields added).
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => SDK.resize()).observe(document.body);
    return SDK.notifyLoadSucceeded();
  },
  (err: unknown) => bootFailed(el, err),
);
