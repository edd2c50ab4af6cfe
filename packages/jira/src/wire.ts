import { instantField, optionalDateField, optionalInstantField } from '@agile-kpi/tracker-client';
import { z } from 'zod';

/**
 * The parts of Jira Cloud's REST answers the adapter relies on, checked at the edge. Objects are loose:
 * Jira adds fields all the time, and an unknown extra field must never break a sync. Two levels: an answer's
 * envelope (the `issues`, `values`, `issueChangeLogs` array) must be there, else the answer is an "unexpected
 * shape" error naming the field; each record in it (an issue, a history, a sprint, a version) is read on its
 * own with a record schema, and one that cannot be read is skipped with a warning naming it. Every instant
 * goes through the one timestamp reader (`instantField`: ISO with any offset, epoch milliseconds), every
 * date through `optionalDateField`. The evidence for each field is in packages/testkit/src/jira/README.md.
 */

/** Ids come as numbers in the agile API and as strings in the platform API. */
const anyId = z.union([z.string(), z.number()]).transform(String);

const str = z.string();
const nullableStr = z.string().nullable().optional();

/** `emailAddress` and `timeZone` are null when the user's privacy settings hide them. */
export const myselfSchema = z.looseObject({
  accountId: str.optional(),
  emailAddress: nullableStr,
  displayName: nullableStr,
  timeZone: nullableStr,
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
  filter: z.looseObject({ id: anyId }),
  columnConfig: z.looseObject({
    columns: z.array(z.looseObject({ name: str, statuses: z.array(z.looseObject({ id: anyId })) })),
  }),
  estimation: z.looseObject({ type: str, field: z.looseObject({ fieldId: str, displayName: str.optional() }).optional() }).optional(),
  ranking: z.looseObject({ rankCustomFieldId: z.number().optional() }).optional(),
});

export const filterSchema = z.looseObject({ id: anyId, jql: str });

export const fieldsSchema = z.array(
  z.looseObject({
    id: str,
    name: str,
    custom: z.boolean().optional(),
    schema: z.looseObject({ type: str.optional(), custom: str.optional(), items: str.optional() }).optional(),
  }),
);

export const statusesSchema = z.array(
  z.looseObject({ id: anyId, name: str, statusCategory: z.looseObject({ key: str }) }),
);

export const issueTypesSchema = z.array(
  z.looseObject({ id: anyId, name: str, untranslatedName: str.optional(), subtask: z.boolean(), hierarchyLevel: z.number().optional() }),
);

export const sprintSchema = z.looseObject({
  id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number),
  state: str,
  name: str,
  startDate: optionalInstantField,
  endDate: optionalInstantField,
  completeDate: optionalInstantField,
  goal: nullableStr,
  // Not read; only checked so that a null there never skips a sprint.
  originBoardId: z.number().nullish(),
});
export type JiraSprint = z.output<typeof sprintSchema>;

export const sprintPageSchema = z.looseObject({
  isLast: z.boolean().optional(),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  values: z.array(z.unknown()),
});

export const versionSchema = z.looseObject({
  id: anyId,
  name: str,
  released: z.boolean().nullish(),
  archived: z.boolean().nullish(),
  startDate: optionalDateField,
  releaseDate: optionalDateField,
  projectId: z.union([z.number(), str]).optional(),
});
export type JiraVersion = z.output<typeof versionSchema>;

export const versionPageSchema = z.looseObject({
  isLast: z.boolean().optional(),
  startAt: z.number().optional(),
  total: z.number().optional(),
  values: z.array(z.unknown()),
});

export const searchPageSchema = z.looseObject({
  issues: z.array(z.unknown()),
  isLast: z.boolean().optional(),
  nextPageToken: str.nullable().optional(),
});

/** `POST /rest/api/3/search/approximate-count`: `{ "count": 48556 }`, an estimate (recent changes may be missing). */
export const issueCountSchema = z.looseObject({ count: z.number().int().nonnegative() });

/** An issue from an id-only search page. */
export const issueIdSchema = z.looseObject({ id: anyId, key: str.optional() });

/** An issue with the fields the mapping reads; its instants read (and kept) as ISO. */
export const issueSchema = z.looseObject({
  id: anyId,
  key: str.optional(),
  fields: z.looseObject({ created: instantField, updated: instantField, resolutiondate: optionalInstantField }),
});

/** `from`/`to` hold ids as strings; a number is read as its string. */
const changeValue = z.union([z.string(), z.number().transform(String)]).nullable().optional();

export const changeItemSchema = z.looseObject({
  field: str,
  fieldId: str.optional(),
  fieldtype: str.optional(),
  from: changeValue,
  fromString: changeValue,
  to: changeValue,
  toString: changeValue,
});
export type JiraChangeItem = z.output<typeof changeItemSchema>;

/** One history: `created` is an ISO string from search and `/issue/{key}/changelog`, epoch ms from bulkfetch. */
export const historySchema = z.looseObject({
  id: anyId,
  created: instantField,
  items: z.array(changeItemSchema),
});
export type JiraHistory = z.output<typeof historySchema>;

export const bulkChangelogSchema = z.looseObject({
  issueChangeLogs: z.array(z.looseObject({ issueId: anyId, changeHistories: z.array(z.unknown()) })),
  nextPageToken: str.nullable().optional(),
});

export const issueChangelogPageSchema = z.looseObject({
  values: z.array(z.unknown()),
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
