/**
 * Runs tasks one after the other, in the order they were queued: a transaction held across awaits owns its
 * connection until it settles, and nothing queued meanwhile may run inside it. A task that fails does not stop
 * the ones after it.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Settles when every task queued so far has. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

/** One `Serial` per key, dropped when its queue empties, so that a long-lived process does not keep one per key ever used. */
export class KeyedSerial {
  private readonly queues = new Map<string, { serial: Serial; pending: number }>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let entry = this.queues.get(key);
    if (entry === undefined) {
      entry = { serial: new Serial(), pending: 0 };
      this.queues.set(key, entry);
    }
    entry.pending += 1;
    const queued = entry;
    try {
      return await queued.serial.run(task);
    } finally {
      queued.pending -= 1;
      if (queued.pending === 0) this.queues.delete(key);
    }
  }
}
