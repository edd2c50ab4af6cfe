/**
 * Azure DevOps' light and dark themes. `SDK.init({ applyTheme: true })` writes the host's theme variables
 * (`--background-color`, `--text-primary-color`, `--palette-neutral-8`...) into a style element of the page and
 * fires `themeApplied`, again whenever the user switches theme. The dashboard's CSS reads those variables
 * (`styles/ado-theme.css` maps them onto its own), but its dark fallbacks and its charts key on
 * `<html data-color-mode>`: this module sets that attribute from the colour the theme gives the page's background,
 * which also makes the charts redraw in the new colours.
 */
export function followHostTheme(doc: Document = document): () => void {
  const html = doc.documentElement;
  html.setAttribute('data-akpi-host', 'azure-devops');
  const update = () => {
    const mode = isDark(backgroundOf(doc)) ? 'dark' : 'light';
    if (html.getAttribute('data-color-mode') !== mode) html.setAttribute('data-color-mode', mode);
  };
  const view = doc.defaultView;
  view?.addEventListener('themeApplied', update);
  return () => view?.removeEventListener('themeApplied', update);
}

/** The page background the theme sets, as the browser computes it (`rgb(r, g, b)`), or '' without a theme. */
function backgroundOf(doc: Document): string {
  const probe = doc.createElement('div');
  probe.style.cssText = 'position:absolute;visibility:hidden;background-color:var(--background-color, transparent)';
  doc.body.appendChild(probe);
  const color = doc.defaultView?.getComputedStyle(probe).backgroundColor ?? '';
  probe.remove();
  return color;
}

/** Dark when the colour's relative luminance is below the middle grey; a transparent or unreadable colour is not dark. */
export function isDark(color: string): boolean {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)/.exec(color);
  if (!m) return false;
  const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
  if (alpha === 0) return false;
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.18;
}
