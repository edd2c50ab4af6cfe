import { AdoError } from './ado-error';
import type { AdoClient } from './ado-client';
import type { TeamContext } from './discover-team';
import { ROUTES } from './routes';
import { type AdoRevision, type AdoWorkItem, reportingBatchSchema, revisionsPageSchema, wiqlResultSchema, workItemsBatchSchema } from './wire';

/** WIQL answers at most 20 000 work items (VS402337): ids are read in windows below that. */
export const WIQL_WINDOW = 19_999;
/** workitemsbatch takes at most 200 ids (VS403474). */
export const BATCH_SIZE = 200;

/** A WIQL string literal. */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Ids of the team's work items: WIQL scoped to the team's area paths, read in id windows of under 20 000
 * (`[System.Id] > last ORDER BY [System.Id]` with `$top`), so no board is too big for the cap. Returns the
 * ids and the server's Date of the first answer (the watermark's clock).
 */
export async function collectTeamIds(client: AdoClient, ctx: TeamContext, window = WIQL_WINDOW): Promise<{ ids: number[]; serverDate?: string }> {
  if (ctx.areaPaths.length === 0) throw new AdoError('bad-request', `team ${ctx.team} has no area paths: in Azure DevOps, set the team's areas (Project settings > Team configuration > Areas)`);
  const areas = ctx.areaPaths.map((a) => `[System.AreaPath] ${a.includeChildren ? 'UNDER' : '='} ${lit(a.value)}`).join(' OR ');
  const ids: number[] = [];
  let serverDate: string | undefined;
  for (let last = 0; ; ) {
    const query = `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND (${areas}) AND [System.Id] > ${last} ORDER BY [System.Id]`;
    const { body, response } = await client.call(ROUTES.wiql, { project: ctx.project, team: ctx.team }, wiqlResultSchema, { body: { query }, query: { $top: window } });
    serverDate ??= response.headers['date'];
    ids.push(...body.workItems.map((w) => w.id));
    if (body.workItems.length < window) return { ids, ...(serverDate ? { serverDate } : {}) };
    last = body.workItems[body.workItems.length - 1]!.id;
  }
}

/** Current fields of work items through workitemsbatch, 200 ids per call. */
export async function collectCurrent(client: AdoClient, project: string, ids: readonly number[], fields: readonly string[]): Promise<AdoWorkItem[]> {
  const out: AdoWorkItem[] = [];
  for (let i = 0; i < ids.length; i += BATCH_SIZE) {
    const { body } = await client.call(ROUTES.workItemsBatch, { project }, workItemsBatchSchema, { body: { ids: ids.slice(i, i + BATCH_SIZE), fields, errorPolicy: 'omit' } });
    out.push(...body.filter((w) => w && typeof w.id === 'number'));
  }
  return out;
}

/**
 * Revisions of the project since a continuation token (all of them without one) through the reporting
 * revisions API: full field snapshots, in batches, until `isLastBatch`. The last token is the watermark of
 * the next incremental read.
 */
export async function collectRevisionsSince(
  client: AdoClient,
  project: string,
  token: string | undefined,
  fields: readonly string[],
  onBatch: (revisions: AdoRevision[]) => void,
): Promise<string | undefined> {
  let next = token;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const { body } = await client.call(ROUTES.reportingRevisions, { project }, reportingBatchSchema, {
      method: 'POST',
      body: { fields, includeDeleted: false, includeIdentityRef: false },
      query: { ...(next ? { continuationToken: next } : {}) },
    });
    onBatch(body.values);
    const fromLink = body.nextLink ? new URL(body.nextLink).searchParams.get('continuationToken') ?? undefined : undefined;
    const following = body.continuationToken ?? fromLink ?? next;
    if (body.isLastBatch !== false || following === next) return following ?? undefined;
    next = following;
  }
  throw new AdoError('unexpected-shape', `the revision feed of ${client.site} never reached its last batch`);
}

/** One work item's revisions, paged. */
export async function collectItemRevisions(client: AdoClient, project: string, id: number): Promise<AdoRevision[]> {
  const out: AdoRevision[] = [];
  for (let skip = 0; ; ) {
    const { body } = await client.call(ROUTES.revisions, { project, id }, revisionsPageSchema, { query: { $top: 200, $skip: skip }, what: `read work item ${id}'s revisions` });
    out.push(...body);
    skip += body.length;
    if (body.length < 200) return out;
  }
}
