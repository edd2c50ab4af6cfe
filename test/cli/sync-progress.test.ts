import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '@agile-kpi/cli';
import { simulateTeam, startSimulatedJira } from '@agile-kpi/testkit';

/** The live progress line: on stderr when it is a terminal (pages, issues, changelogs, rate-limit waits). */
it('draws a live progress line on a terminal, including rate-limit waits, then a summary', async () => {
  const jira = await startSimulatedJira({ teams: [simulateTeam({ seed: 9 })], pageCaps: { search: 30 }, faults: { rateLimit: { at: [4], burst: 1, retryAfterSeconds: 1 } } });
  const dir = mkdtempSync(join(tmpdir(), 'agile-kpi-progress-'));
  let stderr = '';
  const io: Io = {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: false,
    stderrIsTTY: true,
    env: { JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, AGILE_KPI_STORE: join(dir, 's.sqlite') },
  };
  try {
    expect(await main(['sync', '--board', '1'], io)).toBe(0);
  } finally {
    await jira.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const frames = stderr.split('\r\x1b[2K').filter(Boolean);
  expect(frames.some((f) => /^syncing board 1: issues · [1-9]\d* pages · \d+ issues · \d+ changelogs/.test(f))).toBe(true);
  expect(frames.some((f) => /waited 1 s for rate limits/.test(f))).toBe(true);
  expect(frames.at(-1)).toMatch(/^synced board 1 \(full\): \d+ issues read, \d+ changelogs fetched, 0 removed, 12 sprints, \d+ versions; \d+ requests, 1 rate-limited\n$/);
});

it('prints only the summary when stderr is not a terminal', async () => {
  const jira = await startSimulatedJira({ teams: [simulateTeam({ seed: 9 })] });
  const dir = mkdtempSync(join(tmpdir(), 'agile-kpi-progress-'));
  let stderr = '';
  const io: Io = {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: false,
    env: { JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, AGILE_KPI_STORE: join(dir, 's.sqlite') },
  };
  try {
    expect(await main(['sync', '--board', '1'], io)).toBe(0);
  } finally {
    await jira.close();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(stderr).not.toContain('\r');
  expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
});
