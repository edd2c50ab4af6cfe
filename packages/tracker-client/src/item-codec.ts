import { type Change, type ItemColumns, type ItemKind, TIMELINE_DEFAULTS, TimelineIndex, type WorkItem, columnarItem, parseInstant } from '@agile-kpi/core';

/**
 * The compact form a store keeps a checked work item in. A board's timelines repeat few values (its statuses,
 * sprints, releases, label sets, estimates) tens of thousands of times: each distinct value is kept once, in a
 * {@link ValueTable} shared by the board's items, and a timeline names it by number. Each timeline is kept as
 * columns (instants as epoch ms, values by number, event ids by their number), and reading makes of it what the
 * history index reads (its `TimelineIndex`, which the decoded timeline is): no object, text or event id per change, until evidence asks
 * for a change and the item's timeline is made, equal to the one `checkWorkItem` returned.
 */
/** Raise with any change to the compact form: items kept in another form are compiled again. */
export const ITEM_CODEC_VERSION = 2;

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
 * A timeline as columns `[times, values, ats, events, prefix]`: `times` each change's instant as epoch ms;
 * `values` each change's value, by its number in the table; `ats` null when each change's `at` is what its time
 * implies (the item's `createdAt` at the creation instant, else the ISO text of the time, as a bulk changelog's
 * epoch milliseconds are written), else `[index, at, ...]` for the changes written otherwise; `events` null when no
 * change has an event id, else one entry per change: null (none), a number (the timeline's prefix, by its number
 * in the table, followed by the number: "jira:changelog:" and 4711), or the event id itself.
 */
type EncodedTimeline = readonly [times: readonly number[], values: readonly number[], ats: readonly (number | string)[] | null, events: readonly (number | string | null)[] | null, prefix: number];

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

/** The text of an instant as a bulk changelog's epoch milliseconds are written. */
const isoOf = (ms: number) => new Date(ms).toISOString();

/** An event id's first two parts ("jira:changelog:"), and the rest when it is a whole number written plainly. */
function splitEvent(eventId: string): { prefix: string; n: number } | undefined {
  const cut = eventId.indexOf(':', eventId.indexOf(':') + 1) + 1;
  if (cut <= 0) return undefined;
  const rest = eventId.slice(cut);
  const n = Number(rest);
  return Number.isSafeInteger(n) && n >= 0 && String(n) === rest ? { prefix: eventId.slice(0, cut), n } : undefined;
}

function encodeTimeline(tl: readonly Change<unknown>[], createdAt: string, createdMs: number, table: ValueTable): EncodedTimeline {
  const times = tl.map((c) => (c.at === createdAt ? createdMs : parseInstant(c.at)));
  const values = tl.map((c) => table.ref(c.value));
  const ats: (number | string)[] = [];
  tl.forEach((c, i) => {
    if (c.at !== (times[i] === createdMs ? createdAt : isoOf(times[i]!))) ats.push(i, c.at);
  });
  let prefix: string | undefined;
  const events = tl.some((c) => c.eventId !== undefined)
    ? tl.map((c) => {
        if (c.eventId === undefined) return null;
        const split = splitEvent(c.eventId);
        if (split && (prefix ??= split.prefix) === split.prefix) return split.n;
        return c.eventId;
      })
    : null;
  return [times, values, ats.length ? ats : null, events, prefix === undefined ? -1 : table.ref(prefix)];
}

/** A checked work item (what `checkWorkItem` returns) in its compact form; its values go into `table`. */
export function encodeItem(item: WorkItem, table: ValueTable): EncodedItem {
  const c = item.createdAt;
  const ms = parseInstant(c);
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
    encodeTimeline(item.status, c, ms, table),
    encodeTimeline(item.estimate, c, ms, table),
    encodeTimeline(item.sprints, c, ms, table),
    encodeTimeline(item.releases, c, ms, table),
    encodeTimeline(item.flagged, c, ms, table),
    encodeTimeline(item.labels, c, ms, table),
    item.rank ?? null,
    item.described,
  ];
}

/**
 * Thrown for an encoded item that names a value the table does not have, or whose columns do not fit together:
 * its compiled form cannot be used (it is compiled again from its raw document).
 */
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

/** What a decoded item's timelines share: its creation, as text and as epoch ms. */
interface Created {
  readonly at: string;
  readonly ms: number;
}

