type ResvgModule = typeof import('@resvg/resvg-js');

// Loaded on the first chart, not with the package: a sender without charts (the Forge app) never loads the
// native renderer. `module.require` rather than `require` so that bundlers (Forge's) do not pull the native
// binary into a bundle that never draws a chart.
let resvg: ResvgModule | undefined;

export interface PngSize {
  /** Width in CSS pixels, as the email lays the image out. */
  readonly width: number;
  /** Device pixels per CSS pixel: 2 draws sharp on high-density screens at a modest size. */
  readonly scale: number;
}

/**
 * An SVG drawn to PNG without a browser (resvg, prebuilt binaries, no system libraries), on white: mail clients
 * in dark mode would otherwise show dark text on a dark, transparent background. System fonts are used, with
 * resvg's fallback when the SVG's families are missing.
 *
 * @example renderPng(svg, { width: 560, scale: 2 }) // a 1120 px wide PNG
 */
export function renderPng(svg: string, size: PngSize): Buffer {
  if (!(size.width > 0 && size.scale > 0)) throw new RangeError('renderPng: width and scale must be positive, e.g. { width: 560, scale: 2 }');
  resvg ??= module.require('@resvg/resvg-js') as ResvgModule;
  const r = new resvg.Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(size.width * size.scale) },
    background: '#ffffff',
    font: { loadSystemFonts: true },
  });
  return r.render().asPng();
}
