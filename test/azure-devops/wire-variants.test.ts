import { simulateTeam } from '@agile-kpi/testkit';
import { differences } from '../jira/jira-harness';
import { adoHarness } from './ado-harness';

/**
 * Answers real Azure DevOps organisations (or Microsoft's own examples) send that the simulated team does not
 * produce on its own (see the wire contract in packages/testkit/src/azure-devops/README.md): team iterations
 * without `path`, in a `values` list; estimates as numeric strings; `System.Tags: ""` before any tag.
 */
const team = simulateTeam({ seed: 9, sprintCalendar: 'dates' });
type Json = Record<string, unknown>;
const ESTIMATE = 'Microsoft.VSTS.Scheduling.Effort';

it('syncs the same team whatever form these fields take', async () => {
  const h = await adoHarness([team], { process: 'scrum' });
  try {
    const reference = h.scope();
    await h.sync(reference);
    let stringEstimates = 0;
    h.ado.tamper((a) => {
      const body = a.body as Json;
      if (a.kind === 'iterations' && Array.isArray(body['value'])) {
        body['values'] = (body['value'] as Json[]).map(({ path: _path, ...rest }) => rest);
        delete body['value'];
      }
      const revisions = a.kind === 'reportingRevisions' ? (body['values'] as Json[]) : a.kind === 'revisions' || a.kind === 'workitemsbatch' ? (body['value'] as Json[]) : [];
      for (const r of revisions) {
        const fields = r?.['fields'] as Json | undefined;
        if (!fields) continue;
        if (typeof fields[ESTIMATE] === 'number') {
          fields[ESTIMATE] = String(fields[ESTIMATE]);
          stringEstimates++;
        }
        if (fields['System.Tags'] === undefined) fields['System.Tags'] = '';
      }
      return body;
    });
    const varied = h.scope();
    const result = await h.sync(varied);
    expect(result.skipped).toEqual({ workItems: 0, iterations: 0 });
    expect(stringEstimates).toBeGreaterThan(50);
    const a = await h.snapshot(reference, team.snapshot.asOf);
    const b = await h.snapshot(varied, team.snapshot.asOf);
    expect(differences(a, b)).toEqual([]);
    expect(b.warnings.filter((w) => w.code === 'estimate-not-a-number')).toEqual([]);
  } finally {
    await h.close();
  }
});
