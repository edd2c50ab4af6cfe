import type { TrafficLight } from '@agile-kpi/core';
import { LIGHT_CHART_THEME, escapeHtml } from '@agile-kpi/presentation';
import type { KpiLine } from './kpi-lines';
import { OUTCOMES_HEADING, type OutcomeLine } from './outcome-lines';
import { plural } from './report-format';
import type { EmailFrame, TeamSection } from './report-model';
import { IMPEDIMENTS_SHOWN, LIGHT_WORDS, changeWords, evidenceWords, lightRuleLines, openViewWords, reportTitle, sentByLine } from './report-wording';

/**
 * The HTML both emails are made of, written once: the styles, a light's pill, links, the KPI rows and the
 * impediments table. The MJML email names the styles as classes (MJML inlines them); the Forge app's notify
 * HTML, which has no MJML, writes them inline. Every text that comes from a tracker is escaped here, once, at
 * the point it enters markup; links are http(s) only (checked upstream).
 */

export const e = escapeHtml;
export const THEME = LIGHT_CHART_THEME;
export const FONT = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
export const LIGHT_COLOURS: Readonly<Record<TrafficLight | 'none', string>> = { green: THEME.green, amber: THEME.amber, red: THEME.red, none: THEME.neutral };

const t = THEME;
/** Each style's declarations, by class name (`a` is the element rule for links). */
const STYLES = {
  eyebrow: `color: ${t.mutedText}; font-size: 11px; letter-spacing: 1px; text-transform: uppercase;`,
  title: 'font-size: 22px; line-height: 28px; margin: 2px 0 4px 0; font-weight: bold;',
  'team-title': 'font-size: 18px; line-height: 24px; margin: 0 0 2px 0; font-weight: bold;',
  caption: 'font-size: 13px; font-weight: bold; margin: 8px 0 0 0;',
  muted: `color: ${t.mutedText}; font-size: 12px; line-height: 18px;`,
  pill: 'display: inline-block; padding: 2px 8px; border-radius: 10px; color: #ffffff; font-size: 11px; line-height: 16px; font-weight: bold; white-space: nowrap;',
  'k-light': 'padding: 10px 6px 2px 0; vertical-align: top; width: 76px;',
  'k-main': 'padding: 8px 6px 2px 6px; vertical-align: top;',
  'k-change': `padding: 8px 0 2px 6px; vertical-align: top; text-align: right; width: 130px; color: ${t.mutedText}; font-size: 12px;`,
  'k-sentence': `padding: 2px 0 10px 0; border-bottom: 1px solid ${t.grid}; vertical-align: top;`,
  'k-label': `font-size: 12px; color: ${t.mutedText}; text-transform: uppercase; letter-spacing: 0.5px;`,
  'k-value': 'font-size: 16px; line-height: 22px; font-weight: bold;',
  'k-links': `font-size: 12px; color: ${t.mutedText};`,
  'k-outcome': `padding: 6px 0 8px 0; border-bottom: 1px solid ${t.grid};`,
  'r-head': `font-size: 11px; color: ${t.mutedText}; padding: 4px 2px; text-align: center; border-bottom: 1px solid ${t.grid};`,
  'r-team': `padding: 6px 4px 6px 0; border-bottom: 1px solid ${t.grid};`,
  'r-cell': `padding: 6px 2px; text-align: center; border-bottom: 1px solid ${t.grid};`,
  dot: 'display: inline-block; width: 22px; height: 18px; line-height: 18px; border-radius: 4px; color: #ffffff; font-size: 11px; font-weight: bold; text-align: center;',
  'i-head': `font-size: 11px; color: ${t.mutedText}; padding: 4px 4px 4px 0; text-align: left; border-bottom: 1px solid ${t.grid};`,
  'i-cell': `padding: 6px 4px 6px 0; border-bottom: 1px solid ${t.grid}; vertical-align: top;`,
  a: `color: ${t.completed};`,
} as const;
export type StyleName = keyof typeof STYLES;

/** The styles as a style sheet (MJML inlines it into the elements that name its classes). */
export const EMAIL_CSS = `\n${Object.entries(STYLES)
  .map(([name, rule]) => `${name === 'a' ? 'a' : `.${name}`} { ${rule} }`)
  .join('\n')}\n`;

