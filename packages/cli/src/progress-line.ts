import type { DataWarning } from '@agile-kpi/core';
import type { Io } from './io';

/** Records a sync left out that the summary line shows one by one; the rest are counted. */
const SKIPPED_SHOWN = 5;

/**
 * A sync's live progress: one line on a terminal's stderr, redrawn in place, ending with the time spent waiting
 * as the tracker asked (rate limits); nothing live when stderr is not a terminal. `done` replaces the line with
 * a summary; `abort` leaves the last state on screen above the error that follows.
 *
 * @example const line = new ProgressLine(io, 'rate limits'); line.show('syncing board 42: search · 3 pages'); line.done('synced board 42')
 */
export class ProgressLine {
  private waitedMs = 0;
  private text: string | undefined;
  private readonly live: boolean;

  constructor(
    private readonly io: Io,
    /** What the waits were for, in the line: "rate limits", "throttling". */
    private readonly waitedFor: string,
  ) {
    this.live = io.stderrIsTTY === true;
  }

  /** For the client's `events.onWait`: counts rate-limit waits and redraws. */
  readonly onWait = (ms: number, reason: string): void => {
    if (reason === 'rate-limit') this.waitedMs += ms;
    this.draw();
  };

  show(text: string): void {
    this.text = text;
    this.draw();
  }

  /** Replaces the live line with the summary, then names the records the sync skipped (the first few). */
  done(summary: string, skipped: readonly DataWarning[] = []): void {
    if (this.live) this.io.stderr.write('\r\x1b[2K');
    this.io.stderr.write(`${summary}\n`);
    for (const w of skipped.slice(0, SKIPPED_SHOWN)) this.io.stderr.write(`  warning: ${w.message}\n`);
    if (skipped.length > SKIPPED_SHOWN) this.io.stderr.write(`  ... and ${skipped.length - SKIPPED_SHOWN} more (agile-kpi metrics lists every warning)\n`);
  }

  abort(): void {
    if (this.live) this.io.stderr.write('\n');
  }

  private draw(): void {
    if (!this.live || this.text === undefined) return;
    const wait = this.waitedMs ? `, waited ${Math.round(this.waitedMs / 1000)} s for ${this.waitedFor}` : '';
    this.io.stderr.write(`\r\x1b[2K${this.text}${wait}`);
  }
}

/** ", 13 skipped (see warnings)" for a summary line, or nothing when the sync skipped nothing. */
export function skippedNote(count: number, what: string): string {
  return count > 0 ? `, ${count} ${what} skipped (see warnings)` : '';
}
