/** What the simulated Jira recorded about each request, for tests that assert how a sync talks to Jira. */

export type RequestKind =
  | 'myself'
  | 'serverInfo'
  | 'board'
  | 'configuration'
  | 'filter'
  | 'sprint'
  | 'version'
  | 'project'
  | 'field'
  | 'status'
  | 'issuetype'
  | 'search'
  | 'bulkfetch'
  | 'changelog'
  | 'issue'
  | 'velocity'
  | 'notify'
  | 'other';

export interface RequestRecord {
  /** 1-based, since the server started (not reset by {@link RequestLog.reset}). */
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  /** Query parameters; a repeated key gives an array. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** Parsed JSON body of a POST, when there was one. */
  readonly body?: unknown;
  readonly kind: RequestKind;
  status: number;
  /** Epoch ms when the request arrived. */
  readonly at: number;
  durationMs: number;
  /** Set when a configured fault answered instead of the endpoint: '429', '503', '500', '502', 'hard-failure'. */
  fault?: string;
}

export class RequestLog {
  private list: RequestRecord[] = [];

  /** Every request since the last reset, oldest first. */
  get entries(): readonly RequestRecord[] {
    return this.list;
  }

  /** Number of requests (of one kind) since the last reset. */
  count(kind?: RequestKind): number {
    return kind === undefined ? this.list.length : this.list.filter((r) => r.kind === kind).length;
  }

  /** Requests per kind since the last reset (kinds never requested are absent). */
  counts(): Partial<Record<RequestKind, number>> {
    const out: Partial<Record<RequestKind, number>> = {};
    for (const r of this.list) out[r.kind] = (out[r.kind] ?? 0) + 1;
    return out;
  }

  /** Requests of a kind (or all). */
  filter(kind?: RequestKind): RequestRecord[] {
    return kind === undefined ? [...this.list] : this.list.filter((r) => r.kind === kind);
  }

  last(kind?: RequestKind): RequestRecord | undefined {
    const list = this.filter(kind);
    return list[list.length - 1];
  }

  reset(): void {
    this.list = [];
  }

  /** @internal */
  add(record: RequestRecord): void {
    this.list.push(record);
  }
}
