import type { Change, ItemKind, WorkItem } from '@agile-kpi/core';

/**
 * The compact form a store keeps a checked work item in. A board's timelines repeat few values (its statuses,
 * sprints, releases, label sets, estimates) tens of thousands of times: each distinct value is kept once, in a
 * {@link ValueTable} shared by the board's items, and a timeline entry names it by number. Reading decodes each item
 * back to the very object `checkWorkItem` returned (same keys in the same order, equal values), with equal values
 * shared between entries and items: half the bytes to read and parse, and far fewer objects to keep.
 */
/** Raise with any change to the compact form: items kept in another form are compiled again. */
export const ITEM_CODEC_VERSION = 1;

export type EncodedItem = readonly [
  id: string,
  key: string,
  /** A number: the url is that value followed by the key (a board's urls share their beginning). */
  url: string | number | null,
  kind: ItemKind,
  original: string,
  title: string,
  createdAt: string,
  updatedAt: string,
  parentId: string | null,
  status: EncodedTimeline,
  estimate: EncodedTimeline,
  sprints: EncodedTimeline,
  releases: EncodedTimeline,
  flagged: EncodedTimeline,
  labels: EncodedTimeline,
  rank: string | null,
  described: boolean,
];

/**
 * Entries `[at, value]` or `[at, value, eventId]`: `at` 0 for the item's creation instant, `value` a number in the
 * table, `eventId` the event's id, or `[prefix, rest]` with the prefix's number in the table ("jira:changelog:" and
 * "4711": a tracker's event ids share their first two parts).
 */
type EncodedTimeline = readonly (readonly [string | 0, number] | readonly [string | 0, number, string | readonly [number, string]])[];

/** The distinct values of a board's timelines, as JSON texts, in the order they were first met. */
export class ValueTable {
  private readonly index = new Map<string, number>();

  constructor(readonly texts: string[] = []) {
    texts.forEach((text, i) => this.index.set(text, i));
  }

  /** The number of a value, adding it when new. */
  ref(value: unknown): number {
    const text = JSON.stringify(value);
    let n = this.index.get(text);
    if (n === undefined) {
      n = this.texts.length;
      this.texts.push(text);
      this.index.set(text, n);
    }
    return n;
  }
}

function encodeTimeline(tl: readonly Change<unknown>[], createdAt: string, table: ValueTable): EncodedTimeline {
  return tl.map((c) => {
    const at = c.at === createdAt ? 0 : c.at;
    if (c.eventId === undefined) return [at, table.ref(c.value)];
    const cut = c.eventId.indexOf(':', c.eventId.indexOf(':') + 1) + 1;
    return [at, table.ref(c.value), cut > 0 ? [table.ref(c.eventId.slice(0, cut)), c.eventId.slice(cut)] : c.eventId];
  });
}

/** A checked work item (what `checkWorkItem` returns) in its compact form; its values go into `table`. */
export function encodeItem(item: WorkItem, table: ValueTable): EncodedItem {
  const c = item.createdAt;
  return [
    item.id,
    item.key,
    item.url === undefined ? null : item.url.endsWith(item.key) ? table.ref(item.url.slice(0, item.url.length - item.key.length)) : item.url,
    item.type.kind,
    item.type.original,
    item.title,
    c,
    item.updatedAt,
    item.parentId ?? null,
    encodeTimeline(item.status, c, table),
    encodeTimeline(item.estimate, c, table),
    encodeTimeline(item.sprints, c, table),
    encodeTimeline(item.releases, c, table),
    encodeTimeline(item.flagged, c, table),
    encodeTimeline(item.labels, c, table),
    item.rank ?? null,
    item.described,
  ];
}

/** Thrown for an encoded item that names a value the table does not have: its compiled form cannot be used. */
export class UnknownValue extends Error {}

function valueAt(values: readonly unknown[], ref: number): unknown {
  if (!(ref < values.length)) throw new UnknownValue(`value ${ref} is not in the table`);
  return values[ref];
}

function prefixAt(values: readonly unknown[], ref: number): string {
  const prefix = valueAt(values, ref);
  if (typeof prefix !== 'string') throw new UnknownValue(`value ${ref} is not the beginning of a text`);
  return prefix;
}

function decodeTimeline(tl: EncodedTimeline, createdAt: string, values: readonly unknown[]): Change<never>[] {
  const out = new Array<Change<never>>(tl.length);
  for (let i = 0; i < tl.length; i++) {
    const e = tl[i]!;
    const value = valueAt(values, e[1]);
    const at = e[0] === 0 ? createdAt : e[0];
    out[i] = (e.length === 3 ? { at, value, eventId: typeof e[2] === 'string' ? e[2] : prefixAt(values, e[2][0]) + e[2][1] } : { at, value }) as Change<never>;
  }
  return out;
}

/**
 * The work item an encoded item stands for, with the table's values (each decoded once, `JSON.parse` of its
 * text, and shared). Keys in the order `checkWorkItem` gives them; absent optional fields stay absent.
 */
export function decodeItem(e: EncodedItem, values: readonly unknown[]): WorkItem {
  const createdAt = e[6];
  const item: Record<string, unknown> = { id: e[0], key: e[1] };
  if (e[2] !== null) item['url'] = typeof e[2] === 'string' ? e[2] : prefixAt(values, e[2]) + e[1];
  item['type'] = { kind: e[3], original: e[4] };
  item['title'] = e[5];
  item['createdAt'] = createdAt;
  item['updatedAt'] = e[7];
  if (e[8] !== null) item['parentId'] = e[8];
  item['status'] = decodeTimeline(e[9], createdAt, values);
  item['estimate'] = decodeTimeline(e[10], createdAt, values);
  item['sprints'] = decodeTimeline(e[11], createdAt, values);
  item['releases'] = decodeTimeline(e[12], createdAt, values);
  item['flagged'] = decodeTimeline(e[13], createdAt, values);
  item['labels'] = decodeTimeline(e[14], createdAt, values);
  if (e[15] !== null) item['rank'] = e[15];
  item['described'] = e[16];
  return item as unknown as WorkItem;
}

/**
 * A string hash (53 bits, base 36): names a fingerprint's table among the store's state, and checks that a
 * table read back is the one written. Not for secrets: it guards against accidents, as the store's checksums do.
 */
export function textHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
