import { JiraClient, jiraJsTransport, syncServiceRatings } from '@agile-kpi/jira';
import { openStore } from '@agile-kpi/store';
import type { Io } from '../io';
import { runSim } from './sim';

/** `agile-kpi sim jira` also serves a Service Management project, SUP, whose ratings a sync can read. */
it('sim jira serves the service project SUP with rated requests, and says how to read them', async () => {
  let out = '';
  const io: Io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, isTTY: false, env: {} };
  let read: Awaited<ReturnType<typeof syncServiceRatings>> | undefined;
  await runSim('jira', { seed: '3', sprints: '4' }, io, async () => {
    const [, url, email, token] = /export JIRA_URL=(\S+)\n\s+export JIRA_EMAIL=(\S+)\n\s+export JIRA_API_TOKEN=(\S+)/.exec(out)!;
    const store = openStore(':memory:');
    try {
      const client = new JiraClient(jiraJsTransport({ site: url!, email: email!, apiToken: token! }));
      read = await syncServiceRatings(client, store.scope({ source: 'jira', site: url!, scope: '1' }), { projectKeys: ['SUP'] });
    } finally {
      store.close();
    }
  });
  const line = /service project SUP \((\d+) rated requests\): agile-kpi sync --board 1 --service-projects SUP --store \.\/sim-store\.sqlite/.exec(out);
  expect(line).not.toBeNull();
  expect(Number(line![1])).toBeGreaterThan(0);
  expect(read).toMatchObject({ mode: 'full', requestsRead: Number(line![1]), recordsChanged: Number(line![1]), skipped: 0, warnings: [] });
});
