import { z } from 'zod';

/**
 * The parts of Azure DevOps' REST answers the adapter relies on (api-version 7.1), checked at the edge.
 * Objects are loose: unknown fields never break a sync.
 */
const str = z.string();

/** `{ count, value: [...] }` (some published examples say `values`). */
function list<T extends z.ZodType>(item: T) {
  return z
    .looseObject({ value: z.array(item).optional(), values: z.array(item).optional() })
    .transform((o) => o.value ?? o.values ?? []);
}

export const teamSettingsSchema = z.looseObject({
  backlogIteration: z.looseObject({ id: str.optional(), name: str.optional(), path: str.optional() }).optional(),
  bugsBehavior: str.optional(),
  workingDays: z.array(str).optional(),
});

export const teamFieldValuesSchema = z.looseObject({
  field: z.looseObject({ referenceName: str }).optional(),
  defaultValue: str.optional(),
  values: z.array(z.looseObject({ value: str, includeChildren: z.boolean().optional() })),
});

export const iterationSchema = z.looseObject({
  id: str,
  name: str,
  path: str.optional(),
  attributes: z
    .looseObject({ startDate: str.nullable().optional(), finishDate: str.nullable().optional(), timeFrame: z.union([str, z.number()]).optional() })
    .optional(),
});
export type AdoIteration = z.output<typeof iterationSchema>;
export const iterationsSchema = list(iterationSchema);

export const workItemTypeSchema = z.looseObject({
  name: str,
  referenceName: str.optional(),
  isDisabled: z.boolean().optional(),
  fields: z.array(z.looseObject({ referenceName: str, name: str.optional() })).optional(),
});
export const workItemTypesSchema = list(workItemTypeSchema);

export const statesSchema = list(z.looseObject({ name: str, category: str }));

export interface ClassificationNode {
  readonly identifier?: string;
  readonly name: string;
  readonly path?: string;
  readonly attributes?: { readonly startDate?: string | null; readonly finishDate?: string | null };
  readonly children?: readonly ClassificationNode[];
}
export const classificationNodeSchema: z.ZodType<ClassificationNode> = z.lazy(() =>
  z.looseObject({
    identifier: str.optional(),
    name: str,
    path: str.optional(),
    attributes: z.looseObject({ startDate: str.nullable().optional(), finishDate: str.nullable().optional() }).optional(),
    children: z.array(classificationNodeSchema).optional(),
  }),
);

export const wiqlResultSchema = z.looseObject({ workItems: z.array(z.looseObject({ id: z.number() })) });

export const workItemSchema = z.looseObject({ id: z.number(), rev: z.number().optional(), fields: z.record(str, z.unknown()) });
export type AdoWorkItem = z.output<typeof workItemSchema>;
export const workItemsBatchSchema = list(workItemSchema);

/** One revision: the full field set after the change (reporting revisions and per-item revisions). */
export const revisionSchema = z.looseObject({ id: z.number(), rev: z.number(), fields: z.record(str, z.unknown()) });
export type AdoRevision = z.output<typeof revisionSchema>;

export const reportingBatchSchema = z.looseObject({
  values: z.array(revisionSchema),
  continuationToken: str.nullable().optional(),
  nextLink: str.nullable().optional(),
  isLastBatch: z.boolean().optional(),
});

export const revisionsPageSchema = list(revisionSchema);
