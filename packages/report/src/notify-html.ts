import { FONT, THEME as t, e, footerHtml, headingHtml, impedimentRows, inlineStyles as st, kpiRows, outcomeRows } from './report-html';
import type { EmailFrame, TeamSection } from './report-model';
import { IMPEDIMENTS_HEADING, IMPEDIMENTS_SHOWN, OPEN_DASHBOARD, asOfLine, moreWords, sinceLine, warningsLine } from './report-wording';

const TABLE = ' role="presentation" cellpadding="0" cellspacing="0" border="0"';

/**
 * One team's report as the HTML body of a Jira notification (`POST /rest/api/3/issue/{key}/notify`,
 * `htmlBody`): Jira puts it inside its own notification email, so it is a fragment (no document, no head, no
 * style sheet) with every style inline, tables for layout, and nothing loaded from elsewhere. The rows, styles
 * and sentences are the MJML email's (./report-html, ./report-wording). No charts: the notify API takes an HTML
 * body and no attachments, so it cannot carry the inline PNGs, and the Forge backend does not draw them (resvg
 * is a native addon Forge's bundler cannot pack); every KPI links to its view on the dashboard instead.
 */
export function notifyHtml(s: TeamSection, frame: EmailFrame): string {
  const more = s.openImpediments.length - IMPEDIMENTS_SHOWN;
  const impediments = impedimentRows(s, st);
  const parts = [
    headingHtml(frame.product, s.name, asOfLine(s), sinceLine(s.previousDate), st),
    `<table${TABLE} style="width:100%;border-collapse:collapse;margin:12px 0;font-size:13px;line-height:18px;">${kpiRows(s.lines, s.previousDate, st)}</table>`,
    outcomeRows(s.outcomes, st),
    s.dashboardUrl
      ? `<p style="margin:8px 0 16px 0;"><a href="${e(s.dashboardUrl)}" style="display:inline-block;padding:8px 24px;border-radius:3px;background-color:${t.completed};color:#ffffff;font-weight:bold;text-decoration:none;">${OPEN_DASHBOARD}</a></p>`
      : '',
    impediments
      ? `<div${st('caption')}>${IMPEDIMENTS_HEADING}</div><table${TABLE} style="width:100%;border-collapse:collapse;margin:4px 0 12px 0;font-size:13px;line-height:18px;">${impediments}</table>${more > 0 ? `<div${st('muted')}>${e(moreWords(more))}</div>` : ''}`
      : '',
    s.warnings ? `<div${st('muted')}>${e(warningsLine(s.warnings))}</div>` : '',
    `<div style="margin-top:16px;padding-top:8px;border-top:1px solid ${t.grid};">${footerHtml(frame, st)}</div>`,
  ];
  return `<div style="font-family:${FONT};font-size:14px;line-height:20px;color:${t.text};max-width:600px;">${parts.filter(Boolean).join('\n')}</div>\n`;
}
