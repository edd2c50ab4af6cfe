import { CommanderError } from 'commander';
import { MetricOptionError, SnapshotError } from '@agile-kpi/core';
import { TrackerError } from '@agile-kpi/jira';

/**
 * Errors are classified once, here, at the CLI's edge (jira.js-style error kinds) so that commands can simply
 * throw: every failure becomes ONE line on stderr starting "agile-kpi: " and an exit code a script can branch
 * on. Users see what to fix, never a stack trace, unless they ask for it with AGILE_KPI_DEBUG=1.
 */

/**
 * 2 = the user's input, options or credentials are wrong (fixable by them); 3 = the tracker failed or could
 * not be reached (try again later); 1 = our bug.
 */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;
export const EXIT_REMOTE = 3;

/** A problem with what the user gave us (an option, a file); `message` is already the one line to print. */
export class CliError extends Error {
  readonly exitCode = EXIT_USAGE;

  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Ends a command with a non-zero exit code after it has printed everything it had to say. */
export class QuietExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'QuietExit';
  }
}

export interface ClassifiedError {
  readonly exitCode: number;
  /** The line to print without the "agile-kpi: " prefix; null when commander already printed its own. */
  readonly message: string | null;
  readonly kind: 'usage' | 'input' | 'option' | 'internal' | 'help' | 'tracker' | 'store' | 'mail';
}

/**
 * Metric option errors from core are MetricOptionErrors and name the metric first ("velocity: lastN must be ...");
 * the pattern keeps recognising those of monteCarlo; other RangeErrors are bugs.
 */
const METRIC_RANGE_ERROR = /^(velocity|sprintGoalRate|impedimentResolutionTime|sprintProgress|backlogHealth|releasePredictability|flow|monteCarlo): /;

export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof CommanderError) {
    // Help and --version end in a CommanderError with exit code 0; everything else commander rejects is usage.
    const ok = err.exitCode === 0;
    return { exitCode: ok ? EXIT_OK : EXIT_USAGE, message: null, kind: ok ? 'help' : 'usage' };
  }
  if (err instanceof QuietExit) return { exitCode: err.exitCode, message: null, kind: 'help' };
  if (err instanceof CliError) return { exitCode: EXIT_USAGE, message: oneLine(err.message), kind: 'usage' };
  if (err instanceof SnapshotError || (err instanceof Error && err.name === 'SnapshotError')) {
    return { exitCode: EXIT_USAGE, message: oneLine((err as Error).message), kind: 'input' };
  }
  if (err instanceof MetricOptionError || (err instanceof RangeError && METRIC_RANGE_ERROR.test(err.message))) {
    return { exitCode: EXIT_USAGE, message: oneLine(`invalid metric option: ${err.message}`), kind: 'option' };
  }
  if (err instanceof TrackerError) {
    const theirs = err.kind === 'network' || err.kind === 'server' || err.kind === 'rate-limited' || err.kind === 'unexpected-shape';
    return { exitCode: theirs ? EXIT_REMOTE : EXIT_USAGE, message: oneLine(err.message), kind: 'tracker' };
  }
  if (err instanceof Error && err.name === 'StoreError') return { exitCode: EXIT_USAGE, message: oneLine(err.message), kind: 'store' };
  if (err instanceof Error && err.name === 'MailError') {
    const code = (err as Error & { exitCode?: number }).exitCode;
    return { exitCode: code === EXIT_USAGE ? EXIT_USAGE : EXIT_REMOTE, message: oneLine(err.message), kind: 'mail' };
  }
  const fs = fileSystemError(err);
  if (fs) return { exitCode: EXIT_USAGE, message: fs, kind: 'input' };
  const what = err instanceof Error ? err.message : String(err);
  return {
    exitCode: EXIT_INTERNAL,
    message: oneLine(`internal error: ${what} (a bug in agile-kpi; set AGILE_KPI_DEBUG=1 to see the stack trace)`),
    kind: 'internal',
  };
}

/** The stderr text for a classified error; the stack trace only when debugging, and only for our own bugs. */
export function formatError(err: unknown, classified: ClassifiedError, debug: boolean): string {
  if (classified.message === null) return '';
  let out = `agile-kpi: ${classified.message}\n`;
  if (debug && err instanceof Error && err.stack) out += `${err.stack}\n`;
  return out;
}

/**
 * The reason a file operation failed, in words, from Node's errno code ("no such file"), or undefined when
 * `err` is not a file-system error.
 */
export function describeFileError(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return undefined;
  }
}

/** A file-system error that escaped a command (the command did not say which file it was doing what with). */
function fileSystemError(err: unknown): string | undefined {
  const reason = describeFileError(err);
  if (!reason) return undefined;
  const path = (err as NodeJS.ErrnoException).path;
  return path ? `${path}: ${reason}` : reason;
}

/** Wraps a file-system error as a CliError that says which file and what we were doing ("cannot read x.json: ..."). */
export function fileError(verb: 'read' | 'write', path: string, err: unknown): Error {
  const reason = describeFileError(err);
  if (!reason) return err instanceof Error ? err : new Error(String(err));
  return new CliError(`cannot ${verb} ${path}: ${reason}`);
}

/** Prefixes a snapshot's validation error with where the snapshot came from ("team.json: items[0] ..."). */
export function inSource(source: string, err: unknown): unknown {
  if (err instanceof SnapshotError || (err instanceof Error && err.name === 'SnapshotError')) {
    return new CliError(`${source}: ${(err as Error).message}`);
  }
  return err;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
