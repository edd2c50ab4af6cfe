/** What every simulated tracker records about a request; each tracker adds its own kinds and fields. */
export interface RecordedRequest<K extends string> {
  /** 1-based, since the server started (not reset by {@link RequestLog.reset}). */
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  /** Query parameters; a repeated key gives an array. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** Parsed JSON body of a POST, when there was one. */
  readonly body?: unknown;
  readonly kind: K;
  status: number;
  /** Epoch ms when the request arrived (machine clock). */
  readonly at: number;
  durationMs: number;
  /** Set when a configured fault answered or slowed it: '429', 'delayed', '503', '500', '502', 'hard-failure'. */
  fault?: string;
}

/** The requests a simulated tracker served, for tests that assert how a sync talks to it. */
export class RequestLog<K extends string, R extends RecordedRequest<K> = RecordedRequest<K>> {
  private list: R[] = [];

  /** Every request since the last reset, oldest first. */
  get entries(): readonly R[] {
    return this.list;
  }

  /** Number of requests (of one kind) since the last reset. */
  count(kind?: K): number {
    return kind === undefined ? this.list.length : this.list.filter((r) => r.kind === kind).length;
  }

  /** Requests per kind since the last reset (kinds never requested are absent). */
  counts(): Partial<Record<K, number>> {
    const out: Partial<Record<K, number>> = {};
    for (const r of this.list) out[r.kind] = (out[r.kind] ?? 0) + 1;
    return out;
  }

  /** Requests of a kind (or all). */
  filter(kind?: K): R[] {
    return kind === undefined ? [...this.list] : this.list.filter((r) => r.kind === kind);
  }

  last(kind?: K): R | undefined {
    const list = this.filter(kind);
    return list[list.length - 1];
  }

  reset(): void {
    this.list = [];
  }

  /** @internal */
  add(record: R): void {
    this.list.push(record);
  }
}
