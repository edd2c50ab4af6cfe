import { ResilientClient, type TrackerErrors } from './resilient-client';
import { type TrackerResponse, type TrackerTransport, TransportFailure } from './transport';

const errors: TrackerErrors = {
  http: (status) => new Error(`HTTP ${status}`),
  network: (f) => new Error(`network: ${f.message}`),
};

function scripted(answers: TrackerResponse[]): TrackerTransport<string> & { calls: string[] } {
  const calls: string[] = [];
  return {
    site: 'https://dev.azure.com/acme',
    principal: 'a PAT',
    calls,
    async send(r) {
      calls.push(r);
      return answers.shift()!;
    },
  };
}

describe('ResilientClient', () => {
  it("slows down when a tracker delays a request but still serves it (Azure DevOps' Retry-After on 200)", async () => {
    const log: string[] = [];
    const t = scripted([
      { status: 200, headers: { 'retry-after': '3', 'x-ratelimit-delay': '2.5' }, body: 'a' },
      { status: 200, headers: {}, body: 'b' },
    ]);
    const c = new ResilientClient(t, errors, {
      sleep: async (ms) => void log.push(`sleep ${ms}`),
      events: { onResponse: (r, s) => void log.push(`${r} ${s}`) },
    });
    expect((await c.send('first', 'read a', '/a')).body).toBe('a');
    expect((await c.send('second', 'read b', '/b')).body).toBe('b');
    // The first answer is used as it is; the pause comes before the next request goes out.
    expect(log).toEqual(['first 200', 'sleep 3000', 'second 200']);
    expect(c.stats).toMatchObject({ requests: 2, retries: 0, waitedMs: 3000 });
  });

  it('hands a final failure to the tracker’s own wording', async () => {
    const c = new ResilientClient(scripted([{ status: 404, headers: {}, body: {} }]), errors, { sleep: async () => {} });
    await expect(c.send('x', 'read x', '/x')).rejects.toThrow('HTTP 404');
  });

  describe('cancellation', () => {
    const ok: TrackerResponse = { status: 200, headers: {}, body: 'ok' };

    /** A tracker that answers only when the test says so; counts what is in flight on its side. */
    function held(honoursSignal: boolean) {
      const calls: string[] = [];
      const signals: AbortSignal[] = [];
      const answer = new Map<string, () => void>();
      const state = { inFlight: 0, maxInFlight: 0 };
      const transport: TrackerTransport<string> = {
        site: 'https://x.test',
        principal: 'a test',
        send(r, signal) {
          calls.push(r);
          signals.push(signal!);
          state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
          return new Promise<TrackerResponse>((resolve, reject) => {
            answer.set(r, () => resolve(ok));
            if (honoursSignal) signal!.addEventListener('abort', () => reject(signal!.reason), { once: true });
          }).finally(() => state.inFlight--);
        },
      };
      return { transport, calls, signals, answer, state };
    }
    /** Lets every timer and I/O callback that is due run. */
    const settle = () => new Promise((r) => setTimeout(r, 5));

    it('aborts a request that timed out and keeps its slot until it has really ended', async () => {
      const t = held(false);
      const c = new ResilientClient(t.transport, errors, { concurrency: 1, timeoutMs: 10, retry: { failureRetries: 0 }, sleep: async () => {} });
      await expect(c.send('slow', 'read slow', '/slow')).rejects.toThrow('network: no answer within 10 ms');
      expect(t.signals[0]!.aborted).toBe(true);
      expect(t.signals[0]!.reason).toBeInstanceOf(TransportFailure);
      expect((t.signals[0]!.reason as TransportFailure).kind).toBe('timeout');
      // This transport cannot cancel: the slow request is still on the wire, so the next one waits for it.
      const next = c.send('next', 'read next', '/next');
      await settle();
      expect(t.calls).toEqual(['slow']);
      t.answer.get('slow')!();
      await settle();
      expect(t.calls).toEqual(['slow', 'next']);
      t.answer.get('next')!();
      expect((await next).body).toBe('ok');
      expect(t.state.maxInFlight).toBe(1);
    });

    it('never has more requests in flight than the limit while every one times out and is retried', async () => {
      const t = held(true);
      const c = new ResilientClient(t.transport, errors, { concurrency: 2, timeoutMs: 10, retry: { failureRetries: 1 }, sleep: async () => {} });
      const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((r) => c.send(r, `read ${r}`, `/${r}`)));
      expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
      expect(t.calls).toHaveLength(10);
      expect(t.signals.every((s) => s.aborted)).toBe(true);
      expect(t.state).toEqual({ inFlight: 0, maxInFlight: 2 });
    });

    it('stops at once when the caller gives up: the request is aborted and not retried', async () => {
      const t = held(true);
      const c = new ResilientClient(t.transport, errors, { concurrency: 1, timeoutMs: 60_000, sleep: async () => {} });
      const caller = new AbortController();
      const sent = c.send('a', 'read a', '/a', caller.signal);
      // Waits in line behind 'a' and leaves the line when its caller gives up: never sent.
      const queuedCaller = new AbortController();
      const queued = c.send('b', 'read b', '/b', queuedCaller.signal);
      await settle();
      queuedCaller.abort(new Error('b no longer needed'));
      await expect(queued).rejects.toThrow('b no longer needed');
      caller.abort(new Error('the user left'));
      await expect(sent).rejects.toThrow('the user left');
      expect(t.calls).toEqual(['a']);
      expect(t.signals[0]!.reason).toEqual(new Error('the user left'));
      // The slot is free again.
      const after = c.send('c', 'read c', '/c');
      await settle();
      t.answer.get('c')!();
      expect((await after).body).toBe('ok');
      expect(t.state.maxInFlight).toBe(1);
    });
  });
});
