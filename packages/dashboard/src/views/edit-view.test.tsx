import { renderToStaticMarkup } from 'react-dom/server';
import { configToForm } from '@agile-kpi/presentation';
import { ConfigForm } from './edit-view';

const sources = [
  { id: '42', name: 'Team <b>board</b>' },
  { id: '7', name: 'Other board' },
];

describe('the edit form', () => {
  test('every field labelled, described, with a stable test id; the source from the host’s list', () => {
    const html = renderToStaticMarkup(<ConfigForm initial={configToForm({ source: '42', goalThreshold: 0.8 })} sources={sources} chooseView onSave={async () => null} />);
    for (const id of ['config-source', 'config-view', 'config-velocity-sprints', 'config-goal-sprints', 'config-goal-threshold', 'config-impediment-days', 'config-stale-days', 'config-time-zone']) {
      expect(html).toContain(`<label for="${id}">`);
      expect(html).toMatch(new RegExp(`id="${id}"[^>]*aria-describedby="${id}-hint"[^>]*data-testid="${id}"`));
    }
    expect(html).toContain('data-testid="config-form"');
    expect(html).toContain('data-testid="config-save"');
    expect(html).toContain('<option value="42" selected="">Team &lt;b&gt;board&lt;/b&gt;</option>');
    expect(html).toContain('value="0.8"');
    expect(html).toContain('role="status" aria-live="polite"');
  });

  test('invalid fields say so next to the field and in a summary at the top', () => {
    const html = renderToStaticMarkup(
      <ConfigForm initial={configToForm({})} sources={null} chooseView={false} onSave={async () => null} initialErrors={{ source: 'Choose the board or team to measure.', staleDays: 'Stale days must be a whole number from 1 to 3650 (the default is 90).' }} />,
    );
    expect(html).toContain('role="alert" data-testid="config-errors"');
    expect(html).toContain('Please correct these 2 fields');
    expect(html).toMatch(/id="config-stale-days"[^>]*aria-describedby="config-stale-days-hint config-stale-days-error" aria-invalid="true"/);
    expect(html).toContain('<p id="config-source-error" class="akpi-error-text" data-testid="config-error-source">Choose the board or team to measure.</p>');
    expect(html).not.toContain('config-view'); // the standalone page has no view choice
    expect(html).toContain('<input id="config-source"'); // no list: typed in
  });
});
