import { num } from '@agile-kpi/presentation';

/**
 * How numbers read in a report that people forward: whole percentages with a space ("18 %"), counts with
 * their noun ("1 item", "2 items"), days as whole days. Figures keep the dashboard's rounding (`num`: one
 * decimal), so the email and the dashboard show the same value.
 */

/** "18 %": a ratio as a whole percentage. */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

/** "1 item", "3 items"; `many` for irregular plurals ("1 was", "2 were" is not a noun, so nouns only). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A figure with the dashboard's rounding and a unit: "31 pts", "4.9 items/week". */
export function amount(x: number, unit: string, digits = 1): string {
  return `${num(x, digits)} ${unit}`;
}

/** Whole days elapsed between two instants (floored: open "for 13 days" means at least 13 full days). */
export function wholeDays(fromIso: string, toIso: string): number {
  return Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000);
}

/** "“text”": tracker text (goal, title) quoted; the caller escapes it for HTML. */
export function quoted(text: string): string {
  return `“${text.trim()}”`;
}

/** Only http(s) URLs become links: a tracker could hand us `javascript:` or worse. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
