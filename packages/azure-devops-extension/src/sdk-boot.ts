import type { IExtensionDataManager, IExtensionDataService, ILocationService, IVssRestClientOptions } from 'azure-devops-extension-api/Common';
import { WorkRestClient } from 'azure-devops-extension-api/Work';
import { WorkItemTrackingRestClient } from 'azure-devops-extension-api/WorkItemTracking';
import * as SDK from 'azure-devops-extension-sdk';
import type { AdoSurface } from './ado-host';
import { type ExtensionDataPort, statusOf } from './extension-data';
import { AppError } from '@agile-kpi/hosted-service';
import { type RawRequestParams, type RawResponse, type RawRestClient, TokenError, extensionApiTransport } from './rest-client-transport';
import { TeamService } from './team-service';
import { followHostTheme } from './theme';

/** Contribution ids of the host's services (`CommonServiceIds`, a const enum the bundler cannot inline). */
const LOCATION_SERVICE = 'ms.vss-features.location-service';
const EXTENSION_DATA_SERVICE = 'ms.vss-features.extension-data-service';

/** The Work Item Tracking REST client with `beginRequest` opened up for the adapter's transport. */
class RawWorkItemTrackingClient extends WorkItemTrackingRestClient implements RawRestClient {
  request(params: RawRequestParams): Promise<RawResponse> {
    return this.beginRequest<RawResponse>(params);
  }
}

/** The Work REST client (team settings, iterations, area paths), likewise. */
class RawWorkClient extends WorkRestClient implements RawRestClient {
  request(params: RawRequestParams): Promise<RawResponse> {
    return this.beginRequest<RawResponse>(params);
  }
}

export interface AdoPage {
  readonly surface: AdoSurface;
  /** The full id of the contribution this page was loaded for (`publisher.extension.contribution`). */
  readonly contributionId: string;
}

/**
 * Starts an extension page: follows the host's theme, registers the objects the host calls (a widget's
 * `load`/`reload`, a configuration's `load`/`onSave`) before the handshake so that no call can arrive first,
 * then `SDK.init({ loaded: false, applyTheme: true })` and `SDK.ready()`. Builds what every surface needs from
 * the host: the team from the web context, the REST clients rooted where the LocationService says the resource
 * areas live, the access token from `SDK.getAccessToken()` (asked for on every request: the SDK keeps it
 * fresh), and the extension data manager. The page calls `SDK.notifyLoadSucceeded()` once it has rendered.
 */
export async function bootAdo(objects: Readonly<Record<string, object>> = {}): Promise<AdoPage> {
  followHostTheme();
  for (const [id, object] of Object.entries(objects)) SDK.register(id, object);
  await SDK.init({ loaded: false, applyTheme: true });
  await SDK.ready();
  const contributionId = SDK.getContributionId();
  // The host looks the object up by the contribution's id; which form it uses is not documented: register both.
  for (const [id, object] of Object.entries(objects)) if (contributionId.endsWith(`.${id}`)) SDK.register(contributionId, object);

  const web = SDK.getWebContext();
  if (!web?.project?.id) throw new AppError('not-configured', 'this page has no project in its context: open it from a project’s Boards or dashboards');

  const location = await SDK.getService<ILocationService>(LOCATION_SERVICE);
  const [witRoot, workRoot] = (await Promise.all([location.getResourceAreaLocation(WorkItemTrackingRestClient.RESOURCE_AREA_ID), location.getResourceAreaLocation(WorkRestClient.RESOURCE_AREA_ID)])).map(
    (root) => root.replace(/\/*$/, '/'),
  ) as [string, string];

  const token = async (): Promise<string> => {
    let value: string | undefined;
    try {
      value = await SDK.getAccessToken();
    } catch (err) {
      throw new TokenError(messageOf(err), { cause: err });
    }
    if (!value) throw new TokenError('the host answered without a token');
    return value;
  };
  const options = (rootPath: string): IVssRestClientOptions => ({ rootPath, authTokenProvider: { getAuthorizationHeader: async () => `Bearer ${await token()}` } });
  const transport = extensionApiTransport({ wit: new RawWorkItemTrackingClient(options(witRoot)), work: new RawWorkClient(options(workRoot)) }, witRoot);

  const service = new TeamService({ data: extensionDataPort(token), transport, orgUrl: witRoot, user: userOf(web) });
  // A page without a team (a project dashboard; some hosts send none) shows the project's default team.
  const team = web.team?.id
    ? { projectId: web.project.id, projectName: web.project.name, teamId: web.team.id, teamName: web.team.name }
    : await service.defaultTeam({ id: web.project.id, name: web.project.name });
  let profileZone: string | undefined;
  try {
    profileZone = SDK.getPageContext().globalization?.timeZoneId;
  } catch {
    profileZone = undefined;
  }
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return { surface: { team, service, zones: { ...(profileZone ? { profile: profileZone } : {}), ...(browserZone ? { browser: browserZone } : {}) } }, contributionId };
}

/**
 * The viewer, who signs verdicts. The current handshake carries the user; in the legacy format it may not, and
 * `SDK.getUser()` throws: the web context's user stands in (the VSS web context has one).
 */
function userOf(web: object): { id: string; name: string } {
  try {
    const user = SDK.getUser();
    return { id: user.id, name: user.displayName || user.name };
  } catch {
    const legacy = (web as { readonly user?: { readonly id?: string; readonly name?: string; readonly uniqueName?: string } }).user;
    return { id: legacy?.id ?? 'unknown', name: legacy?.name ?? legacy?.uniqueName ?? 'a viewer' };
  }
}

/**
 * The extension data service as the store's port: a manager for this extension, opened with the page's
 * access token. A manager whose token Azure DevOps no longer accepts (401) is opened again with a fresh one,
 * once per call.
 */
function extensionDataPort(token: () => Promise<string>): ExtensionDataPort {
  let manager: Promise<IExtensionDataManager> | undefined;
  const open = (): Promise<IExtensionDataManager> => {
    manager ??= (async () => {
      const service = await SDK.getService<IExtensionDataService>(EXTENSION_DATA_SERVICE);
      return service.getExtensionDataManager(SDK.getExtensionContext().id, await token());
    })();
    manager.catch(() => (manager = undefined));
    return manager;
  };
  const call = async <T>(fn: (m: IExtensionDataManager) => Promise<T>): Promise<T> => {
    try {
      return await fn(await open());
    } catch (err) {
      if (statusOf(err) !== 401) throw err;
      manager = undefined;
      return fn(await open());
    }
  };
  return {
    getDocument: (collection, id) => call((m) => m.getDocument(collection, id)),
    setDocument: (collection, doc) => call((m) => m.setDocument(collection, doc)),
    createDocument: (collection, doc) => call((m) => m.createDocument(collection, doc)),
    deleteDocument: (collection, id) => call((m) => m.deleteDocument(collection, id)),
  };
}

/** Ends the page's loading state in Azure DevOps when it cannot start, with the reason in the page. */
export function bootFailed(root: HTMLElement, err: unknown): void {
  console.error('agile-kpi: the page could not start', err);
  const p = document.createElement('p');
  p.className = 'akpi-boot-error';
  p.setAttribute('role', 'alert');
  p.setAttribute('data-testid', 'boot-error');
  p.textContent = `agile-kpi could not start here: ${messageOf(err)}. Reload the page; if that does not help, sign out of Azure DevOps and sign in again.`;
  root.replaceChildren(p);
  void SDK.notifyLoadFailed(err instanceof Error ? err : new Error(messageOf(err))).catch(() => undefined);
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
  return String(err);
}
