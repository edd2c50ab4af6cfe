import { format } from 'echarts';
import { appDir } from './forge-app-dir';

/**
 * Forge serves the gadgets' Custom UI under its Content Security Policy, whose `style-src` admits no inline
 * styles unless the manifest declares `permissions.content.styles: ['unsafe-inline']`
 * (https://developer.atlassian.com/platform/forge/add-content-security-and-egress-controls/). The dashboard's
 * charts need it: ECharts writes each tooltip as HTML whose series markers are coloured by inline style attributes.
 */
interface Permissions {
  content?: { styles?: string[]; scripts?: string[] };
}

it('ECharts’ tooltip markers are coloured by inline style attributes', () => {
  expect(format.getTooltipMarker('#0c66e4')).toMatch(/^<span style="[^"]*background-color:#0c66e4;/);
});

it('the manifest admits inline styles, and nothing more, under @forge/manifest’s validation', async () => {
  const app = appDir({ stubBuild: true });
  try {
    const result = await app.validate();
    expect(result.errors ?? []).toEqual([]);
    const permissions = (result.manifestObject!.typedContent as unknown as { permissions: Permissions }).permissions;
    expect(permissions.content).toEqual({ styles: ['unsafe-inline'] });
  } finally {
    app.remove();
  }
});

it('the validation checks the field: a source styles may not take is refused', async () => {
  const app = appDir({ stubBuild: true, manifest: (text) => text.replace("      - 'unsafe-inline'", "      - 'unsafe-eval'") });
  try {
    const result = await app.validate();
    expect(result.success).toBe(false);
    expect((result.errors ?? []).map((e) => e.message).join('\n')).toMatch(/styles/);
  } finally {
    app.remove();
  }
});
