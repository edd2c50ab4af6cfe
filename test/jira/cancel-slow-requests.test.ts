import { JiraClient, JiraError, type JiraTransport, forgeTransport, jiraJsTransport } from '@agile-kpi/jira';
import { simulateTeam, startSimulatedJira } from '@agile-kpi/testkit';
import { fiveTimingOut, gateInFront } from './counting-gate';

/**
 * A slow Jira, slower than the client's timeout: every request that times out is really cancelled (the server
 * sees its connection closed before it answered), and the client never has more requests on the wire than its
 * concurrency limit, counted on the server's side of the connection. Both Jira transports: jira.js (the CLI's)
 * and the Forge shape, filled here with Node's fetch in place of `requestJira`.
 */
const started = gateInFront(
  () => startSimulatedJira({ teams: [simulateTeam({ seed: 11 })] }),
  (jira) => jira.setFaults({ latencyMs: { myself: 1_000 } }),
);

const transports: Record<string, () => JiraTransport> = {
  'jira.js': () => jiraJsTransport({ site: started.gate.url, email: started.server.email, apiToken: started.server.apiToken }),
  'requestJira (Forge)': () => {
    const basic = `Basic ${Buffer.from(`${started.server.email}:${started.server.apiToken}`).toString('base64')}`;
    return forgeTransport((path, init) => fetch(`${started.gate.url}${path}`, { ...init, headers: { ...init.headers, Authorization: basic } }), started.gate.url);
  },
};
const myself = { method: 'GET', path: '/rest/api/3/myself' } as const;

describe.each(Object.entries(transports))('%s', (_, transport) => {
  it('cancels every request that times out and never has more in flight than the limit', async () => {
    const client = new JiraClient(transport(), { concurrency: 2, timeoutMs: 150, retry: { failureRetries: 1 }, sleep: async () => {} });
    await fiveTimingOut(() => client.request(myself, 'read who we are'), JiraError);
    await started.gate.idle();
    // Five requests, each tried twice: ten on the wire, every one closed by the client before Jira answered.
    expect(started.gate.records.map((r) => `${r.path} ${r.outcome}`)).toEqual(Array(10).fill('/rest/api/3/myself abandoned'));
    expect(started.gate.maxInFlight).toBe(2);

    // Jira is quick again: the same client's slots are all free.
    started.server.setFaults({});
    await expect(client.request(myself, 'read who we are')).resolves.toMatchObject({ status: 200 });
  });

  it('cancels the request of a caller who gives up, without retrying it', async () => {
    const client = new JiraClient(transport(), { timeoutMs: 60_000, sleep: async () => {} });
    const caller = new AbortController();
    const sent = client.send(myself, 'read who we are', myself.path, caller.signal);
    for (let i = 0; i < 1_000 && started.gate.inFlight === 0; i++) await new Promise((r) => setTimeout(r, 5));
    caller.abort(new Error('the user left'));
    await expect(sent).rejects.toThrow('the user left');
    await started.gate.idle();
    expect(started.gate.records.map((r) => r.outcome)).toEqual(['abandoned']);
  });
});
