/**
 * A discrete-event queue: actions run in time order, ties in the order they were scheduled.
 *
 * The simulator decides what will happen (a plan), schedules it, and mutates the team's live state only when the
 * queue reaches each instant. That is what makes every timeline ascending by construction and lets the ground
 * truth be read from the live state at the exact moment that matters (sprint start, close, release).
 */
export class EventQueue {
  private times: number[] = [];
  private seqs: number[] = [];
  private lates: boolean[] = [];
  private actions: (() => void)[] = [];
  private nextSeq = 0;
  private current = Number.NEGATIVE_INFINITY;

  /** The instant being processed (the simulation's "now"). */
  get now(): number {
    return this.current;
  }

  get size(): number {
    return this.times.length;
  }

  /** Schedules `action` at `at` (epoch ms). Scheduling into the past is a bug in the caller. */
  at(at: number, action: () => void): void {
    this.push(at, action, false);
  }

  /**
   * Schedules an observation at `at` that runs after every ordinary action at the same instant, so that it sees
   * the state *including* the changes made at that instant, the way a history is read ("the value at t includes
   * the changes at t"). Sprint starts, closes and release dates are probed this way.
   */
  probe(at: number, action: () => void): void {
    this.push(at, action, true);
  }

  private push(at: number, action: () => void, late: boolean): void {
    if (at < this.current) {
      throw new Error(`event scheduled in the past: ${new Date(at).toISOString()} < ${new Date(this.current).toISOString()}`);
    }
    this.times.push(at);
    this.seqs.push(this.nextSeq++);
    this.lates.push(late);
    this.actions.push(action);
    this.up(this.times.length - 1);
  }

  /** Runs every action scheduled at or before `until`, including those scheduled while running. */
  runUntil(until: number): void {
    while (this.times.length > 0 && this.times[0]! <= until) {
      const at = this.times[0]!;
      const action = this.actions[0]!;
      this.pop();
      this.current = at;
      action();
    }
    this.current = Math.max(this.current, until);
  }

  private less(i: number, j: number): boolean {
    const ti = this.times[i]!;
    const tj = this.times[j]!;
    if (ti !== tj) return ti < tj;
    const li = this.lates[i]!;
    const lj = this.lates[j]!;
    return li !== lj ? lj : this.seqs[i]! < this.seqs[j]!;
  }

  private swap(i: number, j: number): void {
    const t = this.times[i]!;
    this.times[i] = this.times[j]!;
    this.times[j] = t;
    const s = this.seqs[i]!;
    this.seqs[i] = this.seqs[j]!;
    this.seqs[j] = s;
    const l = this.lates[i]!;
    this.lates[i] = this.lates[j]!;
    this.lates[j] = l;
    const a = this.actions[i]!;
    this.actions[i] = this.actions[j]!;
    this.actions[j] = a;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private pop(): void {
    const last = this.times.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.seqs.pop();
    this.lates.pop();
    this.actions.pop();
    let i = 0;
    const n = this.times.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
