import type { Evidence, Exclusion, MetricsReport } from '@agile-kpi/core';
import { RESULT_KEYS, type ResultKey } from './traffic-lights';

/**
 * A KPI's evidence in pages, so that a hosted surface's answer stays small at any board size: a gadget gets its
 * KPI with the **first page** of each long evidence list (the result's `evidence` and `excluded`, and the
 * `evidence` and `excluded` lists inside its `details`: per sprint, per release, the active sprint), and a count
 * and a page token for the rest, which it fetches when the user asks for more. The figures never change: values,
 * reasons, params, warnings and every other part of the details are whole.
 *
 * **Page size: 200 entries.** An evidence row is about 250–300 bytes of JSON (key, URL, title, role, contribution,
 * the event behind it), so a page is about 60 KB of JSON, 6 KB gzip-compressed: one 10 KB unit of the Forge
 * Key-Value Store's quota to read, and more rows than a person reads in an evidence panel before narrowing down.
 * The largest result of a 50 000-issue board (release predictability: 19 lists of up to 46 558 entries, 29 MB
 * whole) keeps about 3 800 rows, under 1 MB of JSON; the whole of a list is 25 times 200 at that size, so a user
 * drilling into it reads on page by page instead of the gadget carrying all of it on every load.
 *
 * A list is named by its **path** in the result ("evidence", "excluded", "details.sprints.3.evidence"); a page
 * token names the computation it belongs to (a stamp), the result, the list's number and the offset, so that a
 * page of an older computation is refused rather than mixed into a newer one.
 *
 * @example cutEvidence({ ...result, evidence: thousandRows }, 'velocity', 'a1b2').first.evidence.length // 200
 */
export const EVIDENCE_PAGE_SIZE = 200;

/** The roles of a result's evidence (`VelocityRole` for `velocity`...), as its metric declares them. */
export type RoleOf<K extends ResultKey> = MetricsReport[K]['evidence'][number]['role'];

/** An entry of an evidence list (an item with its role `R`) or of an `excluded` list. */
export type EvidenceEntry<R extends string = string> = Evidence<R> | Exclusion;

/** One long list of a result, cut to its first page in an answer: how many entries it has, and where the rest are. */
export interface PagedList<R extends string = string> {
  /** Where the list is in the result: "evidence", "excluded", "details.sprints.3.evidence". */
  readonly path: string;
  /** Entries in the whole list. */
  readonly total: number;
  /** Entries of the whole list per role (evidence lists; absent for exclusions). */
  readonly roles?: Readonly<Partial<Record<R, number>>>;
  /** The token of the page after the first. */
  readonly next: string;
}

/** The long lists of each result in an answer, by result. A result absent here came whole. */
export type EvidencePages = { readonly [K in ResultKey]?: readonly PagedList<RoleOf<K>>[] };

/** One page of a list, as the `evidence` call answers it. */
export interface EvidencePage<K extends ResultKey = ResultKey> {
  readonly kpi: K;
  readonly path: string;
  /** Index of the page's first entry in the whole list. */
  readonly offset: number;
  readonly total: number;
  readonly entries: readonly EvidenceEntry<RoleOf<K>>[];
  /** The token of the following page; absent on the last one. */
  readonly next?: string;
}

/** A result cut to first pages: the result as an answer carries it, its long lists, and each list's entries after the first page. */
export interface CutResult<T, R extends string = string> {
  readonly first: T;
  readonly lists: readonly PagedList<R>[];
  readonly rest: readonly (readonly EvidenceEntry<R>[])[];
}

const LIST_NAMES = new Set(['evidence', 'excluded']);

/** An error in a page token or a page request: the caller's, with a message that says what to do. */
export class EvidencePageError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'EvidencePageError';
  }
}

/**
 * Every evidence list of a result (top level and in its details) longer than a page, in a fixed order. A result's
 * lists hold the roles its metric declares, in its details as at its top (the result-types test checks both).
 */
