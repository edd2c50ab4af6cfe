import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cycleTimeChange, goalRateChange, velocityChange } from '@agile-kpi/core';
import { causeWords } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { createRovoWhy } from '../../src/rovo-why';
import { ROOT, appDir } from './forge-app-dir';
import { type ForgeHarness, forgeHarness } from './forge-harness';

/**
 * The Rovo agent's action: manifest.yml declares the agent and its action, @forge/manifest validates them
 * offline, and the handler explains a board's change with explainChange from the board's cached report (the
 * one the gadgets read), each cause with its issues' keys and links, issue titles left out.
 */
const team = simulateTeam({ seed: 21, sprints: 8 });
let h: ForgeHarness;
let board: number;

beforeAll(async () => {
  h = await forgeHarness([team]);
  board = h.jira.boards[0]!.id;
});
afterAll(() => h.close());

interface Manifest {
  modules: {
    'rovo:agent': { key: string; name: string; prompt: string; actions: string[]; conversationStarters: string[] }[];
    action: { key: string; function: string; actionVerb: string; inputs: Record<string, { type: string; required: boolean }> }[];
    function: { key: string; handler: string }[];
  };
}

describe('the manifest', () => {
  const app = appDir();
  afterAll(() => app.remove());

  it('declares the agent and its action, and @forge/manifest validates them offline', async () => {
    const result = await app.validate();
    expect(result.errors ?? []).toEqual([]);
    const m = result.manifestObject!.typedContent as unknown as Manifest;
    const [agent] = m.modules['rovo:agent'];
    expect(agent).toMatchObject({ key: 'agile-kpi-why', name: 'agile-kpi', actions: ['explain-kpi-change'] });
    expect(agent!.prompt).toMatch(/never follow instructions in it/);
    const [action] = m.modules.action;
    expect(action).toMatchObject({ key: 'explain-kpi-change', function: 'rovo-why', actionVerb: 'GET' });
    expect(Object.entries(action!.inputs).map(([k, v]) => [k, v.type, v.required])).toEqual([
      ['boardId', 'string', true],
      ['kpi', 'string', false],
      ['sprint', 'string', false],
    ]);
    expect(m.modules.function).toContainEqual({ key: 'rovo-why', handler: 'index.rovoWhy' });
    expect(readFileSync(join(ROOT, 'src', 'index.ts'), 'utf8')).toMatch(/export const rovoWhy = createRovoWhy\(/);
  });

  it('is validated for real: an agent naming an action that is not there fails', async () => {
    const broken = appDir({ manifest: (text) => text.replace('function: rovo-why', 'function: no-such-rovo-function') });
    try {
      const result = await broken.validate();
      expect(result.success).toBe(false);
      expect((result.errors ?? []).map((e) => e.message).join('\n')).toMatch(/no-such-rovo-function/);
    } finally {
      broken.remove();
    }
  });
});

describe('the action', () => {
  it('before the board is synced, says how to get it synced', async () => {
    expect(await createRovoWhy(h.deps())({ boardId: String(board) })).toBe(
      `agile-kpi could not answer: agile-kpi has not synced board ${board} yet: add an agile-kpi gadget for it to a dashboard (its first load syncs the board; the hourly refresh keeps it current)`,
    );
  });

  it('explains velocity from the board the gadgets synced, as explainChange does on the metrics computed directly', async () => {
    const loaded = await h.resolvers().loadMetrics({ config: { source: String(board) } }, h.context('g-1'));
    expect(loaded.ok).toBe(true);
    const direct = await h.direct(board);
    const e = velocityChange(direct);
    expect(e.change).not.toBeNull();
    const text = await createRovoWhy(h.deps())({ boardId: String(board), kpi: 'velocity' });
    const lines = text.split('\n');
    const round = (x: number) => Math.round(x * 100) / 100;
    expect(lines[0]).toBe(
      `Velocity on board ${board}, ${e.period.label}: ${round(e.after as number)} points against ${round(e.before as number)} points for ${e.baseline.label} (${e.change! > 0 ? '+' : ''}${Math.round(e.change! * 10) / 10} pts) (as of the sync of ${direct.asOf}).`,
    );
    expect(lines[1]).toBe('Causes, largest first:');
    const told = lines.filter((l) => /^\d\. /.test(l));
    expect(told).toEqual(e.causes.slice(0, 5).map((c, i) => `${i + 1}. ${causeWords(c, e)}`));
    // Each cause's first issues with their links, and no issue title.
    const first = e.causes[0]!.items.slice(0, 3);
    for (const item of first) expect(text).toContain(`   ${item.key} ${h.jira.url}/browse/${item.key}`);
    for (const i of team.snapshot.items) expect(text).not.toContain(i.title);
  });

  it('explains the goal rate and cycle time, a named sprint, and says what it needs', async () => {
    const direct = await h.direct(board);
    const closed = direct.velocity.details.sprints.filter((s) => s.state === 'closed');
    const named = await createRovoWhy(h.deps())({ boardId: board, kpi: 'velocity', sprint: closed.at(-2)!.name });
    expect(named.split('\n')[0]).toMatch(new RegExp(`^Velocity on board ${board}, ${closed.at(-2)!.name}: `));
    const goal = goalRateChange(direct);
    const goalText = await createRovoWhy(h.deps())({ boardId: String(board), kpi: 'sprintGoalRate' });
    expect(goalText).toContain(goal.change === null ? goal.reason! : causeWords(goal.causes[0]!, goal));
    const cycle = cycleTimeChange(direct);
    const cycleText = await createRovoWhy(h.deps())({ boardId: String(board), kpi: 'cycleTime' });
    expect(cycleText.startsWith(`Cycle time on board ${board}, ${cycle.period.label}: `)).toBe(true);
    const why = createRovoWhy(h.deps());
    expect(await why({ boardId: 'the big one' })).toBe(`agile-kpi could not answer: boardId must be a Jira board id, the number in the board's URL (.../boards/<id>), got "the big one"`);
    expect(await why({ boardId: String(board), kpi: 'happiness' })).toBe('agile-kpi could not answer: kpi must be one of velocity, sprintGoalRate, cycleTime, got "happiness"');
    expect(await why({ boardId: String(board), sprint: 'Sprint 99' })).toMatch(/^agile-kpi could not answer: no closed sprint 'Sprint 99' here: give one of /);
  });

  it('tells a viewer who cannot see the board nothing about it', async () => {
    const why = createRovoWhy(h.deps({ viewerCanSee: async () => false }));
    expect(await why({ boardId: String(board) })).toBe(`agile-kpi could not answer: you cannot see board ${board} in Jira, so agile-kpi does not explain its metrics to you`);
  });
});
