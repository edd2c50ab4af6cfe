import type { TrafficLight } from '@agile-kpi/core';
import { KPI_KEYS, KPI_LABELS, lightRules } from '@agile-kpi/presentation';
import type { EvidenceLink } from './lead-sentences';
import type { KpiLine } from './kpi-lines';
import { plural } from './report-format';

/**
 * The sentences every rendering of a report says the same way — the MJML email, its plain-text part and the
 * lean HTML the Forge app sends through Jira's notify API — so that each is written once.
 */

/** How many evidence links a KPI lists, and how many open impediments a report lists, before "and N more". */
export const EVIDENCE_SHOWN = 5;
export const IMPEDIMENTS_SHOWN = 5;
export const IMPEDIMENTS_HEADING = 'Impediments open longest';
export const OPEN_DASHBOARD = 'Open the dashboard';
export const LIGHT_WORDS: Readonly<Record<TrafficLight | 'none', string>> = { green: 'Green', amber: 'Amber', red: 'Red', none: 'No light' };

/** "agile-kpi health report". */
export function reportTitle(product: string): string {
  return `${product} health report`;
}

/** "As of 2025-06-16 12:00 Europe/Berlin · jira · https://x.atlassian.net · board 42". */
export function asOfLine(section: { readonly asOf: string; readonly source: string }): string {
  return `As of ${section.asOf} · ${section.source}`;
}

/** What the changes are measured against: the previous report's date, or none on a first report. */
export function sinceLine(previousDate: string | undefined): string {
  return previousDate ? `Changes since the report of ${previousDate}.` : 'First report: changes show from the next one.';
}

/** "up 1.2 pts, was amber"; null on a first report. */
export function changeWords(line: KpiLine): string | null {
  return line.change === null ? null : `${line.change}${line.lightBefore ? `, was ${line.lightBefore}` : ''}`;
}

/** "and 3 more". */
export function moreWords(n: number): string {
  return `and ${n} more`;
}

/** "Evidence: SIM-1, SIM-2 and 3 more", each item as `show` renders it; empty without items. */
export function evidenceWords(items: readonly EvidenceLink[], show: (item: EvidenceLink) => string): string {
  const shown = items.slice(0, EVIDENCE_SHOWN);
  if (!shown.length) return '';
  const more = items.length - shown.length;
  return `Evidence: ${shown.map(show).join(', ')}${more > 0 ? ` ${moreWords(more)}` : ''}`;
}

/** "Open velocity on the dashboard". */
export function openViewWords(label: string): string {
  return `Open ${label.toLowerCase()} on the dashboard`;
}

/** "2 data-quality warnings behind these figures; the dashboard lists them." */
export function warningsLine(warnings: number): string {
  return `${plural(warnings, 'data-quality warning')} behind these figures; the dashboard lists them.`;
}

/** "Velocity: green at ... ": each KPI's traffic-light rule, the dashboard's. */
export function lightRuleLines(): string[] {
  const rules = lightRules();
  return KPI_KEYS.map((k) => `${KPI_LABELS[k]}: ${rules[k]}`);
}

/** "Sent by agile-kpi." */
export function sentByLine(product: string): string {
  return `Sent by ${product}.`;
}