function longLists<R extends string>(result: unknown, pageSize: number): { path: string; entries: readonly EvidenceEntry<R>[] }[] {
  const out: { path: string; entries: readonly EvidenceEntry<R>[] }[] = [];
  const walk = (value: unknown, path: string, top: boolean) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}.${i}`, false));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (LIST_NAMES.has(k) && Array.isArray(v)) {
        if (v.length > pageSize) out.push({ path: p, entries: v });
      } else if (!top || k === 'details') walk(v, p, false);
    }
  };
  walk(result, '', true);
  return out;
}

/** The same value with the list at `path` replaced (only the objects along the path are copied). */
export function withList<T>(value: T, path: string, entries: readonly unknown[]): T {
  const [head, ...tail] = path.split('.');
  if (head === undefined || head === '') return entries as unknown as T;
  if (Array.isArray(value)) {
    const i = Number(head);
    if (!Number.isInteger(i) || i < 0 || i >= value.length) throw new EvidencePageError('not-found', `no list at ${path}`);
    const copy = [...value];
    copy[i] = tail.length ? withList(value[i], tail.join('.'), entries) : entries;
    return copy as unknown as T;
  }
  if (value === null || typeof value !== 'object' || !(head in value)) throw new EvidencePageError('not-found', `no list at ${path}`);
  const v = (value as Record<string, unknown>)[head];
  return { ...value, [head]: tail.length ? withList(v, tail.join('.'), entries) : entries } as T;
}

/** Entries per role of an evidence list; undefined for a list of exclusions (they have no role). */
function rolesOf<R extends string>(entries: readonly EvidenceEntry<R>[]): Partial<Record<R, number>> | undefined {
  if (!entries.length || !('role' in entries[0]!)) return undefined;
  const roles: Partial<Record<R, number>> = {};
  for (const e of entries) if ('role' in e) roles[e.role] = (roles[e.role] ?? 0) + 1;
  return roles;
}

/**
 * A result with each list longer than a page cut to its first page; `stamp` names the computation (the tokens
 * carry it). Lists of a page or less stay whole and are not listed.
 */
export function cutEvidence<T, K extends ResultKey>(result: T, kpi: K, stamp: string, pageSize = EVIDENCE_PAGE_SIZE): CutResult<T, RoleOf<K>> {
  const long = longLists<RoleOf<K>>(result, pageSize);
  let first = result;
  const lists: PagedList<RoleOf<K>>[] = [];
  const rest: EvidenceEntry<RoleOf<K>>[][] = [];
  long.forEach(({ path, entries }, n) => {
    first = withList(first, path, entries.slice(0, pageSize));
    const roles = rolesOf(entries);
    lists.push({ path, total: entries.length, ...(roles ? { roles } : {}), next: pageToken({ stamp, kpi, list: n, offset: pageSize }) });
    rest.push(entries.slice(pageSize));
  });
  return { first, lists, rest };
}

/** The result whole again: each cut list's first page followed by the rest of its entries. */
export function joinEvidence<T>(first: T, lists: readonly Pick<PagedList, 'path'>[], rest: readonly (readonly EvidenceEntry[])[]): T {
  let whole = first;
  lists.forEach((l, n) => {
    const head = listAt(whole, l.path);
    whole = withList(whole, l.path, [...head, ...(rest[n] ?? [])]);
  });
  return whole;
}

/** The entries at a list's path ([] where there is none). */
export function listAt(value: unknown, path: string): readonly EvidenceEntry[] {
  let v: unknown = value;
  for (const part of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return Array.isArray(v) ? v : [];
}

export interface PageToken<K extends ResultKey = ResultKey> {
  /** The computation the page belongs to. */
  readonly stamp: string;
  readonly kpi: K;
  /** The list's number among the result's cut lists. */
  readonly list: number;
  /** Index of the page's first entry. */
  readonly offset: number;
}

const TOKEN = /^ev1\.([0-9a-z]{1,40})\.([A-Za-z]{1,40})\.(\d{1,4})\.(\d{1,9})$/;

export function pageToken(t: PageToken): string {
  return `ev1.${t.stamp}.${t.kpi}.${t.list}.${t.offset}`;
}

/**
 * A page token read back, for the result it is asked for: a token that is not one of ours, names another result or
 * an offset that is not a page's is refused with a message (never a wrong page).
 */
export function readPageToken(token: unknown, kpi: unknown, pageSize = EVIDENCE_PAGE_SIZE): PageToken {
  if (typeof kpi !== 'string' || !(RESULT_KEYS as readonly string[]).includes(kpi)) {
    throw new EvidencePageError('invalid', `kpi must be one of ${RESULT_KEYS.join(', ')}, got ${JSON.stringify(kpi)}`);
  }
  const m = typeof token === 'string' ? TOKEN.exec(token) : null;
  if (!m) throw new EvidencePageError('invalid', `${JSON.stringify(token)} is not a page token of agile-kpi's evidence; reload the gadget and open the list again`);
  const t: PageToken = { stamp: m[1]!, kpi: m[2] as ResultKey, list: Number(m[3]), offset: Number(m[4]) };
  if (t.kpi !== kpi) throw new EvidencePageError('invalid', `the page token is for ${t.kpi}, not ${kpi}`);
  if (t.offset < pageSize || t.offset % pageSize !== 0) throw new EvidencePageError('invalid', `the page token's offset ${t.offset} is not the start of a page after the first`);
  return t;
}

