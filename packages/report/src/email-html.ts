import type { TrafficLight } from '@agile-kpi/core';
import { KPI_KEYS, KPI_LABELS, LIGHT_CHART_THEME, escapeHtml, lightRules } from '@agile-kpi/dashboard';
import mjml2html from 'mjml';
import type { KpiLine } from './kpi-lines';
import { plural } from './report-format';
import type { TeamSection } from './report-model';

/** What the HTML says around the teams. */
export interface EmailFrame {
  readonly subject: string;
  /** The line mail clients show after the subject in the inbox. */
  readonly preheader: string;
  readonly product: string;
  /** Why the reader gets this ("Weekly report for the platform leads"), shown at the bottom. */
  readonly footerNote?: string;
}

const e = escapeHtml;
const t = LIGHT_CHART_THEME;
const LIGHT_COLOURS: Readonly<Record<TrafficLight | 'none', string>> = { green: t.green, amber: t.amber, red: t.red, none: t.neutral };
const LIGHT_WORDS: Readonly<Record<TrafficLight | 'none', string>> = { green: 'Green', amber: 'Amber', red: 'Red', none: 'No light' };
/** Short column heads of the roll-up table (seven KPIs in 600 px). */
const SHORT: Readonly<Record<string, string>> = {
  velocity: 'Velocity',
  sprintGoalRate: 'Goal',
  impedimentResolutionTime: 'Imped.',
  sprintProgress: 'Sprint',
  backlogHealth: 'Backlog',
  releasePredictability: 'Release',
  flow: 'Flow',
};

/**
 * The report as an HTML email that survives real mail clients: written in MJML (responsive table layout,
 * Outlook conditionals) and compiled with every CSS rule inlined. Every text that comes from a tracker (team,
 * sprint, release and item names, goals, URLs) is escaped here, once, at the point it enters markup; links
 * are http(s) only (checked upstream). Charts are `cid:` images with alt texts.
 */
export async function emailHtml(teams: readonly TeamSection[], frame: EmailFrame): Promise<string> {
  const body = [header(teams, frame), teams.length > 1 ? rollUp(teams) : '', ...teams.map((s) => team(s, teams.length > 1)), footer(frame)].join('\n');
  const markup = `<mjml lang="en">
  <mj-head>
    <mj-title>${e(frame.subject)}</mj-title>
    <mj-preview>${e(frame.preheader)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" />
      <mj-text font-size="14px" line-height="20px" color="${t.text}" padding="4px 24px" />
      <mj-table font-size="13px" line-height="18px" color="${t.text}" padding="4px 18px" />
      <mj-image padding="4px 20px" />
      <mj-section background-color="#ffffff" padding="12px 0" />
    </mj-attributes>
    <mj-style inline="inline">${CSS}</mj-style>
  </mj-head>
  <mj-body width="600px" background-color="#f1f2f4">
${body}
  </mj-body>
</mjml>`;
  // fonts: {} keeps MJML from linking Google Fonts for Roboto: a report loads nothing from elsewhere.
  const out = await mjml2html(markup, { validationLevel: 'strict', keepComments: false, fonts: {} });
  return out.html;
}

