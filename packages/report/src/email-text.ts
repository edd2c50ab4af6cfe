import { KPI_KEYS, KPI_LABELS } from '@agile-kpi/presentation';
import { OUTCOMES_HEADING } from './outcome-lines';
import { plural } from './report-format';
import type { EmailFrame, TeamSection } from './report-model';
import { IMPEDIMENTS_HEADING, IMPEDIMENTS_SHOWN, LIGHT_WORDS, asOfLine, changeWords, evidenceWords, lightRuleLines, moreWords, reportTitle, sentByLine, sinceLine, warningsLine } from './report-wording';

const light = (l: keyof typeof LIGHT_WORDS | null) => LIGHT_WORDS[l ?? 'none'].toUpperCase();

/**
 * The plain-text alternative: what a text-only client, a screen reader in plain mode or a forwarded snippet
 * shows. The same figures, sentences and links as the HTML; charts are named, not drawn.
 */
export function emailText(teams: readonly TeamSection[], frame: EmailFrame): string {
  const out: string[] = [];
  const one = teams.length === 1 ? teams[0]! : undefined;
  out.push(`${reportTitle(frame.product)}: ${one ? one.name : `${teams.length} teams`}`);
  if (one) {
    out.push(asOfLine(one));
    out.push(sinceLine(one.previousDate));
  }
  out.push('');
  if (!one) {
    out.push('Roll-up (overall = the worst light of the team)');
    const width = Math.max(4, ...teams.map((s) => s.name.length));
    out.push(`  ${'Team'.padEnd(width)}  ${KPI_KEYS.map((k) => KPI_LABELS[k]).join(' | ')} | Overall`);
    for (const s of teams) out.push(`  ${s.name.padEnd(width)}  ${KPI_KEYS.map((k) => s.lights[k] ?? '-').join(' | ')} | ${s.overall ?? '-'}`);
    out.push('');
  }
  for (const s of teams) {
    if (!one) {
      out.push(`== ${s.name} (${s.overall ?? 'no light'}) ==`);
      out.push(asOfLine(s));
      out.push(sinceLine(s.previousDate));
      out.push('');
    }
    for (const l of s.lines) {
      const change = changeWords(l);
      out.push(`[${light(l.light)}] ${l.label}: ${l.value} (${l.detail})${change === null ? '' : ` — ${change}`}`);
      out.push(`  ${l.sentence}`);
      const evidence = evidenceWords(l.items, (i) => (i.url ? `${i.key} <${i.url}>` : i.key));
      if (evidence) out.push(`  ${evidence}`);
      if (l.dashboardUrl) out.push(`  Dashboard: ${l.dashboardUrl}`);
    }
    if (s.outcomes.length) {
      out.push('');
      out.push(`${OUTCOMES_HEADING}:`);
      for (const o of s.outcomes) out.push(`  ${o.label}: ${o.sentence}`);
      if (s.outcomes[0]!.dashboardUrl) out.push(`  Dashboard: ${s.outcomes[0]!.dashboardUrl}`);
    }
    if (s.openImpediments.length) {
      out.push('');
      out.push(`${IMPEDIMENTS_HEADING}:`);
      for (const i of s.openImpediments.slice(0, IMPEDIMENTS_SHOWN)) out.push(`  ${i.key}  ${plural(i.days, 'day')}  ${i.title}${i.url ? `  <${i.url}>` : ''}`);
      if (s.openImpediments.length > IMPEDIMENTS_SHOWN) out.push(`  ${moreWords(s.openImpediments.length - IMPEDIMENTS_SHOWN)}`);
    }
    if (s.images.length) {
      out.push('');
      out.push(`Charts in the HTML version: ${s.images.map((i) => i.caption).join('; ')}.`);
    }
    if (s.dashboardUrl) out.push(`Dashboard: ${s.dashboardUrl}`);
    if (s.warnings) out.push(warningsLine(s.warnings));
    out.push('');
  }
  out.push('How the lights are set:');
  for (const line of lightRuleLines()) out.push(`  ${line}`);
  if (frame.footerNote) out.push('', frame.footerNote);
  out.push('', sentByLine(frame.product));
  return `${out.join('\n')}\n`;
}