/** The error for a token whose computation is not the cached one any more (the metrics were computed again). */
export function stalePage(kpi: ResultKey): EvidencePageError {
  return new EvidencePageError('not-found', `this list of ${kpi} evidence belongs to metrics computed before the ones cached now; reload the gadget to see the current evidence`);
}

/**
 * A page of a result's list for a token, from the whole result (a surface that keeps its report whole: the Azure
 * DevOps hub, which computes in the page). `stamp`: the computation the result is; a token of another is refused.
 */
export function pageOf(result: unknown, token: PageToken, stamp: string, pageSize = EVIDENCE_PAGE_SIZE): EvidencePage {
  if (token.stamp !== stamp) throw stalePage(token.kpi);
  const cut = cutEvidence(result, token.kpi, stamp, pageSize);
  const list = cut.lists[token.list];
  if (!list) throw new EvidencePageError('not-found', `${token.kpi} has no list ${token.list} of more than one page of evidence`);
  if (token.offset >= list.total) throw new EvidencePageError('invalid', `the list has ${list.total} entries; there is no page from entry ${token.offset}`);
  return pageAnswer(token, list.path, list.total, cut.rest[token.list]!.slice(token.offset - pageSize, token.offset), pageSize);
}

/** The page a token asks for, given its entries: with the token of the following page unless it is the last. */
export function pageAnswer<K extends ResultKey>(token: PageToken<K>, path: string, total: number, entries: readonly EvidenceEntry<RoleOf<K>>[], pageSize = EVIDENCE_PAGE_SIZE): EvidencePage<K> {
  const next = token.offset + pageSize;
  return { kpi: token.kpi, path, offset: token.offset, total, entries, ...(next < total ? { next: pageToken({ ...token, offset: next }) } : {}) };
}

/** A short name for one computation of a report, for page tokens (FNV-1a of what identifies it; no crypto in a browser). */
export function computationStamp(parts: readonly unknown[]): string {
  const s = JSON.stringify(parts);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A report whose results are cut to first pages, with the lists of each cut result. */
export function cutReport(report: MetricsReport, stamp: string, kpis: readonly ResultKey[] = RESULT_KEYS, pageSize = EVIDENCE_PAGE_SIZE): { report: MetricsReport; pages: EvidencePages } {
  let out = report;
  const pages: { -readonly [K in ResultKey]?: EvidencePages[K] } = {};
  for (const k of kpis) {
    const cut = cutEvidence(report[k], k, stamp, pageSize);
    if (!cut.lists.length) continue;
    out = { ...out, [k]: cut.first };
    pages[k] = cut.lists;
  }
  return { report: out, pages };
}
