/**
 * Text made safe for HTML. ECharts tooltips are HTML: every name that comes from the tracker (sprint,
 * release, item titles) goes through this before it reaches one.
 */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
