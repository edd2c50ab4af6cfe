import type { TrafficLight } from '@agile-kpi/core';
import { KPI_KEYS, KPI_LABELS } from '@agile-kpi/presentation';
import mjml2html from 'mjml';
import { EMAIL_CSS, FONT, LIGHT_COLOURS, THEME as t, classStyles as st, e, footerHtml, headingHtml, impedimentRows, kpiRows, outcomeRows, pill } from './report-html';
import type { EmailFrame, TeamSection } from './report-model';
import { IMPEDIMENTS_HEADING, IMPEDIMENTS_SHOWN, LIGHT_WORDS, OPEN_DASHBOARD, asOfLine, moreWords, sinceLine, warningsLine } from './report-wording';

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
 * sprint, release and item names, goals, URLs) is escaped at the point it enters markup; links are http(s)
 * only (checked upstream). Charts are `cid:` images with alt texts. The rows and styles shared with the Forge
 * app's notify HTML are in ./report-html, the sentences in ./report-wording.
 */
export async function emailHtml(teams: readonly TeamSection[], frame: EmailFrame): Promise<string> {
  const body = [header(teams, frame), teams.length > 1 ? rollUp(teams) : '', ...teams.map((s) => team(s, teams.length > 1)), footer(frame)].join('\n');
  const markup = `<mjml lang="en">
  <mj-head>
    <mj-title>${e(frame.subject)}</mj-title>
    <mj-preview>${e(frame.preheader)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="${FONT}" />
      <mj-text font-size="14px" line-height="20px" color="${t.text}" padding="4px 24px" />
      <mj-table font-size="13px" line-height="18px" color="${t.text}" padding="4px 18px" />
      <mj-image padding="4px 20px" />
      <mj-section background-color="#ffffff" padding="12px 0" />
    </mj-attributes>
    <mj-style inline="inline">${EMAIL_CSS}</mj-style>
  </mj-head>
  <mj-body width="600px" background-color="#f1f2f4">
${body}
  </mj-body>
</mjml>`;
  // fonts: {} keeps MJML from linking Google Fonts for Roboto: a report loads nothing from elsewhere.
  const out = await mjml2html(markup, { validationLevel: 'strict', keepComments: false, fonts: {} });
  return out.html;
}

function dot(light: TrafficLight | null, label: string): string {
  const k = light ?? 'none';
  const letter = light ? light[0]!.toUpperCase() : '–';
  return `<span class="dot" style="background-color:${LIGHT_COLOURS[k]};" title="${e(`${label}: ${LIGHT_WORDS[k]}`)}">${letter}</span>`;
}

function header(teams: readonly TeamSection[], frame: EmailFrame): string {
  const one = teams.length === 1 ? teams[0]! : undefined;
  const title = one ? one.name : `${teams.length} teams`;
  const since = one ? sinceLine(one.previousDate) : '';
  const asOf = one ? asOfLine(one) : `As of ${teams.map((s) => `${s.name}: ${s.asOf}`).join('; ')}`;
  return `    <mj-section padding="20px 0 4px 0">
      <mj-column>
        <mj-text>${headingHtml(frame.product, title, asOf, since, st)}</mj-text>
      </mj-column>
    </mj-section>`;
}

function rollUp(teams: readonly TeamSection[]): string {
  const head = `<tr><th class="r-head" style="text-align:left;">Team</th>${KPI_KEYS.map((k) => `<th class="r-head" title="${e(KPI_LABELS[k])}">${e(SHORT[k]!)}</th>`).join('')}<th class="r-head">Overall</th></tr>`;
  const rows = teams.map(
    (s) =>
      `<tr><td class="r-team"><a href="#${s.anchor}">${e(s.name)}</a></td>${KPI_KEYS.map((k) => `<td class="r-cell">${dot(s.lights[k], KPI_LABELS[k])}</td>`).join('')}<td class="r-cell">${pill(s.overall, st)}</td></tr>`,
  );
  return `    <mj-section padding="4px 0 12px 0">
      <mj-column>
        <mj-text><div class="team-title">Roll-up</div><div class="muted">Each team's lights; overall is its worst. G green, A amber, R red, – no light.</div></mj-text>
        <mj-table>${head}${rows.join('')}</mj-table>
      </mj-column>
    </mj-section>`;
}

function team(s: TeamSection, rolledUp: boolean): string {
  const heading = rolledUp
    ? `<mj-text><a id="${s.anchor}" name="${s.anchor}"></a><div class="team-title">${e(s.name)} ${pill(s.overall, st)}</div><div class="muted">${e(asOfLine(s))}</div>${s.previousDate ? `<div class="muted">${e(sinceLine(s.previousDate))}</div>` : ''}</mj-text>`
    : '';
  const charts = s.images
    .map((img) => `<mj-text><div class="caption">${e(img.caption)}</div></mj-text>
        <mj-image src="cid:${e(img.cid)}" alt="${e(img.alt)}" width="${img.width}px" height="${img.height}px" />`)
    .join('\n        ');
  const impediments = impedimentRows(s, st);
  const more = s.openImpediments.length - IMPEDIMENTS_SHOWN;
  const impedimentTable = impediments
    ? `<mj-text><div class="caption">${IMPEDIMENTS_HEADING}</div></mj-text>
        <mj-table>${impediments}</mj-table>${more > 0 ? `\n        <mj-text><div class="muted">${e(moreWords(more))}</div></mj-text>` : ''}`
    : '';
  const button = s.dashboardUrl ? `<mj-button href="${e(s.dashboardUrl)}" background-color="${t.completed}" color="#ffffff" font-size="14px" padding="8px 24px" align="left">${OPEN_DASHBOARD}</mj-button>` : '';
  const outcomes = outcomeRows(s.outcomes, st);
  const warnings = s.warnings ? `<mj-text><div class="muted">${e(warningsLine(s.warnings))}</div></mj-text>` : '';
  return `    <mj-section padding="${rolledUp ? '16px' : '4px'} 0 12px 0"${rolledUp ? ` border-top="4px solid ${LIGHT_COLOURS[s.overall ?? 'none']}"` : ''}>
      <mj-column>
        ${heading}
        <mj-table>${kpiRows(s.lines, s.previousDate, st)}</mj-table>
        ${outcomes ? `<mj-text>${outcomes}</mj-text>` : ''}
        ${button}
        ${charts}
        ${impedimentTable}
        ${warnings}
      </mj-column>
    </mj-section>`;
}

function footer(frame: EmailFrame): string {
  return `    <mj-section background-color="#f1f2f4" padding="8px 0 24px 0">
      <mj-column>
        <mj-text>${footerHtml(frame, st)}</mj-text>
      </mj-column>
    </mj-section>`;
}
