import type { ReportImage } from './chart-images';

/**
 * The email's HTML for a browser (a dry run's `report.html`): each `cid:` reference replaced by the image's file
 * name, for images written next to it, or by a data URI, for one self-contained file.
 */
export function browserHtml(html: string, images: readonly ReportImage[], mode: 'files' | 'data-uris' = 'files'): string {
  let out = html;
  for (const img of images) {
    const target = mode === 'files' ? encodeURI(img.filename) : `data:image/png;base64,${img.png.toString('base64')}`;
    out = out.split(`cid:${img.cid}`).join(target);
  }
  return out;
}
