import { fstatSync, writeSync } from 'node:fs';

/**
 * The CLI's only view of its process: where text goes, whether a person is watching, and the environment.
 * Commands receive it instead of touching `process`, so `main()` runs in-process in tests with captured output
 * (a tiny port owned by the consumer, like jira.js' one-method client).
 */
export interface TextSink {
  write(text: string): unknown;
  /**
   * Present when the sink is a file: writes the first `length` bytes of `bytes` before it returns, so that a large
   * output can be encoded into one buffer used again and again (a fresh buffer per piece costs more than the
   * writing: a 50 000-issue board's report is 93 MB).
   */
  writeBytesSync?(bytes: Uint8Array, length: number): void;
}

export interface Io {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** stdout is a terminal: colours are welcome. */
  readonly isTTY: boolean;
  /** stderr is a terminal: a live progress line is welcome there. */
  readonly stderrIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process. */
export function processIo(): Io {
  ignoreClosedPipe(process.stdout);
  ignoreClosedPipe(process.stderr);
  return { stdout: withFileBytes(process.stdout, 1), stderr: process.stderr, isTTY: process.stdout.isTTY === true, stderrIsTTY: process.stderr.isTTY === true, env: process.env };
}

/**
 * The sink with {@link TextSink.writeBytesSync} when `fd` is a regular file (`> report.json`), which Node writes
 * synchronously anyway; a pipe or a terminal keeps the stream's own writing (a pipe may take its bytes later).
 */
export function withFileBytes(sink: TextSink, fd: number): TextSink {
  let file: boolean;
  try {
    file = fstatSync(fd).isFile();
  } catch {
    file = false;
  }
  if (!file) return sink;
  return {
    write: (text) => sink.write(text),
    writeBytesSync: (bytes, length) => writeAllSync(fd, bytes, length),
  };
}

/** Writes the first `length` bytes of `bytes` to `fd`, however many calls the system takes for them. */
export function writeAllSync(fd: number, bytes: Uint8Array, length: number): void {
  for (let at = 0; at < length; ) at += writeSync(fd, bytes, at, length - at);
}

const guarded = new WeakSet<NodeJS.WriteStream>();

/**
 * `agile-kpi demo | head` closes the pipe early; Node then emits EPIPE as an unhandled 'error' event with a stack
 * trace. A reader that has seen enough is not an error: the rest of the output is dropped.
 */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

/**
 * Colours follow the usual conventions: NO_COLOR (https://no-color.org) turns them off, FORCE_COLOR on,
 * otherwise only on a terminal that is not "dumb".
 */
export function wantsColor(io: Io): boolean {
  if (io.env['NO_COLOR']) return false;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined && force !== '' ) return force !== '0' && force !== 'false';
  return io.isTTY && io.env['TERM'] !== 'dumb';
}

/** Settles at the first SIGINT or SIGTERM (Ctrl-C, a service manager stopping the process): a server's cue to close. */
export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
