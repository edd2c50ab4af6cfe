import type { TrackerResponse, TrackerTransport } from '@agile-kpi/tracker-client';
import { BudgetExceeded, budgetedTransport } from './budget';

/** A transport whose request runs until its signal aborts it; without a signal it answers at once (it could not be cancelled). */
function cancellable(): TrackerTransport<string> & { readonly signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = [];
  return {
    site: 'https://example.atlassian.net',
    principal: 'someone',
    signals,
    send: (_request, signal) => {
      signals.push(signal);
      if (!signal) return Promise.resolve<TrackerResponse>({ status: 200, headers: {}, body: 'not cancellable' });
      return new Promise<TrackerResponse>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    },
  };
}

const clock = (now: number) => ({ now: () => now, sleep: async () => {} });

describe('budgetedTransport', () => {
  test('passes the caller\'s AbortSignal on: a request the client gives up on (its timeout) is cancelled on the wire', async () => {
    const inner = cancellable();
    const controller = new AbortController();
    const sending = budgetedTransport(inner, clock(1_000), 2_000).send('GET /rest/api/3/myself', controller.signal);
    const timedOut = new Error('no answer within 30000 ms');
    controller.abort(timedOut);
    await expect(sending).rejects.toBe(timedOut);
    expect(inner.signals).toEqual([controller.signal]);
  });

  test('refuses to start a request at or past the deadline, without sending it', async () => {
    const inner = cancellable();
    await expect(budgetedTransport(inner, clock(2_000), 2_000).send('GET /rest/api/3/myself', new AbortController().signal)).rejects.toBeInstanceOf(BudgetExceeded);
    expect(inner.signals).toEqual([]);
  });
});
