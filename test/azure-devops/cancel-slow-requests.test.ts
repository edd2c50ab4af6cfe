import { AdoClient, AdoError, type AdoRequest, type AdoTransport, ROUTES, extensionTransport, fillRoute, nodeApiTransport } from '@agile-kpi/azure-devops';
import { simulateTeam, startSimulatedAzureDevOps } from '@agile-kpi/testkit';
import { fiveTimingOut, gateInFront } from '../jira/counting-gate';

/**
 * A slow Azure DevOps, slower than the client's timeout: every request that times out is really cancelled (the
 * server sees its connection closed before it answered), and the client never has more requests on the wire
 * than its concurrency limit, counted on the server's side of the connection. Both transports: the real
 * azure-devops-node-api (the CLI's) and the extension's shape, filled here with Node's fetch.
 */
const started = gateInFront(
  () => startSimulatedAzureDevOps({ teams: [simulateTeam({ seed: 21, sprintCalendar: 'dates' })], process: 'scrum' }),
  (ado) => ado.setFaults({ latencyMs: { teamsettings: 1_000 } }),
);

const transports: Record<string, () => AdoTransport> = {
  'azure-devops-node-api': () => nodeApiTransport({ orgUrl: started.gate.url, pat: started.server.pat }),
  'extension (fetch)': () => {
    // The simulated organisation takes a PAT where the extension sends its page's token.
    const basic = `Basic ${Buffer.from(`:${started.server.pat}`).toString('base64')}`;
    return extensionTransport(started.gate.url, async () => 'page-token', (url, init) => fetch(url, { ...init, headers: { ...init.headers, Authorization: basic } }));
  },
};

function teamSettings(): AdoRequest {
  const project = started.server.projects[0]!;
  const r = ROUTES.teamSettings;
  return { method: 'GET', area: r.area, locationId: r.locationId, routeTemplate: r.routeTemplate, routeValues: { project: project.name, team: project.team }, apiVersion: r.apiVersion };
}
const settingsPath = () => `/${started.server.organization}/${fillRoute(ROUTES.teamSettings.routeTemplate, teamSettings().routeValues)}`;

describe.each(Object.entries(transports))('%s', (_, transport) => {
  it('cancels every request that times out and never has more in flight than the limit', async () => {
    const client = new AdoClient(transport(), { concurrency: 2, timeoutMs: 150, retry: { failureRetries: 1 }, sleep: async () => {} });
    const request = teamSettings();
    await fiveTimingOut(() => client.send(request, ROUTES.teamSettings.what, 'teamsettings'), AdoError);
    await started.gate.idle();
    // Five requests, each tried twice: ten on the wire, every one closed by the client before Azure DevOps
    // answered. Route discovery (azure-devops-node-api's OPTIONS) is quick and answered.
    const settings = started.gate.records.filter((r) => r.path === settingsPath());
    expect(settings.map((r) => r.outcome)).toEqual(Array(10).fill('abandoned'));
    expect(started.gate.records.filter((r) => !settings.includes(r)).every((r) => r.outcome === 'answered')).toBe(true);
    expect(started.gate.maxInFlight).toBe(2);

    // Azure DevOps is quick again: the same client's slots are all free.
    started.server.setFaults({});
    await expect(client.send(request, ROUTES.teamSettings.what, 'teamsettings')).resolves.toMatchObject({ status: 200 });
  });

  it('cancels the request of a caller who gives up, without retrying it', async () => {
    const client = new AdoClient(transport(), { timeoutMs: 60_000, sleep: async () => {} });
    const caller = new AbortController();
    const sent = client.send(teamSettings(), ROUTES.teamSettings.what, 'teamsettings', caller.signal);
    for (let i = 0; i < 1_000 && !started.gate.records.some((r) => r.path === settingsPath()); i++) await new Promise((r) => setTimeout(r, 5));
    caller.abort(new Error('the user left'));
    await expect(sent).rejects.toThrow('the user left');
    await started.gate.idle();
    expect(started.gate.records.filter((r) => r.path === settingsPath()).map((r) => r.outcome)).toEqual(['abandoned']);
  });
});
