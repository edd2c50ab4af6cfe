import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP gate in front of a simulated tracker that watches the server's side of every connection: how
 * many requests are in flight at once (arrived, not answered, connection open), and which ones the client gave
 * up on by closing its connection before the answer came. The simulated servers answer a request they have
 * started however long it takes; the gate is where a cancelled request shows.
 */
export interface GateRecord {
  readonly method: string;
  readonly path: string;
  outcome: 'open' | 'answered' | 'abandoned';
}

export interface CountingGate {
  /** The upstream URL with the gate's origin: "http://127.0.0.1:PORT/simorg". */
  readonly url: string;
  readonly records: readonly GateRecord[];
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Forgets what was seen (while nothing is in flight). */
  reset(): void;
  /** Resolves once no request is in flight: the server has seen every connection answered or closed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function countingGate(upstream: string): Promise<CountingGate> {
  const target = new URL(upstream);
  let records: GateRecord[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let waiting: (() => void)[] = [];

  const server = createServer((req, res) => {
    const record: GateRecord = { method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://gate').pathname, outcome: 'open' };
    records.push(record);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const socket = req.socket;
    const upstreamRequest = forward(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    const settle = (outcome: 'answered' | 'abandoned'): void => {
      if (record.outcome !== 'open') return;
      record.outcome = outcome;
      socket.off('end', clientLeft);
      socket.off('close', clientLeft);
      if (outcome === 'abandoned') upstreamRequest.destroy();
      if (--inFlight === 0) {
        for (const w of waiting) w();
        waiting = [];
      }
    };
    // The client's end of the connection closed before the answer was complete: the request was cancelled.
    const clientLeft = (): void => settle(res.writableFinished ? 'answered' : 'abandoned');
    socket.once('end', clientLeft);
    socket.once('close', clientLeft);
    res.on('finish', () => settle('answered'));
    res.on('close', clientLeft);
    upstreamRequest.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstreamRequest);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/+$/, '')}`,
    get records() {
      return records;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reset() {
      records = [];
      maxInFlight = inFlight;
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve));
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Starts a simulated tracker and a gate in front of it before the file's tests, closes both after them; before
 * each test the gate forgets what it saw and `slow` makes the tracker slow again.
 */
export function gateInFront<S extends { readonly url: string; close(): Promise<void> }>(
  start: () => Promise<S>,
  slow: (server: S) => void,
): { readonly server: S; readonly gate: CountingGate } {
  const started = {} as { server: S; gate: CountingGate };
  beforeAll(async () => {
    started.server = await start();
    started.gate = await countingGate(started.server.url);
  });
  beforeEach(() => {
    slow(started.server);
    started.gate.reset();
  });
  afterAll(async () => {
    await started.gate?.close();
    await started.server?.close();
  });
  return started;
}

/** Sends five requests at once and waits for them all; each must fail with the tracker's own network error. */
export async function fiveTimingOut(send: () => Promise<unknown>, type: abstract new (...args: never[]) => Error): Promise<void> {
  const results = await Promise.allSettled(Array.from({ length: 5 }, send));
  expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
  for (const r of results as PromiseRejectedResult[]) {
    expect(r.reason).toBeInstanceOf(type);
    expect(r.reason).toMatchObject({ kind: 'network' });
  }
}
