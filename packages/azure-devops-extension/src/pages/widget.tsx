import '@agile-kpi/dashboard/dashboard.css';
import '../styles/ado-theme.css';
import { Dashboard, DashboardRoot, ErrorState, type Host } from '@agile-kpi/dashboard';
import { type WidgetSettings, type WidgetStatus, WidgetStatusHelper } from 'azure-devops-extension-api/Dashboard';
import * as SDK from 'azure-devops-extension-sdk';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { widgetHost } from '../ado-host';
import { widgetConfigOf } from '../config';
import { hostError } from '../host-error';
import { bootAdo, bootFailed, messageOf } from '../sdk-boot';

/** The widget's relative contribution id in vss-extension.json: the name it registers under. */
export const WIDGET_ID = 'agile-kpi-widget';

const el = document.getElementById('root')!;
const root = createRoot(el);

function Widget({ name, host }: { readonly name: string | undefined; readonly host: Host }) {
  return (
    <StrictMode>
      {name && (
        <h2 className="akpi-widget-title" data-testid="widget-title">
          {name}
        </h2>
      )}
      <Dashboard host={host} />
    </StrictMode>
  );
}

/**
 * Azure DevOps calls `load` with the widget's settings when the dashboard shows it, and `reload` when its
 * configuration changes (the live preview while the Configure panel is open, and after a save). Both render the
 * view the settings name for the dashboard's team; the dashboard itself shows loading, errors and the KPI.
 */
async function show(settings: WidgetSettings): Promise<WidgetStatus> {
  try {
    const page = await booted;
    let host: Host;
    try {
      host = widgetHost(page.surface, widgetConfigOf(settings));
    } catch (err) {
      root.render(
        <DashboardRoot>
          <ErrorState error={hostError(err)} />
        </DashboardRoot>,
      );
      return WidgetStatusHelper.Success();
    }
    root.render(<Widget name={settings.name} host={host} />);
    return WidgetStatusHelper.Success();
  } catch (err) {
    return WidgetStatusHelper.Failure(`agile-kpi could not start: ${messageOf(err)}`);
  }
}

const booted = bootAdo({ [WIDGET_ID]: { preload: () => WidgetStatusHelper.Success(), load: show, reload: show } });
booted.then(
  () => SDK.notifyLoadSucceeded(),
  (err: unknown) => bootFailed(el, err),
);
