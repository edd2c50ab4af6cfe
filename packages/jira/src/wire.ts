import { z } from 'zod';

/**
 * The parts of Jira Cloud's REST answers the adapter relies on, checked at the edge. Objects are loose:
 * Jira adds fields all the time, and an unknown extra field must never break a sync. Only what we read is
 * required; a missing one becomes an "unexpected shape" error naming the field.
 */

const str = z.string();
const nullableStr = z.string().nullable().optional();

export const myselfSchema = z.looseObject({
  accountId: str.optional(),
  emailAddress: str.optional(),
  displayName: str.optional(),
  timeZone: str.optional(),
});

export const boardSchema = z.looseObject({
  id: z.number(),
  name: str,
  type: str,
  location: z.looseObject({ projectKey: str.optional(), projectId: z.union([z.number(), str]).optional(), projectName: str.optional() }).optional(),
});

export const boardConfigurationSchema = z.looseObject({
  id: z.number(),
  name: str,
  filter: z.looseObject({ id: z.union([str, z.number()]).transform(String) }),
  columnConfig: z.looseObject({
    columns: z.array(z.looseObject({ name: str, statuses: z.array(z.looseObject({ id: z.union([str, z.number()]).transform(String) })) })),
  }),
  estimation: z.looseObject({ type: str, field: z.looseObject({ fieldId: str, displayName: str.optional() }).optional() }).optional(),
  ranking: z.looseObject({ rankCustomFieldId: z.number().optional() }).optional(),
});

export const filterSchema = z.looseObject({ id: z.union([str, z.number()]).transform(String), jql: str });

export const fieldsSchema = z.array(
  z.looseObject({
    id: str,
    name: str,
    custom: z.boolean().optional(),
    schema: z.looseObject({ type: str.optional(), custom: str.optional(), items: str.optional() }).optional(),
  }),
);

export const statusesSchema = z.array(
  z.looseObject({ id: z.union([str, z.number()]).transform(String), name: str, statusCategory: z.looseObject({ key: str }) }),
);

export const issueTypesSchema = z.array(
  z.looseObject({ id: z.union([str, z.number()]).transform(String), name: str, subtask: z.boolean(), hierarchyLevel: z.number().optional() }),
);

export const sprintSchema = z.looseObject({
  id: z.number(),
  state: str,
  name: str,
  startDate: str.optional(),
  endDate: str.optional(),
  completeDate: str.optional(),
  goal: nullableStr,
  originBoardId: z.number().optional(),
});
export type JiraSprint = z.output<typeof sprintSchema>;

export const sprintPageSchema = z.looseObject({
  isLast: z.boolean().optional(),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  values: z.array(sprintSchema),
});

export const versionSchema = z.looseObject({
  id: z.union([str, z.number()]).transform(String),
  name: str,
  released: z.boolean().optional(),
  archived: z.boolean().optional(),
  startDate: str.optional(),
  releaseDate: str.optional(),
  projectId: z.union([z.number(), str]).optional(),
});
export type JiraVersion = z.output<typeof versionSchema>;

export const versionPageSchema = z.looseObject({
  isLast: z.boolean().optional(),
  startAt: z.number().optional(),
  total: z.number().optional(),
  values: z.array(versionSchema),
});

export const searchPageSchema = z.looseObject({
  issues: z.array(z.looseObject({ id: z.union([str, z.number()]).transform(String), key: str.optional(), fields: z.record(str, z.unknown()).optional() })),
  isLast: z.boolean().optional(),
  nextPageToken: str.optional(),
});

export const changeItemSchema = z.looseObject({
  field: str,
  fieldId: str.optional(),
  fieldtype: str.optional(),
  from: z.string().nullable().optional(),
  fromString: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  toString: z.string().nullable().optional(),
});
export type JiraChangeItem = z.output<typeof changeItemSchema>;

export const historySchema = z.looseObject({
  id: z.union([str, z.number()]).transform(String),
  created: str,
  items: z.array(changeItemSchema),
});
export type JiraHistory = z.output<typeof historySchema>;

export const bulkChangelogSchema = z.looseObject({
  issueChangeLogs: z.array(z.looseObject({ issueId: z.union([str, z.number()]).transform(String), changeHistories: z.array(historySchema) })),
  nextPageToken: str.nullable().optional(),
});

export const issueChangelogPageSchema = z.looseObject({
  values: z.array(historySchema),
  isLast: z.boolean().optional(),
  total: z.number().optional(),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
});

export const velocityReportSchema = z.looseObject({
  sprints: z.array(z.looseObject({ id: z.number(), name: str, state: str.optional() })),
  velocityStatEntries: z.record(
    str,
    z.looseObject({
      estimated: z.looseObject({ value: z.number() }),
      completed: z.looseObject({ value: z.number() }),
    }),
  ),
});
export type JiraVelocityReport = z.output<typeof velocityReportSchema>;
