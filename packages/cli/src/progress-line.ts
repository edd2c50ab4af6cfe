import type { Io } from './io';

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

  done(summary: string): void {
    if (this.live) this.io.stderr.write('\r\x1b[2K');
    this.io.stderr.write(`${summary}\n`);
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
