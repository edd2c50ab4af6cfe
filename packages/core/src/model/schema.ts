import { z } from 'zod';
import { ITEM_KINDS, STATUS_CATEGORIES } from './types';
import type { Snapshot, WorkItem } from './types';
import { isRealDate, parseInstant } from '../time/instant';

/**
 * The snapshot's schema: the boundary where data from any source is checked before a metric reads it.
 * `snapshotInputSchema` is what a file may contain (defaults optional); `parseSnapshot` returns the
 * fully-defaulted, checked {@link Snapshot} or throws a {@link SnapshotError} naming the field and the item.
 */

const INSTANT_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Checked by the fast reader alone on the happy path; the shape is only examined to word a failure. The
 * published JSON Schema still carries the shape as its pattern (metadata, not a second check).
 */
const instant = z
  .string()
  .superRefine((s, ctx) => {
    if (Number.isFinite(parseInstant(s))) return;
    ctx.addIssue({
      code: 'custom',
      message: INSTANT_SHAPE.test(s) ? 'not a real calendar instant' : 'expected an ISO-8601 instant with an offset, e.g. "2024-07-04T05:41:00.089-07:00" or "...Z"',
    });
  })
  .meta({ pattern: INSTANT_SHAPE.source });

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date "YYYY-MM-DD"' })
  .refine(isRealDate, { message: 'not a real calendar date' });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time "HH:mm", e.g. "09:00"' });

const nonEmpty = z.string().min(1, { message: 'must not be empty' });

const itemId = z.string().regex(/^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*:.+$/, {
  message: 'expected a deterministic id "<tracker>:<entity>:<key>", e.g. "jira:issue:10063"',
});

function timeline<T extends z.ZodType>(value: T) {
  return z
    .array(z.object({ at: instant, value, eventId: z.string().optional() }))
    .default([]);
}

const statusValue = z.object({
  name: nonEmpty,
  category: z.enum(STATUS_CATEGORIES as [string, ...string[]], {
    message: `expected one of ${STATUS_CATEGORIES.join(', ')}`,
  }),
  column: z.string().optional(),
  id: z.string().optional(),
});

const estimateValue = z.number().finite().nonnegative({ message: 'an estimate cannot be negative' }).nullable();

export const workItemSchema = z.object({
  id: itemId,
  key: nonEmpty,
  url: z.string().optional(),
  type: z.object({
    kind: z.enum(ITEM_KINDS as [string, ...string[]], { message: `expected one of ${ITEM_KINDS.join(', ')}` }),
    original: z.string(),
  }),
  title: z.string(),
  createdAt: instant,
  updatedAt: instant,
  parentId: itemId.optional(),
  status: timeline(statusValue).refine((t) => t.length > 0, {
    message: 'needs at least one entry: the status at creation',
  }),
  estimate: timeline(estimateValue),
  sprints: timeline(z.array(z.string())),
  releases: timeline(z.array(z.string())),
  flagged: timeline(z.boolean()),
  labels: timeline(z.array(z.string())),
  rank: z.string().optional(),
  described: z.boolean().default(false),
});

const sprintSchema = z.object({
  id: nonEmpty,
  name: z.string(),
  state: z.enum(['future', 'active', 'closed', 'other']),
  startAt: instant.optional(),
  plannedEndAt: instant.optional(),
  closedAt: instant.optional(),
  goal: z.string().optional(),
  verdict: z
    .object({ outcome: z.enum(['met', 'partly', 'missed']), by: z.string(), at: instant, note: z.string().optional() })
    .optional(),
  url: z.string().optional(),
});

const releaseSchema = z.object({
  id: nonEmpty,
  name: z.string(),
  startAt: instant.optional(),
  releasedAt: instant.optional(),
  plannedDate: timeline(localDate.nullable()),
  currentPlannedDate: localDate.nullable().optional(),
  url: z.string().optional(),
});

