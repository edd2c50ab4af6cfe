import '@agile-kpi/dashboard/dashboard.css';
import '../styles/ado-theme.css';
import { Dashboard, type Host } from '@agile-kpi/dashboard';
import * as SDK from 'azure-devops-extension-sdk';
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { hubHost } from '../ado-host';
import { bootAdo, bootFailed } from '../sdk-boot';

/**
 * The hub under Boards: every KPI view of the team in Azure DevOps' context, and the team's settings behind a
 * toolbar button. The settings form is the dashboard's own; it runs as the standalone page's does (no view to
 * choose: the hub shows them all), and saving it goes back to the KPIs, recomputed.
 */
function Hub({ host }: { readonly host: Host }) {
  const [editing, setEditing] = useState(false);
  const [round, setRound] = useState(0);
  const shown = useMemo<Host>(() => {
    if (!editing) return { ...host };
    return {
      ...host,
      kind: 'standalone',
      editing: true,
      saveConfig: async (config) => {
        const saved = await host.saveConfig(config);
        if (saved.ok) {
          setEditing(false);
          setRound((r) => r + 1);
        }
        return saved;
      },
    };
    // `round` makes a new host after a save, so the dashboard loads the metrics again.
  }, [host, editing, round]);
  return (
    <>
      <div className="akpi-root akpi-ado-toolbar">
        <button type="button" className="akpi-button" aria-pressed={editing} onClick={() => setEditing((e) => !e)} data-testid="hub-settings">
          {editing ? 'Back to the KPIs' : 'Team settings'}
        </button>
      </div>
      <Dashboard host={shown} />
    </>
  );
}

const el = document.getElementById('root')!;
bootAdo().then(
  async (page) => {
    createRoot(el).render(
      <StrictMode>
        <Hub host={hubHost(page.surface)} />
      </StrictMode>,
    );
    await SDK.notifyLoadSucceeded();
  },
  (err: unknown) => bootFailed(el, err),
);
