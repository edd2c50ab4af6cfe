/** What the simulated Azure DevOps recorded about each request, for tests that assert how a sync talks to it. */

export type RequestKind =
  /** `OPTIONS _apis/{area}`, `GET _apis/ResourceAreas`, `GET _apis/connectionData`: route discovery. */
  | 'location'
  | 'projects'
  | 'teams'
  | 'wiql'
  | 'workitemsbatch'
  | 'workitems'
  | 'reportingRevisions'
  | 'revisions'
  | 'updates'
  | 'types'
  | 'states'
  | 'fields'
  | 'classificationNodes'
  | 'iterations'
  | 'iterationWorkItems'
  | 'teamsettings'
  | 'teamfieldvalues'
  | 'other';

export interface RequestRecord {
  /** 1-based, since the server started (not reset by {@link RequestLog.reset}). */
  readonly seq: number;
  readonly method: string;
  /** The path after the organisation (`/SIM/_apis/wit/wiql`), as sent (not decoded). */
  readonly path: string;
  /** Query parameters; a repeated key gives an array. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** The api-version the request asked for (Accept header or query), if any. */
  readonly apiVersion?: string;
  /** Parsed JSON body of a POST, when there was one. */
  readonly body?: unknown;
  readonly kind: RequestKind;
  status: number;
  /** Epoch ms when the request arrived (machine clock). */
  readonly at: number;
  durationMs: number;
  /** Set when a configured fault answered or slowed it: '429', 'delayed', '503', '500', '502', 'hard-failure'. */
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
