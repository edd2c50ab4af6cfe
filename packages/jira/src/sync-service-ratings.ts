import { type DataWarning, type ResponseRecord, WarningSink, quoteRaw, readInstant } from '@agile-kpi/core';
import { z } from 'zod';
import { searchIssues } from './collect';
import type { JiraClient } from './jira-client';
import { JiraError } from './jira-error';
import { jqlInstant } from './sync-board';
import { fieldsSchema, myselfSchema } from './wire';

/**
 * Customer satisfaction ratings from Jira Service Management, read as outcome records of kind `csat`.
 *
 * Why the JQL search and not the request feedback endpoint: `GET /rest/servicedeskapi/request/{issueIdOrKey}/feedback`
 * answers for one request a call, so 10 000 rated requests cost 10 000 calls (and every sync would have to ask again
 * for each request, since the endpoint has no "changed since"). The rating also lives on the request itself, in the
 * Satisfaction custom field (`com.atlassian.servicedesk:sd-request-feedback`, value `{ self, rating }`) with its
 * Satisfaction date (`…:sd-request-feedback-date`): one `POST /rest/api/3/search/jql` over
 * `project in (…) AND cf[N] is not EMPTY AND updated >= …` reads 100 rated requests a page, and only those changed
 * since the last sync. It needs `read:jira-work` (which the app has for the board sync), not the Service Management
 * scopes. The fields are found in `/rest/api/3/field` by their `schema.custom` type (ids differ per site), and named
 * in JQL by `cf[<id>]`, which, unlike the name "Satisfaction", is the same in every site language.
 */

/** The two custom field types JSM adds (ids differ per site). */
export const SATISFACTION_FIELD_TYPES = {
  satisfaction: 'com.atlassian.servicedesk:sd-request-feedback',
  satisfactionDate: 'com.atlassian.servicedesk:sd-request-feedback-date',
} as const;

/** The storage the ratings sync needs: the board scope's state and its outcome records. */
export interface RatingsStorePort {
  getState<T = unknown>(name: string): T | undefined | Promise<T | undefined>;
  setState(name: string, value: unknown): void | Promise<void>;
  /** Adds new ids, replaces changed ones, leaves equal ones; returns how many were added or replaced. */
  putOutcomes(rows: readonly { readonly kind: string; readonly id: string; readonly body: unknown }[]): number | Promise<number>;
  listOutcomes(kinds?: readonly string[]): readonly { readonly id: string }[] | Promise<readonly { readonly id: string }[]>;
  /** Removes these records of a kind; returns how many there were. */
  deleteOutcomes(kind: string, ids: readonly string[]): number | Promise<number>;
}

export interface RatingsSyncState {
  /** JQL instant (server clock, minus the overlap) from which the next sync asks for changed requests. */
  readonly watermark: string;
  /** The service projects read (sorted): another set reads everything again. */
  readonly projectKeys: readonly string[];
  readonly lastSyncAt: string;
  readonly lastMode: 'full' | 'incremental';
  readonly warnings?: readonly DataWarning[];
}

export interface RatingsSyncOptions {
  /** Keys of the service projects whose ratings the team reads (`SUP`, `HELP`). */
  readonly projectKeys: readonly string[];
  /** Ignore the watermark and read every rated request again. */
  readonly full?: boolean;
  /** Minutes re-read before the watermark, against clock skew and in-flight edits (default 5). */
  readonly overlapMinutes?: number;
  readonly pageSize?: number;
}

export interface RatingsSyncResult {
  readonly mode: 'full' | 'incremental';
  /** Rated requests the search returned (changed since the watermark, or all). */
  readonly requestsRead: number;
  /** Outcome records added or replaced (0 when nothing changed). */
  readonly recordsChanged: number;
  /**
   * Ratings removed: of requests no longer rated in these projects (deleted, moved, the rating cleared, or a project
   * no longer named) and of requests read again that could not be (left out, as a first sync leaves them out).
   */
  readonly recordsRemoved: number;
  /** Requests left out: a rating or date that could not be read (each has a warning). */
  readonly skipped: number;
  readonly watermark: string;
  readonly warnings: readonly DataWarning[];
}

