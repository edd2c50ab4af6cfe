import { KPI_KEYS, KPI_LABELS, lightRules } from '@agile-kpi/dashboard';
import type { EmailFrame } from './email-html';
import { plural } from './report-format';
import type { TeamSection } from './report-model';

const WORD = { green: 'GREEN', amber: 'AMBER', red: 'RED' } as const;
const light = (l: keyof typeof WORD | null) => (l ? WORD[l] : 'NO LIGHT');

/**
 * The plain-text alternative: what a text-only client, a screen reader in plain mode or a forwarded snippet
 * shows. The same figures, sentences and links as the HTML; charts are named, not drawn.
 */
export function emailText(teams: readonly TeamSection[], frame: EmailFrame): string {
  const out: string[] = [];
  const one = teams.length === 1 ? teams[0]! : undefined;
  out.push(`${frame.product} health report: ${one ? one.name : `${teams.length} teams`}`);
  if (one) {
    out.push(`As of ${one.asOf} · ${one.source}`);
    out.push(one.previousDate ? `Changes since the report of ${one.previousDate}.` : 'First report: changes show from the next one.');
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
      out.push(`As of ${s.asOf} · ${s.source}`);
      out.push(s.previousDate ? `Changes since the report of ${s.previousDate}.` : 'First report: changes show from the next one.');
      out.push('');
    }
    for (const l of s.lines) {
      const change = l.change === null ? '' : ` — ${l.change}${l.lightBefore ? `, was ${l.lightBefore}` : ''}`;
      out.push(`[${light(l.light)}] ${l.label}: ${l.value} (${l.detail})${change}`);
      out.push(`  ${l.sentence}`);
      const shown = l.items.slice(0, 5);
      if (shown.length) out.push(`  Evidence: ${shown.map((i) => (i.url ? `${i.key} <${i.url}>` : i.key)).join(', ')}${l.items.length > shown.length ? ` and ${l.items.length - shown.length} more` : ''}`);
      if (l.dashboardUrl) out.push(`  Dashboard: ${l.dashboardUrl}`);
    }
    if (s.openImpediments.length) {
      out.push('');
      out.push('Impediments open longest:');
      for (const i of s.openImpediments.slice(0, 5)) out.push(`  ${i.key}  ${plural(i.days, 'day')}  ${i.title}${i.url ? `  <${i.url}>` : ''}`);
      if (s.openImpediments.length > 5) out.push(`  and ${s.openImpediments.length - 5} more`);
    }
    if (s.images.length) {
      out.push('');
      out.push(`Charts in the HTML version: ${s.images.map((i) => i.caption).join('; ')}.`);
    }
    if (s.dashboardUrl) out.push(`Dashboard: ${s.dashboardUrl}`);
    if (s.warnings) out.push(`${plural(s.warnings, 'data-quality warning')} behind these figures; the dashboard lists them.`);
    out.push('');
  }
  const rules = lightRules();
  out.push('How the lights are set:');
  for (const k of KPI_KEYS) out.push(`  ${KPI_LABELS[k]}: ${rules[k]}`);
  if (frame.footerNote) out.push('', frame.footerNote);
  out.push('', `Sent by ${frame.product}.`);
  return `${out.join('\n')}\n`;
}
