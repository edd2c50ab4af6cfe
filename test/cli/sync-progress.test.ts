import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@agile-kpi/cli';
import { simulateTeam, startSimulatedJira, type StartSimulatedJiraOptions } from '@agile-kpi/testkit';

/** `agile-kpi sync --board 1` in-process against a simulated Jira; returns what went to stderr. */
async function syncStderr(stderrIsTTY: boolean, options: Omit<Partial<StartSimulatedJiraOptions>, 'teams'> = {}): Promise<string> {
  const jira = await startSimulatedJira({ ...options, teams: [simulateTeam({ seed: 9 })] });
  const dir = mkdtempSync(join(tmpdir(), 'agile-kpi-progress-'));
  let stderr = '';
  try {
    const env = { JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, AGILE_KPI_STORE: join(dir, 's.sqlite') };
    const code = await main(['sync', '--board', '1'], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, isTTY: false, stderrIsTTY, env });
    expect(code).toBe(0);
  } finally {
    await jira.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return stderr;
}

/** The live progress line: on stderr when it is a terminal (pages, issues, changelogs, rate-limit waits). */
it('draws a live progress line on a terminal, including rate-limit waits, then a summary', async () => {
  const stderr = await syncStderr(true, { pageCaps: { search: 30 }, faults: { rateLimit: { at: [4], burst: 1, retryAfterSeconds: 1 } } });
  const frames = stderr.split('\r\x1b[2K').filter(Boolean);
  expect(frames.some((f) => /^syncing board 1: issues · [1-9]\d* pages · \d+ issues · \d+ changelogs/.test(f))).toBe(true);
  expect(frames.some((f) => /waited 1 s for rate limits/.test(f))).toBe(true);
  expect(frames.at(-1)).toMatch(/^synced board 1 \(full\): \d+ issues read, \d+ changelogs fetched, 0 removed, 12 sprints, \d+ versions; \d+ requests, 1 rate-limited\n$/);
});

it('prints only the summary when stderr is not a terminal', async () => {
  const stderr = await syncStderr(false);
  expect(stderr).not.toContain('\r');
  expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
});