/** A Jira project key as Jira allows it: a letter, then letters, digits or `_` (upper case). */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]*$/;

/**
 * Service project keys as a person types them (`"SUP, help"`): upper-cased, each once, in the order typed; an empty
 * list when nothing is typed. Undefined when any is not a project key, so each surface words the refusal its way
 * (a flag, a settings field).
 */
export function serviceProjectKeys(raw: string | readonly string[]): string[] | undefined {
  const typed = typeof raw === 'string' ? raw.split(',') : raw;
  const keys = [...new Set(typed.map((k) => k.trim().toUpperCase()).filter(Boolean))];
  return keys.every((k) => PROJECT_KEY.test(k)) ? keys : undefined;
}

export interface NamedRatingsOptions {
  /**
   * The service projects named now (as typed, in that order): absent, those the last sync of this store read; an
   * empty list stops reading ratings (the ratings read stay: they are the team's data).
   */
  readonly named?: readonly string[];
  readonly full?: boolean;
  /** Called once the projects to read are known, before the first request. */
  readonly onStart?: (projectKeys: readonly string[]) => void;
}

/**
 * The ratings sync every surface runs after a board's sync: the service projects named now, or those its last sync
 * read (a store remembers them in its {@link RATINGS_SYNC_STATE}), read by {@link syncServiceRatings}. Undefined when
 * there are none to read (never named, or named empty: then the memory goes too). The CLI names them with
 * `--service-projects`, the Forge app with its gadget's setting.
 */
export async function syncNamedServiceRatings(
  client: JiraClient,
  store: RatingsStorePort,
  options: NamedRatingsOptions,
): Promise<(RatingsSyncResult & { readonly projectKeys: readonly string[] }) | undefined> {
  const previous = await store.getState<RatingsSyncState>(STATE);
  if (options.named?.length === 0) {
    if (previous) await store.setState(STATE, undefined);
    return undefined;
  }
  const projectKeys = options.named ?? previous?.projectKeys;
  if (!projectKeys?.length) return undefined;
  options.onStart?.(projectKeys);
  const result = await syncServiceRatings(client, store, { projectKeys, ...(options.full ? { full: true } : {}) });
  return { ...result, projectKeys };
}

/** The sync state's name in the store: it also remembers which service projects the board's team reads. */
export const RATINGS_SYNC_STATE = 'jsm-ratings-sync';
const STATE = RATINGS_SYNC_STATE;

/** A rating as an outcome record: a `csat` response with its stable id. */
export type RatingRecord = ResponseRecord & { readonly id: string };

const projectSchema = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), key: z.string(), projectTypeKey: z.string().optional() });

/**
 * Syncs the satisfaction ratings of some service projects into the store as `csat` outcome records, one per request
 * (`jsm:request:<KEY>`: a rating changed later replaces its record). The first sync reads every rated request;
 * later ones only those updated since the last (a new or changed rating moves a request's `updated`). A rating out
 * of 1..5 or one without any date is a warning naming the request, and the request is left out; a rating without
 * its Satisfaction date is dated by the request's resolution, with a warning.
 */