/** One decoded timeline: the columns the history index reads, and its changes made on first need. */
class StoredTimeline<T> extends TimelineIndex<T> {
  constructor(
    times: readonly number[],
    values: readonly T[],
    initial: T,
    private readonly created: Created,
    private readonly ats: readonly (number | string)[] | null,
    private readonly events: readonly (number | string | null)[] | null,
    private readonly prefix: string,
  ) {
    super({ times, values }, initial);
  }

  protected override makeChange(i: number): Change<T> {
    const { times, ats, events } = this;
    let at: string | undefined;
    if (ats !== null) for (let k = 0; k < ats.length; k += 2) if (ats[k] === i) at = ats[k + 1] as string;
    at ??= times[i] === this.created.ms ? this.created.at : isoOf(times[i]!);
    const e = events === null ? null : events[i]!;
    return e === null ? { at, value: this.value(i) } : { at, value: this.value(i), eventId: typeof e === 'number' ? this.prefix + e : e };
  }
}

/** Values of one entry, shared by every timeline that has only that value (most items are never flagged...). */
type Singles = Map<number, readonly unknown[]>;

function decodeTimeline(e: EncodedTimeline, created: Created, values: readonly unknown[], singles: Singles, initial?: unknown): StoredTimeline<never> {
  const [times, refs, ats, events] = e;
  if (times.length !== refs.length || (events !== null && events.length !== times.length) || !times.every(Number.isFinite)) {
    throw new UnknownValue('a timeline whose columns do not fit together');
  }
  let decoded: readonly unknown[];
  if (refs.length === 1) {
    const ref = refs[0]!;
    decoded = singles.get(ref) ?? (singles.set(ref, [valueAt(values, ref)]), singles.get(ref)!);
  } else {
    const out = new Array<unknown>(refs.length);
    for (let i = 0; i < refs.length; i++) out[i] = valueAt(values, refs[i]!);
    decoded = out;
  }
  // The status timeline starts from its own first value, the others from their default (TIMELINE_DEFAULTS).
  return new StoredTimeline(times, decoded as never[], (initial === undefined ? decoded[0] : initial) as never, created, ats, events, e[4] < 0 ? '' : prefixAt(values, e[4]));
}

/** Decodes items against one table's values (each decoded once, `JSON.parse` of its text, and shared). */
export class ItemDecoder {
  private readonly singles: Singles = new Map();
  private readonly types = new Map<string, { readonly kind: ItemKind; readonly original: string }>();

  constructor(private readonly values: readonly unknown[]) {}

  /** An item type, one object per kind and original name (items are read, never changed). */
  private type(kind: ItemKind, original: string): { readonly kind: ItemKind; readonly original: string } {
    const name = `${kind}\u0000${original}`;
    let type = this.types.get(name);
    if (!type) this.types.set(name, (type = { kind, original }));
    return type;
  }

  /**
   * The work item an encoded item stands for, its timelines kept as columns (see `columnarItem`): keys in the
   * order `checkWorkItem` gives them, absent optional fields absent.
   */
  decode(e: EncodedItem): WorkItem {
    const { values, singles } = this;
    const created: Created = { at: e[6], ms: parseInstant(e[6]) };
    const columns: ItemColumns = {
      createdMs: created.ms,
      status: decodeTimeline(e[9], created, values, singles),
      estimate: decodeTimeline(e[10], created, values, singles, TIMELINE_DEFAULTS.estimate),
      sprints: decodeTimeline(e[11], created, values, singles, TIMELINE_DEFAULTS.sprints),
      releases: decodeTimeline(e[12], created, values, singles, TIMELINE_DEFAULTS.releases),
      flagged: decodeTimeline(e[13], created, values, singles, TIMELINE_DEFAULTS.flagged),
      labels: decodeTimeline(e[14], created, values, singles, TIMELINE_DEFAULTS.labels),
    };
    return columnarItem(
      {
        id: e[0],
        key: e[1],
        url: e[2] === null ? undefined : typeof e[2] === 'string' ? e[2] : prefixAt(values, e[2]) + e[1],
        type: this.type(e[3], e[4]),
        title: e[5],
        createdAt: e[6],
        updatedAt: e[7],
        parentId: e[8] ?? undefined,
        rank: e[15] ?? undefined,
        described: e[16],
      },
      columns,
    );
  }
}

/** One item decoded against the table's values (see {@link ItemDecoder}, which reads many alike). */
export function decodeItem(e: EncodedItem, values: readonly unknown[]): WorkItem {
  return new ItemDecoder(values).decode(e);
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
