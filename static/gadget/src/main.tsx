import '@agile-kpi/dashboard/dashboard.css';
import { Dashboard } from '@agile-kpi/dashboard';
import { invoke, view } from '@forge/bridge';
import { createRoot } from 'react-dom/client';
import { forgeHost } from './forge-host';

/**
 * Entry of every agile-kpi gadget (view and edit): read the gadget's context (module key, entry point), make
 * the Forge host, and hand it to the shared dashboard UI.
 */
async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  try {
    await view.theme.enable().catch(() => undefined);
    const context = await view.getContext();
    const host = forgeHost(context, { invoke: (name, payload) => invoke(name, payload), submit: (payload) => view.submit(payload) });
    root.render(<Dashboard host={host} />);
  } catch (err) {
    console.error('agile-kpi: the gadget could not start', err);
    root.render(<p role="alert">agile-kpi could not start in this gadget; reload the dashboard.</p>);
  }
}

void start();