export async function syncServiceRatings(client: JiraClient, store: RatingsStorePort, options: RatingsSyncOptions): Promise<RatingsSyncResult> {
  const keys = [...new Set(options.projectKeys.map((k) => k.trim().toUpperCase()).filter(Boolean))].sort();
  if (keys.length === 0) throw new RangeError('name at least one service project key, e.g. SUP');
  for (const k of keys) if (!PROJECT_KEY.test(k)) throw new RangeError(`'${k}' is not a Jira project key (letters, digits and _, starting with a letter)`);
  const sink = new WarningSink();
  const [myself, fields] = await Promise.all([
    client.get('/rest/api/3/myself', undefined, 'read the API user (myself)', myselfSchema),
    client.get('/rest/api/3/field', undefined, 'list the fields', fieldsSchema),
  ]);
  const byType = (type: string) => fields.body.find((f) => f.schema?.custom === type)?.id;
  const satisfaction = byType(SATISFACTION_FIELD_TYPES.satisfaction);
  const satisfactionDate = byType(SATISFACTION_FIELD_TYPES.satisfactionDate);
  if (!satisfaction) {
    throw new JiraError('unexpected-shape', `no Satisfaction field (${SATISFACTION_FIELD_TYPES.satisfaction}) is visible at ${client.site}: is Jira Service Management on this site, with customer satisfaction turned on?`);
  }
  for (const problem of notServiceProjects(await readProjects(client, keys))) sink.add({ code: 'not-a-service-project', message: problem });

  const previous = await store.getState<RatingsSyncState>(STATE);
  const incremental = !options.full && previous !== undefined && previous.projectKeys.join(',') === keys.join(',');
  const zone = myself.body.timeZone ?? 'UTC';
  const rated = `project in (${keys.map((k) => `"${k}"`).join(', ')}) AND ${clause(satisfaction)} is not EMPTY`;
  const jql = incremental ? `${rated} AND updated >= "${jqlInstant(previous!.watermark, zone)}" ORDER BY updated ASC` : `${rated} ORDER BY id ASC`;
  const wanted = ['created', 'updated', 'resolutiondate', satisfaction, ...(satisfactionDate ? [satisfactionDate] : [])];
  const records: RatingRecord[] = [];
  // Requests read whose rating could not be: their earlier record goes too (a first sync leaves them out).
  const leftOut: string[] = [];
  let serverStart: string | undefined;
  let skipped = 0;
  const requestsRead = await searchIssues(client, { jql, fields: wanted, what: `search the rated requests of ${keys.join(', ')}`, ...(options.pageSize ? { pageSize: options.pageSize } : {}) }, (issues, date, unreadable) => {
    serverStart ??= date;
    for (const s of unreadable) {
      skipped++;
      sink.add(s.warning);
      if (s.warning.itemKey) leftOut.push(ratingId(s.warning.itemKey));
    }
    for (const issue of issues) {
      const r = ratingRecord(client.site, issue, satisfaction, satisfactionDate);
      for (const w of r.warnings) sink.add(w);
      if (r.record) records.push(r.record);
      else {
        skipped++;
        leftOut.push(ratingId(issue.key));
      }
    }
  });

  const recordsChanged = await store.putOutcomes(records.map((r) => ({ kind: r.kind, id: r.id, body: r })));
  const recordsRemoved = await removeGoneRatings(client, store, { rated, incremental, read: records.map((r) => r.id), leftOut });
  const takenAt = serverStart ? new Date(serverStart).toISOString() : new Date().toISOString();
  const watermark = new Date(Date.parse(takenAt) - (options.overlapMinutes ?? 5) * 60_000).toISOString();
  const state: RatingsSyncState = { watermark, projectKeys: keys, lastSyncAt: takenAt, lastMode: incremental ? 'incremental' : 'full', warnings: sink.list };
  await store.setState(STATE, state);
  return { mode: incremental ? 'incremental' : 'full', requestsRead, recordsChanged, recordsRemoved, skipped, watermark, warnings: sink.list };
}

/**
 * The projects these keys name, with their type (`GET /rest/api/3/project/{key}`, one request each): a key Jira does
 * not know, or whose project the API user cannot browse, is a not-found error that names it.
 */
export async function readProjects(client: JiraClient, keys: readonly string[]): Promise<{ readonly key: string; readonly projectTypeKey?: string }[]> {
  const out: { key: string; projectTypeKey?: string }[] = [];
  for (const key of keys) {
    try {
      const { body } = await client.get(`/rest/api/3/project/${encodeURIComponent(key)}`, undefined, `read project ${key}`, projectSchema);
      out.push({ key, ...(body.projectTypeKey !== undefined ? { projectTypeKey: body.projectTypeKey } : {}) });
    } catch (err) {
      if (err instanceof JiraError && err.kind === 'not-found') throw new JiraError('not-found', `project ${key} does not exist at ${client.site}, or the API user cannot browse it: check the service project keys`);
      throw err;
    }
  }
  return out;
}

