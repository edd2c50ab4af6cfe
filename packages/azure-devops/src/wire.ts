import { instantField, optionalDateField, optionalInstantField } from '@agile-kpi/tracker-client';
import { z } from 'zod';

/**
 * The parts of Azure DevOps' REST answers the adapter relies on (api-version 7.1), checked at the edge.
 * Objects are loose: unknown fields never break a sync. Lists of records (work items, revisions, iterations)
 * are checked as envelopes only; each record is then read on its own with its record schema, and one that
 * cannot be read is skipped with a warning naming it. Every instant goes through the one timestamp reader
 * (`instantField`: 0 to 7 fractional digits, any offset, epoch ms), every iteration date through
 * `optionalDateField` (midnight UTC, read as the date). Evidence for each field: packages/testkit/src/azure-devops/README.md.
 */
const str = z.string();

/** `{ count, value: [...] }` (some published examples say `values`). */
function list<T extends z.ZodType>(item: T) {
  return z
    .looseObject({ value: z.array(item).optional(), values: z.array(item).optional() })
    .refine((o) => o.value !== undefined || o.values !== undefined, { message: 'no "value" list', path: ['value'] })
    .transform((o) => o.value ?? o.values ?? []);
}

/** A list whose records are read one by one (see `readRecord`): only the envelope is checked here. */
const records = () => list(z.unknown());

/** Team settings; `_links.team.href` names the team they belong to (the default team, when none was asked for). */
export const teamSettingsSchema = z.looseObject({
  backlogIteration: z.looseObject({ id: str.optional(), name: str.optional(), path: str.optional() }).optional(),
  bugsBehavior: str.optional(),
  workingDays: z.array(str).optional(),
  _links: z.looseObject({ team: z.looseObject({ href: str }).optional() }).optional(),
});

export const teamFieldValuesSchema = z.looseObject({
  field: z.looseObject({ referenceName: str }).optional(),
  defaultValue: str.optional(),
  values: z.array(z.looseObject({ value: str, includeChildren: z.boolean().optional() })),
});

/** A team iteration; its dates are dates (midnight UTC on the wire), absent while unscheduled. */
export const iterationSchema = z.looseObject({
  id: str,
  name: str,
  path: str.optional(),
  attributes: z.looseObject({ startDate: optionalDateField, finishDate: optionalDateField, timeFrame: z.union([str, z.number()]).optional() }).optional(),
});
export type AdoIteration = z.output<typeof iterationSchema>;
export const iterationsSchema = records();

export const workItemTypeSchema = z.looseObject({
  name: str,
  referenceName: str.optional(),
  isDisabled: z.boolean().optional(),
  fields: z.array(z.looseObject({ referenceName: str, name: str.optional() })).optional(),
});
export const workItemTypesSchema = list(workItemTypeSchema);

export const statesSchema = list(z.looseObject({ name: str, category: str }));

/** An iteration node as the tree sends it; its dates are read node by node (`iterationDatesSchema`). */
export interface ClassificationNode {
  readonly identifier?: string;
  readonly name: string;
  readonly path?: string;
  readonly attributes?: { readonly startDate?: unknown; readonly finishDate?: unknown };
  readonly children?: readonly ClassificationNode[];
}
export const classificationNodeSchema: z.ZodType<ClassificationNode> = z.lazy(() =>
  z.looseObject({
    identifier: str.optional(),
    name: str,
    path: str.optional(),
    attributes: z.looseObject({ startDate: z.unknown().optional(), finishDate: z.unknown().optional() }).optional(),
    children: z.array(classificationNodeSchema).optional(),
  }),
);
/** An iteration node's dates. */
export const iterationDatesSchema = z.looseObject({ startDate: optionalDateField, finishDate: optionalDateField });

export const wiqlResultSchema = z.looseObject({ workItems: z.array(z.unknown()) });
/** One WIQL result row. */
export const wiqlRowSchema = z.looseObject({ id: z.number().int() });

/** The instants of a work item the adapter reads, wherever they appear. */
const timestamps = {
  'System.CreatedDate': optionalInstantField,
  'System.ChangedDate': optionalInstantField,
  'Microsoft.VSTS.Common.ClosedDate': optionalInstantField,
};

/** A work item's current fields (workitemsbatch); `null` in the list is an item deleted since the query. */
export const workItemSchema = z.looseObject({ id: z.number().int(), rev: z.number().optional(), fields: z.looseObject(timestamps) });
export type AdoWorkItem = z.output<typeof workItemSchema>;
export const workItemsBatchSchema = records();

/**
 * One revision: the fields that have a value after the change (reporting revisions and per-item revisions; an
 * empty field is left out). Its `System.ChangedDate` is when the change happened.
 */
export const revisionSchema = z.looseObject({ id: z.number().int(), rev: z.number().int(), fields: z.looseObject({ ...timestamps, 'System.ChangedDate': instantField }) });
export type AdoRevision = z.output<typeof revisionSchema>;

export const reportingBatchSchema = z.looseObject({
  values: z.array(z.unknown()),
  continuationToken: str.nullable().optional(),
  nextLink: str.nullable().optional(),
  isLastBatch: z.boolean().optional(),
});

export const revisionsPageSchema = records();
