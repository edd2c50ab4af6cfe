import '../styles/dashboard.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Dashboard } from '../dashboard';
import { VIEW_NAMES, type ViewName } from '@agile-kpi/presentation';
import { createHttpHost } from '../http-host';

// The page served by `agile-kpi serve`: the API is next to it (relative, so it works under any path).
// `?view=<name>` shows one view as a gadget would; `?edit=1` opens the settings form.
const params = new URLSearchParams(window.location.search);
const view = params.get('view');
const fixedView = view && (VIEW_NAMES as readonly string[]).includes(view) ? (view as ViewName) : undefined;
const host = createHttpHost('.', { ...(fixedView ? { fixedView } : {}), ...(params.get('edit') === '1' ? { editing: true } : {}) });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Dashboard host={host} />
    </StrictMode>,
  );
}
