/**
 * How figures read on every surface (dashboard, terminal, email): rounded for reading, percentages with one
 * decimal when it matters, instants in the team's zone. Results keep their own precision in the JSON.
 */

/** Rounded for reading: `num(23.666)` is "23.7", `num(-0.01)` is "0". */
export function num(x: number, digits = 1): string {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return String(Object.is(r, -0) ? 0 : r);
}

/** `num`, or "n/a" for a missing figure. */
export function opt(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined ? 'n/a' : num(x, digits);
}

/** With its sign: "+1.5", "-0.6", "0". */
export function signed(x: number | null): string {
  if (x === null) return 'n/a';
  const s = num(x, 1);
  return x > 0 && s !== '0' ? `+${s}` : s;
}

/** Percent with one decimal when it matters: 0.996 is "99.6%", not a rounded-up "100%". */
export function pct(x: number): string {
  return `${num(x * 100, 1)}%`;
}

export function optPct(x: number | null): string {
  return x === null ? 'n/a' : pct(x);
}

/** The short unit of a metric's `unit`: points read "pts", hours "h". */
export function unitLabel(unit: string): string {
  return unit === 'points' ? 'pts' : unit === 'hours' ? 'h' : unit;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2025-06-13 15:00" in the team's zone, independent of the machine's (or the browser's) zone. */
export function localDateTime(iso: string, zone: string): string {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}`;
}

/** "2025-06-13": the local date in the team's zone. */
export function localDate(iso: string, zone: string): string {
  return localDateTime(iso, zone).slice(0, 10);
}

/** "no closed sprint yet: velocity needs at least one" -> "No closed sprint yet: velocity needs at least one." */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
