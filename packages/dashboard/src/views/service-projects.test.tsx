import { renderToStaticMarkup } from 'react-dom/server';
import { ServiceProjectsForm } from './service-projects';

describe('the Jira Service Management projects in the settings', () => {
  test('the form: the keys as saved, labelled, with their hint, the save button and a status region', () => {
    const html = renderToStaticMarkup(<ServiceProjectsForm initial={['SUP', 'HELP']} save={async () => []} />);
    for (const id of ['service-projects', 'service-projects-keys', 'service-projects-save', 'service-projects-status']) expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain('<label for="service-projects-keys">Project keys</label>');
    expect(html).toMatch(/id="service-projects-keys"[^>]*value="SUP, HELP"/);
    expect(html).toMatch(/aria-describedby="service-projects-hint"/);
    expect(html).toContain('role="status" aria-live="polite"');
    // None named yet: an empty field with its example.
    expect(renderToStaticMarkup(<ServiceProjectsForm initial={[]} save={async () => []} />)).toMatch(/id="service-projects-keys"[^>]*value=""/);
  });
});