const teamSchema = z.object({
  id: nonEmpty,
  name: z.string(),
  timeZone: z.string().refine(isValidZone, { message: 'not an IANA time zone, e.g. "Europe/Berlin"' }),
  workingDays: z
    .array(z.number().int().min(1).max(7))
    .min(1, { message: 'a team works on at least one day' })
    .default([1, 2, 3, 4, 5]),
  workingHours: z
    .object({ start: hhmm, end: hhmm })
    .refine((h) => h.start < h.end, { message: 'the working day must end after it starts' })
    .default({ start: '09:00', end: '17:00' }),
  holidays: z.array(localDate).default([]),
  estimateUnit: z.enum(['points', 'hours', 'count']).default('points'),
  doneRule: z.enum(['board-column', 'status-category']).default('board-column'),
  columns: z.array(nonEmpty).optional(),
  doneColumns: z.array(nonEmpty).optional(),
  blockedStatuses: z.array(z.string()).default([]),
  impedimentSources: z
    .array(z.enum(['flagged', 'item-type', 'blocked-status']))
    .default(['flagged', 'item-type', 'blocked-status']),
  goalLabel: nonEmpty.default('sprint-goal'),
  includeSubtasks: z.boolean().default(false),
  bugsOnBacklog: z.boolean().default(true),
});

const warningSchema = z.object({
  code: nonEmpty,
  message: z.string(),
  itemId: z.string().optional(),
  itemKey: z.string().optional(),
  sprintId: z.string().optional(),
  releaseId: z.string().optional(),
});

export const snapshotInputSchema = z.object({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1, { message: 'this version of agile-kpi reads schemaVersion 1' }),
  source: z
    .object({ tracker: z.string(), site: z.string().optional(), board: z.string().optional(), generator: z.string().optional() })
    .optional(),
  team: teamSchema,
  asOf: instant,
  items: z.array(workItemSchema),
  sprints: z.array(sprintSchema).default([]),
  releases: z.array(releaseSchema).default([]),
  warnings: z.array(warningSchema).default([]),
});

export type SnapshotInput = z.input<typeof snapshotInputSchema>;

/** A snapshot that breaks the schema or contradicts itself; `message` is one line a user can act on. */
export class SnapshotError extends Error {
  constructor(
    message: string,
    readonly path: readonly (string | number)[] = [],
  ) {
    super(message);
    this.name = 'SnapshotError';
  }
}

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** Names a path the way a user reads it: `items[3] (TRAP-12).estimate[1].value`. */
function describePath(input: unknown, path: readonly PropertyKey[]): string {
  let out = '';
  let node: unknown = input;
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`;
      node = Array.isArray(node) ? node[part] : undefined;
      const label = labelOf(node);
      if (label) out += ` (${label})`;
    } else {
      out += out ? `.${String(part)}` : String(part);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part as string] : undefined;
    }
  }
  return out || '(top level)';
}

function labelOf(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const o = node as Record<string, unknown>;
  const key = o['key'] ?? o['name'] ?? o['id'];
  return typeof key === 'string' && !('at' in o) ? key : undefined;
}

/**
 * Checks and completes a snapshot from any source.
 *
 * Throws {@link SnapshotError} with one line naming the field and the item when the data breaks the schema
 * ("items[3] (TRAP-12).estimate[1].value: expected number, received string") or contradicts itself (a change
 * before the item was created, a sprint that closes before it starts, two items with one id).
 * Timelines are returned sorted by time; changes at the same instant keep their input order.
 *
 * @example parseSnapshot(JSON.parse(text)).items.length // 3 for a snapshot of three items
 */
export function parseSnapshot(input: unknown): Snapshot {
  const snapshot = schemaChecked(snapshotInputSchema, input);
  const { $schema: _ignored, ...data } = snapshot;
  const s = data as unknown as Snapshot;
  const seen = new Set<string>();
  const items = s.items.map((item, i) => {
    checkUniqueId(item, i, seen);
    return orderedItem(item, `items[${i}] (${item.key})`);
  });
  return checkConsistency({ ...s, items });
}

/**
 * Which checks {@link checkWorkItem} applies and what it returns. Whoever keeps checked items (the SQLite store
 * keeps each synced item compiled and checked) keeps this next to them and checks them again when it differs:
 * raise it with any change to the work item schema, to the per-item checks, or to their output.
 */
export const WORK_ITEM_CHECK_VERSION = 1;

/**
 * Checks and completes one work item exactly as {@link parseSnapshot} checks each of a snapshot's items: the
 * schema, every instant, no change before the item was created; timelines come back sorted by time. Throws a
 * {@link SnapshotError} naming the field ("(TRAP-12).estimate[1].value: ..."). Items that passed can be put
 * together with the rest of a snapshot by {@link assembleSnapshot} without being checked again.
 */
export function checkWorkItem(input: unknown): WorkItem {
  const item = schemaChecked(workItemSchema, input) as unknown as WorkItem;
  return orderedItem(item, `(${item.key})`);
}

/**
 * A snapshot from its parts, checked as {@link parseSnapshot} checks it, except that `checkedItems` are taken as
 * they are: every one must be what {@link checkWorkItem} returned (under the current
 * {@link WORK_ITEM_CHECK_VERSION}), kept unchanged since (a store proves that with a checksum). `shell` is the
 * snapshot without its items (any `items` in it are ignored): its schema, its sprints, releases and team are
 * checked, and no two items may share an id. For the store's own compiled items only: a snapshot file a user
 * gives goes through {@link parseSnapshot}.
 */
export function assembleSnapshot(shell: unknown, checkedItems: readonly WorkItem[]): Snapshot {
  const withoutItems = shell !== null && typeof shell === 'object' && !Array.isArray(shell) ? { ...shell, items: [] } : shell;
  const { $schema: _ignored, ...data } = schemaChecked(snapshotInputSchema, withoutItems);
  checkUniqueItemIds(checkedItems);
  return checkConsistency({ ...(data as unknown as Snapshot), items: checkedItems });
}

/** The schema's output, or a {@link SnapshotError} naming the first problem's path (and how many more there are). */
function schemaChecked<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : '';
    throw new SnapshotError(`${describePath(input, issue.path)}: ${issue.message}${more}`, issue.path.map(String));
  }
  return parsed.data;
}

const TIMELINES = ['status', 'estimate', 'sprints', 'releases', 'flagged', 'labels'] as const;

/** One item with no change before its creation and its timelines sorted by time (ties keep their order). */
function orderedItem(item: WorkItem, label: string): WorkItem {
  const created = parseInstant(item.createdAt);
  const sorted: Record<string, unknown> = {};
  for (const field of TIMELINES) {
    const tl = item[field] as readonly { at: string }[];
    const times = tl.map((c) => parseInstant(c.at));
    times.forEach((t, j) => {
      if (t < created) {
        throw new SnapshotError(
          `${label}.${field}[${j}]: a change at ${tl[j]!.at} is before the item was created (${item.createdAt}); fix the item's createdAt or drop the change`,
        );
      }
    });
    const ordered = times.every((t, j) => j === 0 || times[j - 1]! <= t);
    sorted[field] = ordered
      ? tl
      : tl
          .map((c, j) => ({ c, t: times[j]!, j }))
          .sort((a, b) => a.t - b.t || a.j - b.j)
          .map((x) => x.c);
  }
  return { ...item, ...sorted } as typeof item;
}