/** An element's style attribute text (with its leading space), from a style's name and declarations of its own. */
export type Styler = (name: StyleName, own?: string) => string;
/** `class="pill" style="background-color:…;"`: for a document with the style sheet (links need no class). */
export const classStyles: Styler = (name, own) => `${name === 'a' ? '' : ` class="${name}"`}${own ? ` style="${own}"` : ''}`;
/** `style="display: inline-block; …; background-color:…;"`: for HTML that cannot carry a style sheet. */
export const inlineStyles: Styler = (name, own) => ` style="${STYLES[name]}${own ? ` ${own}` : ''}"`;

export function pill(light: TrafficLight | null, st: Styler): string {
  const k = light ?? 'none';
  return `<span${st('pill', `background-color:${LIGHT_COLOURS[k]};`)}>${LIGHT_WORDS[k]}</span>`;
}

export function link(url: string, text: string, st: Styler, title?: string): string {
  return `<a href="${e(url)}"${title ? ` title="${e(title)}"` : ''}${st('a')}>${e(text)}</a>`;
}

/** Two rows per KPI: light, label, figure, detail and change; then the sentence with its evidence and view links. */
export function kpiRows(lines: readonly KpiLine[], previousDate: string | undefined, st: Styler): string {
  return lines
    .map((l) => {
      const words = changeWords(l);
      const change = words === null ? '' : `${e(words)}${previousDate ? `<br/>since ${e(previousDate)}` : ''}`;
      const links = [evidenceWords(l.items, (i) => (i.url ? link(i.url, i.key, st, i.title) : e(i.key))), l.dashboardUrl ? link(l.dashboardUrl, openViewWords(l.label), st) : ''].filter(Boolean);
      return (
        `<tr><td${st('k-light')}>${pill(l.light, st)}</td>` +
        `<td${st('k-main')}><div${st('k-label')}>${e(l.label)}</div><div${st('k-value')}>${e(l.value)}</div><div${st('muted')}>${e(l.detail)}</div></td>` +
        `<td${st('k-change')}>${change}</td></tr>` +
        `<tr><td${st('k-sentence')} colspan="3">${e(l.sentence)}${links.length ? `<div${st('k-links')}>${links.join(' · ')}</div>` : ''}</td></tr>`
      );
    })
    .join('');
}

/** The customer outcome lines under a caption, each its name and sentence (no light); empty without any. */
export function outcomeRows(lines: readonly OutcomeLine[], st: Styler): string {
  if (!lines.length) return '';
  const view = lines[0]!.dashboardUrl;
  return (
    `<div${st('caption')}>${OUTCOMES_HEADING}</div>` +
    lines.map((l) => `<div${st('k-outcome')}><span${st('k-label')}>${e(l.label)}</span><br/>${e(l.sentence)}</div>`).join('') +
    (view ? `<div${st('k-links')}>${link(view, openViewWords(OUTCOMES_HEADING), st)}</div>` : '')
  );
}

/** The header row and a row per impediment open longest (at most {@link IMPEDIMENTS_SHOWN}); empty without any. */
export function impedimentRows(section: TeamSection, st: Styler): string {
  const shown = section.openImpediments.slice(0, IMPEDIMENTS_SHOWN);
  if (!shown.length) return '';
  const head = `<tr><th${st('i-head')}>Item</th><th${st('i-head')}>Title</th><th${st('i-head', 'text-align:right;')}>Open for</th></tr>`;
  const rows = shown.map(
    (i) => `<tr><td${st('i-cell')}>${i.url ? link(i.url, i.key, st) : e(i.key)}</td><td${st('i-cell')}>${e(i.title)}</td><td${st('i-cell', 'text-align:right;white-space:nowrap;')}>${e(plural(i.days, 'day'))}</td></tr>`,
  );
  return head + rows.join('');
}

/** The report's heading: "agile-kpi health report", the title, when and where from, and what changes are measured against. */
export function headingHtml(product: string, title: string, asOf: string, since: string, st: Styler): string {
  return `<div${st('eyebrow')}>${e(reportTitle(product))}</div><div${st('title')}>${e(title)}</div><div${st('muted')}>${e(asOf)}</div>${since ? `<div${st('muted')}>${e(since)}</div>` : ''}`;
}

/** The foot: how the lights are set, why the reader gets this, who sent it. */
export function footerHtml(frame: EmailFrame, st: Styler): string {
  return (
    `<div${st('muted')}><strong>How the lights are set.</strong> ${lightRuleLines().map(e).join('; ')}.</div>` +
    `${frame.footerNote ? `<div${st('muted')}>${e(frame.footerNote)}</div>` : ''}<div${st('muted')}>${e(`${sentByLine(frame.product)} Every figure links to the items behind it.`)}</div>`
  );
}