/** One sentence per project that is not a service project (it has no satisfaction ratings); a project of unknown type passes. */
export function notServiceProjects(projects: readonly { readonly key: string; readonly projectTypeKey?: string }[]): string[] {
  return projects
    .filter((p) => p.projectTypeKey !== undefined && p.projectTypeKey !== 'service_desk')
    .map((p) => `project ${p.key} is a ${p.projectTypeKey} project, not a service project: it has no satisfaction ratings`);
}

const ratingId = (key: string) => `jsm:request:${key}`;

/**
 * Jira reports no deletions: a rating whose request was deleted, moved out of the projects or had its rating cleared
 * is found only by its absence. A full sync has read every rated request; an incremental one lists their keys (one
 * request per 5 000 rated requests, and only when the store has ratings to lose). A listing that does not name
 * every request's key removes nothing.
 */
async function removeGoneRatings(
  client: JiraClient,
  store: RatingsStorePort,
  run: { readonly rated: string; readonly incremental: boolean; readonly read: readonly string[]; readonly leftOut: readonly string[] },
): Promise<number> {
  const stored = (await store.listOutcomes(['csat'])).map((r) => r.id).filter((id) => id.startsWith('jsm:request:'));
  if (stored.length === 0) return 0;
  let current: Set<string> | undefined = new Set(run.read);
  if (run.incremental) {
    current = new Set();
    await searchIssues(client, { jql: `${run.rated} ORDER BY id ASC`, fields: ['key'], what: 'list the rated requests' }, (issues) => {
      for (const i of issues) {
        if (i.key === i.id) current = undefined; // no key in the answer: cannot tell which record is whose
        current?.add(ratingId(i.key));
      }
    });
  }
  const left = new Set(run.leftOut);
  const gone = stored.filter((id) => left.has(id) || (current !== undefined && !current.has(id)));
  return gone.length ? store.deleteOutcomes('csat', gone) : 0;
}

/** `cf[10205]` for `customfield_10205`: the clause name JQL gives every custom field, whatever the site's language. */
function clause(fieldId: string): string {
  const m = /^customfield_(\d+)$/.exec(fieldId);
  return m ? `cf[${m[1]}]` : `"${fieldId}"`;
}

/**
 * One rated request as a `csat` record: the rating from the Satisfaction field (`{ rating }`; a bare number is read
 * too), dated by the Satisfaction date, else by the resolution (with a warning); nothing readable: left out, with a
 * warning naming the request.
 */
export function ratingRecord(
  site: string,
  issue: { readonly id: string; readonly key: string; readonly fields: Readonly<Record<string, unknown>> },
  satisfactionField: string,
  satisfactionDateField: string | undefined,
): { record?: RatingRecord; warnings: DataWarning[] } {
  const raw = issue.fields[satisfactionField];
  const value = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>)['rating'] : raw;
  const ids = { itemKey: issue.key };
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5) {
    return { warnings: [{ code: 'unreadable-rating', message: `request ${issue.key} left out: its satisfaction rating ${quoteRaw(raw)} is not a whole number from 1 to 5`, ...ids }] };
  }
  const warnings: DataWarning[] = [];
  const ratedRaw = satisfactionDateField ? issue.fields[satisfactionDateField] : undefined;
  let at = ratedRaw === undefined || ratedRaw === null || ratedRaw === '' ? undefined : readInstant(ratedRaw);
  if (at === undefined) {
    const resolved = issue.fields['resolutiondate'];
    at = resolved === undefined || resolved === null ? undefined : readInstant(resolved);
    const said = ratedRaw === undefined || ratedRaw === null || ratedRaw === '' ? 'has no satisfaction date' : `has a satisfaction date ${quoteRaw(ratedRaw)} that is not a timestamp`;
    if (at === undefined) return { warnings: [{ code: 'rating-without-date', message: `request ${issue.key} left out: its rating ${value} ${said} and no resolution date`, ...ids }] };
    warnings.push({ code: 'rating-dated-by-resolution', message: `request ${issue.key} ${said}: its rating ${value} is dated by its resolution (${at})`, ...ids });
  }
  const record: RatingRecord = { id: `jsm:request:${issue.key}`, kind: 'csat', at, score: value, source: issue.key, url: `${site.replace(/\/+$/, '')}/browse/${encodeURIComponent(issue.key)}` };
  return { record, warnings };
}