function checkUniqueId(item: WorkItem, i: number, seen: Set<string>): void {
  if (seen.has(item.id)) throw new SnapshotError(`items[${i}] (${item.key}): the id ${item.id} appears twice`);
  seen.add(item.id);
}

function checkUniqueItemIds(items: readonly WorkItem[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => checkUniqueId(item, i, seen));
}

/** What a snapshot must agree on beyond its items: unique sprint and release ids, sprint dates in order, done columns among the columns. */
function checkConsistency(s: Snapshot): Snapshot {
  const sprintIds = new Set<string>();
  s.sprints.forEach((sp, i) => {
    if (sprintIds.has(sp.id)) throw new SnapshotError(`sprints[${i}] (${sp.name}): the sprint id ${sp.id} appears twice`);
    sprintIds.add(sp.id);
    if (sp.startAt && sp.closedAt && parseInstant(sp.closedAt) < parseInstant(sp.startAt)) {
      throw new SnapshotError(`sprints[${i}] (${sp.name}): closedAt ${sp.closedAt} is before startAt ${sp.startAt}`);
    }
    if (sp.startAt && sp.plannedEndAt && parseInstant(sp.plannedEndAt) < parseInstant(sp.startAt)) {
      throw new SnapshotError(`sprints[${i}] (${sp.name}): plannedEndAt ${sp.plannedEndAt} is before startAt ${sp.startAt}`);
    }
  });
  const releaseIds = new Set<string>();
  s.releases.forEach((r, i) => {
    if (releaseIds.has(r.id)) throw new SnapshotError(`releases[${i}] (${r.name}): the release id ${r.id} appears twice`);
    releaseIds.add(r.id);
  });
  const { columns, doneColumns } = s.team;
  if (columns && doneColumns) {
    const unknown = doneColumns.filter((c) => !columns.includes(c));
    if (unknown.length) {
      throw new SnapshotError(`team.doneColumns: ${unknown.join(', ')} is not one of the board's columns (${columns.join(', ')})`);
    }
  }
  return s;
}
