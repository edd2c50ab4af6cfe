import type { Timeline, WorkItem } from '../model/types';
import type { TimelineIndex } from './timeline-index';

type Timelines = 'status' | 'estimate' | 'sprints' | 'releases' | 'flagged' | 'labels';

/**
 * A work item whose timelines a store keeps as columns (see {@link TimelineIndex}): the history index takes those
 * timelines as they are, and the item's timelines are the model's own arrays of changes, made the first time anyone
 * reads them (evidence, an export, a test). To every reader the item is a plain `WorkItem`: the same keys in the
 * same order as `checkWorkItem` gives them, each timeline an enumerable property, `JSON.stringify` and spreading
 * as for any item. `createdMs` is `createdAt` as epoch ms.
 */
export type ItemColumns = { readonly createdMs: number } & { readonly [K in Timelines]: TimelineIndex<WorkItem[K][number]['value']> };

/** A work item's fields other than its timelines (an optional field undefined is left out of the item). */
export type ItemFields = Omit<WorkItem, Timelines>;

const COLUMNS = Symbol('agile-kpi.itemColumns');
const TIMELINES: readonly Timelines[] = ['status', 'estimate', 'sprints', 'releases', 'flagged', 'labels'];
type Holder = { readonly [COLUMNS]: ItemColumns };

// One getter per timeline, shared by every item (they read the item they are called on), so that items made
// alike share their shape.
const GETTERS: Readonly<Record<Timelines, PropertyDescriptor>> = Object.fromEntries(
  TIMELINES.map((name) => [name, { get(this: Holder): Timeline<unknown> { return this[COLUMNS][name].changes; }, enumerable: true, configurable: true }]),
) as Record<Timelines, PropertyDescriptor>;

/** The work item of these fields and these timeline columns. */
export function columnarItem(fields: ItemFields, columns: ItemColumns): WorkItem {
  const item: Record<string | symbol, unknown> = { id: fields.id, key: fields.key };
  if (fields.url !== undefined) item['url'] = fields.url;
  item['type'] = fields.type;
  item['title'] = fields.title;
  item['createdAt'] = fields.createdAt;
  item['updatedAt'] = fields.updatedAt;
  if (fields.parentId !== undefined) item['parentId'] = fields.parentId;
  Object.defineProperty(item, COLUMNS, { value: columns });
  for (const name of TIMELINES) Object.defineProperty(item, name, GETTERS[name]);
  if (fields.rank !== undefined) item['rank'] = fields.rank;
  item['described'] = fields.described;
  return item as unknown as WorkItem;
}

/**
 * The values a timeline of an item took, in order, without making its changes when it is kept as columns.
 *
 * @example timelineValues(item, 'releases') // [[], ['ado:release:R1']]
 */
export function timelineValues<K extends Timelines>(item: WorkItem, name: K): readonly WorkItem[K][number]['value'][] {
  const tl = columnsOf(item)?.[name];
  if (!tl) return item[name].map((c) => c.value);
  const out = new Array<WorkItem[K][number]['value']>(tl.times.length);
  for (let i = 0; i < out.length; i++) out[i] = tl.value(i);
  return out;
}

/** The columns a work item was made of by {@link columnarItem}; undefined for any other item. */
export function columnsOf(item: WorkItem): ItemColumns | undefined {
  return (item as unknown as Partial<Holder>)[COLUMNS];
}
