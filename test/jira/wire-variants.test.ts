import { loadJiraBoard, mapJiraBoard } from '@agile-kpi/jira';
import { simulateTeam } from '@agile-kpi/testkit';
import { differences, harness } from './jira-harness';

/**
 * Answers real Jira Cloud sites send that the simulated teams do not produce on their own (see the wire contract in
 * packages/testkit/src/jira/README.md): a user whose privacy settings hide the time zone and e-mail, a team-managed
 * ("simple") board, and sprints and versions with nulls in fields the adapter does not read.
 */
const team = simulateTeam({ seed: 8 });

type Json = Record<string, unknown>;

it('syncs the same board whatever these fields say', async () => {
  const h = await harness([team]);
  try {
    const reference = h.scope();
    await h.sync(reference);
    h.jira.tamper((a) => {
      const body = a.body as Json;
      if (a.kind === 'myself') Object.assign(body, { timeZone: null, emailAddress: null });
      if (a.kind === 'board' && body['type'] === 'scrum') body['type'] = 'simple';
      if (a.kind === 'sprint') for (const s of body['values'] as Json[]) s['originBoardId'] = null;
      if (a.kind === 'version') for (const v of (body['values'] as Json[] | undefined) ?? []) Object.assign(v, { archived: null });
      return body;
    });
    const varied = h.scope();
    const result = await h.sync(varied);
    expect(result.skipped).toEqual({ issues: 0, sprints: 0, versions: 0 });
    expect(result.sprints).toBe(team.snapshot.sprints.length);
    // Without the user's zone, days are read in UTC, and the snapshot says so; with the team's zone given, the
    // board reads exactly as before.
    const zone = team.snapshot.team.timeZone;
    const map = async (scope: ReturnType<typeof h.scope>, timeZone?: string) => mapJiraBoard((await loadJiraBoard(scope, h.jira.url))!, { asOf: team.snapshot.asOf, blockedStatuses: ['Blocked'], ...(timeZone ? { timeZone } : {}) });
    expect(differences(await map(reference, zone), await map(varied, zone))).toEqual([]);
    const assumed = await map(varied);
    expect(assumed.team.timeZone).toBe('UTC');
    expect(assumed.warnings.map((w) => w.code)).toContain('time-zone-assumed');
    expect(assumed.warnings.map((w) => w.code)).not.toContain('kanban-board');
    expect((await map(reference)).warnings.map((w) => w.code)).not.toContain('time-zone-assumed');
  } finally {
    await h.close();
  }
});