const CSS = `
.eyebrow { color: ${t.mutedText}; font-size: 11px; letter-spacing: 1px; text-transform: uppercase; }
.title { font-size: 22px; line-height: 28px; margin: 2px 0 4px 0; font-weight: bold; }
.team-title { font-size: 18px; line-height: 24px; margin: 0 0 2px 0; font-weight: bold; }
.caption { font-size: 13px; font-weight: bold; margin: 8px 0 0 0; }
.muted { color: ${t.mutedText}; font-size: 12px; line-height: 18px; }
.pill { display: inline-block; padding: 2px 8px; border-radius: 10px; color: #ffffff; font-size: 11px; line-height: 16px; font-weight: bold; white-space: nowrap; }
.k-light { padding: 10px 6px 2px 0; vertical-align: top; width: 76px; }
.k-main { padding: 8px 6px 2px 6px; vertical-align: top; }
.k-change { padding: 8px 0 2px 6px; vertical-align: top; text-align: right; width: 130px; color: ${t.mutedText}; font-size: 12px; }
.k-sentence { padding: 2px 0 10px 0; border-bottom: 1px solid ${t.grid}; vertical-align: top; }
.k-label { font-size: 12px; color: ${t.mutedText}; text-transform: uppercase; letter-spacing: 0.5px; }
.k-value { font-size: 16px; line-height: 22px; font-weight: bold; }
.k-links { font-size: 12px; color: ${t.mutedText}; }
.r-head { font-size: 11px; color: ${t.mutedText}; padding: 4px 2px; text-align: center; border-bottom: 1px solid ${t.grid}; }
.r-team { padding: 6px 4px 6px 0; border-bottom: 1px solid ${t.grid}; }
.r-cell { padding: 6px 2px; text-align: center; border-bottom: 1px solid ${t.grid}; }
.dot { display: inline-block; width: 22px; height: 18px; line-height: 18px; border-radius: 4px; color: #ffffff; font-size: 11px; font-weight: bold; text-align: center; }
.i-head { font-size: 11px; color: ${t.mutedText}; padding: 4px 4px 4px 0; text-align: left; border-bottom: 1px solid ${t.grid}; }
.i-cell { padding: 6px 4px 6px 0; border-bottom: 1px solid ${t.grid}; vertical-align: top; }
a { color: ${t.completed}; }
`;

function pill(light: TrafficLight | null): string {
  const k = light ?? 'none';
  return `<span class="pill" style="background-color:${LIGHT_COLOURS[k]};">${LIGHT_WORDS[k]}</span>`;
}

function dot(light: TrafficLight | null, label: string): string {
  const k = light ?? 'none';
  const letter = light ? light[0]!.toUpperCase() : '–';
  return `<span class="dot" style="background-color:${LIGHT_COLOURS[k]};" title="${e(`${label}: ${LIGHT_WORDS[k]}`)}">${letter}</span>`;
}

function a(url: string, text: string, title?: string): string {
  return `<a href="${e(url)}"${title ? ` title="${e(title)}"` : ''}>${e(text)}</a>`;
}

function header(teams: readonly TeamSection[], frame: EmailFrame): string {
  const one = teams.length === 1 ? teams[0]! : undefined;
  const title = one ? one.name : `${teams.length} teams`;
  const since = one ? (one.previousDate ? `Changes since the report of ${one.previousDate}.` : 'First report: changes show from the next one.') : '';
  const asOf = one ? `As of ${one.asOf} · ${one.source}` : `As of ${teams.map((s) => `${s.name}: ${s.asOf}`).join('; ')}`;
  return `    <mj-section padding="20px 0 4px 0">
      <mj-column>
        <mj-text><div class="eyebrow">${e(frame.product)} health report</div><div class="title">${e(title)}</div><div class="muted">${e(asOf)}</div>${since ? `<div class="muted">${e(since)}</div>` : ''}</mj-text>
      </mj-column>
    </mj-section>`;
}

function rollUp(teams: readonly TeamSection[]): string {
  const head = `<tr><th class="r-head" style="text-align:left;">Team</th>${KPI_KEYS.map((k) => `<th class="r-head" title="${e(KPI_LABELS[k])}">${e(SHORT[k]!)}</th>`).join('')}<th class="r-head">Overall</th></tr>`;
  const rows = teams.map(
    (s) =>
      `<tr><td class="r-team"><a href="#${s.anchor}">${e(s.name)}</a></td>${KPI_KEYS.map((k) => `<td class="r-cell">${dot(s.lights[k], KPI_LABELS[k])}</td>`).join('')}<td class="r-cell">${pill(s.overall)}</td></tr>`,
  );
  return `    <mj-section padding="4px 0 12px 0">
      <mj-column>
        <mj-text><div class="team-title">Roll-up</div><div class="muted">Each team's lights; overall is its worst. G green, A amber, R red, – no light.</div></mj-text>
        <mj-table>${head}${rows.join('')}</mj-table>
      </mj-column>
    </mj-section>`;
}

