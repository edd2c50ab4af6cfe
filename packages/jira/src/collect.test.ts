import { approximateIssueCount } from './collect';
import { JiraClient } from './jira-client';
import { JiraError } from './jira-error';
import type { JiraRequest, JiraResponse, JiraTransport } from './transport';

/** A transport answering every request with one response, recording the requests. */
function answering(response: JiraResponse): JiraTransport & { calls: JiraRequest[] } {
  const calls: JiraRequest[] = [];
  return { site: 'https://acme.atlassian.net', principal: 'sm@acme.test', calls, send: async (r) => (calls.push(r), response) };
}
const client = (t: JiraTransport) => new JiraClient(t, { sleep: async () => undefined, random: () => 0.5 });
const jiraSays = (status: number, message: string): JiraResponse => ({ status, headers: {}, body: { errorMessages: [message], errors: {} } });

describe('approximateIssueCount', () => {
  it("POSTs the JQL to /search/approximate-count and reads Jira's { count }", async () => {
    const t = answering({ status: 200, headers: {}, body: { count: 48556 } });
    expect(await approximateIssueCount(client(t), 'project = SIM')).toBe(48556);
    expect(t.calls.map((c) => [c.method, c.path, c.body])).toEqual([['POST', '/rest/api/3/search/approximate-count', { jql: 'project = SIM' }]]);
  });

  it('is undefined where the site cannot tell: no such endpoint, a JQL it calls unbounded, an answer without a count', async () => {
    expect(await approximateIssueCount(client(answering(jiraSays(404, 'Not Found'))), 'project = SIM')).toBeUndefined();
    expect(await approximateIssueCount(client(answering(jiraSays(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'))), 'ORDER BY Rank')).toBeUndefined();
    expect(await approximateIssueCount(client(answering({ status: 200, headers: {}, body: { total: 3 } })), 'project = SIM')).toBeUndefined();
  });

  it('still fails on what stops the sync anyway: bad credentials', async () => {
    await expect(approximateIssueCount(client(answering(jiraSays(401, 'Unauthorized'))), 'project = SIM')).rejects.toBeInstanceOf(JiraError);
  });
});
