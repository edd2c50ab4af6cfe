import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Runs the BUILT command (packages/cli/bin/agile-kpi.js -> dist) as a child process, the way users run it, so
 * these tests also cover the launcher, the compiled output and real process exit codes.
 */

export const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'agile-kpi.js');

export interface BinRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `tsc -b` once per test file: a no-op when dist is current; a lock keeps parallel workers from building twice. */
export function buildOnce(): void {
  const lock = join(ROOT, 'node_modules', '.cache', 'agile-kpi-cli-build.lock');
  mkdirSync(join(lock, '..'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any build is left over from a killed run.
      if (Date.now() - lockAge(lock) > 90_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`could not take ${lock}; remove it if no test run is active`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { cwd: ROOT, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`tsc -b failed, so the built CLI cannot be tested:\n${tsc.stdout}${tsc.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockAge(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}

/** Runs `agile-kpi ...args` with a clean, colourless environment plus `env`. */
export function agileKpi(args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): BinRun {
  const base: Record<string, string> = { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Like {@link agileKpi} but without blocking this process, for tests whose server (a simulated Jira) runs in
 * this very process and must keep answering while the command runs.
 */
export function agileKpiAsync(args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): Promise<BinRun> {
  const base: Record<string, string> = { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