function kpiRows(lines: readonly KpiLine[], previousDate: string | undefined): string {
  return lines
    .map((l) => {
      const change = l.change === null ? '' : `${e(l.change)}${l.lightBefore ? `, was ${e(l.lightBefore)}` : ''}${previousDate ? `<br/>since ${e(previousDate)}` : ''}`;
      const shown = l.items.slice(0, 5);
      const evidence = shown.map((i) => (i.url ? a(i.url, i.key, i.title) : e(i.key)));
      const more = l.items.length - shown.length;
      const links = [
        evidence.length ? `Evidence: ${evidence.join(', ')}${more > 0 ? ` and ${more} more` : ''}` : '',
        l.dashboardUrl ? a(l.dashboardUrl, `Open ${l.label.toLowerCase()} on the dashboard`) : '',
      ].filter(Boolean);
      return (
        `<tr><td class="k-light">${pill(l.light)}</td>` +
        `<td class="k-main"><div class="k-label">${e(l.label)}</div><div class="k-value">${e(l.value)}</div><div class="muted">${e(l.detail)}</div></td>` +
        `<td class="k-change">${change}</td></tr>` +
        `<tr><td class="k-sentence" colspan="3">${e(l.sentence)}${links.length ? `<div class="k-links">${links.join(' · ')}</div>` : ''}</td></tr>`
      );
    })
    .join('');
}

function team(s: TeamSection, rolledUp: boolean): string {
  const heading = rolledUp
    ? `<mj-text><a id="${s.anchor}" name="${s.anchor}"></a><div class="team-title">${e(s.name)} ${pill(s.overall)}</div><div class="muted">${e(`As of ${s.asOf} · ${s.source}`)}</div>${s.previousDate ? `<div class="muted">${e(`Changes since the report of ${s.previousDate}.`)}</div>` : ''}</mj-text>`
    : '';
  const charts = s.images
    .map((img) => `<mj-text><div class="caption">${e(img.caption)}</div></mj-text>
        <mj-image src="cid:${e(img.cid)}" alt="${e(img.alt)}" width="${img.width}px" height="${img.height}px" />`)
    .join('\n        ');
  const impediments = s.openImpediments.slice(0, 5);
  const impedimentTable = impediments.length
    ? `<mj-text><div class="caption">Impediments open longest</div></mj-text>
        <mj-table><tr><th class="i-head">Item</th><th class="i-head">Title</th><th class="i-head" style="text-align:right;">Open for</th></tr>${impediments
          .map((i) => `<tr><td class="i-cell">${i.url ? a(i.url, i.key) : e(i.key)}</td><td class="i-cell">${e(i.title)}</td><td class="i-cell" style="text-align:right;white-space:nowrap;">${e(plural(i.days, 'day'))}</td></tr>`)
          .join('')}</mj-table>${s.openImpediments.length > impediments.length ? `\n        <mj-text><div class="muted">${e(`and ${s.openImpediments.length - impediments.length} more`)}</div></mj-text>` : ''}`
    : '';
  const button = s.dashboardUrl ? `<mj-button href="${e(s.dashboardUrl)}" background-color="${t.completed}" color="#ffffff" font-size="14px" padding="8px 24px" align="left">Open the dashboard</mj-button>` : '';
  const warnings = s.warnings ? `<mj-text><div class="muted">${e(`${plural(s.warnings, 'data-quality warning')} behind these figures; the dashboard lists them.`)}</div></mj-text>` : '';
  return `    <mj-section padding="${rolledUp ? '16px' : '4px'} 0 12px 0"${rolledUp ? ` border-top="4px solid ${LIGHT_COLOURS[s.overall ?? 'none']}"` : ''}>
      <mj-column>
        ${heading}
        <mj-table>${kpiRows(s.lines, s.previousDate)}</mj-table>
        ${button}
        ${charts}
        ${impedimentTable}
        ${warnings}
      </mj-column>
    </mj-section>`;
}

function footer(frame: EmailFrame): string {
  const rules = lightRules();
  const lines = KPI_KEYS.map((k) => `${KPI_LABELS[k]}: ${rules[k]}`);
  return `    <mj-section background-color="#f1f2f4" padding="8px 0 24px 0">
      <mj-column>
        <mj-text><div class="muted"><strong>How the lights are set.</strong> ${lines.map(e).join('; ')}.</div>${frame.footerNote ? `<div class="muted">${e(frame.footerNote)}</div>` : ''}<div class="muted">${e(`Sent by ${frame.product}. Every figure links to the items behind it.`)}</div></mj-text>
      </mj-column>
    </mj-section>`;
}
