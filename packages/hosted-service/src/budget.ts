import type { TrackerTransport } from '@agile-kpi/tracker-client';

/**
 * Time budgets. A platform stops a call from outside (Forge: a resolver after 25 s, a scheduled function after its
 * `timeoutSeconds`; a browser page when it is closed); a sync stopped that way loses nothing (it resumes), but the
 * user gets no answer at all. So the work has a deadline well inside the platform's: past it no request starts and
 * no wait begins, and the caller answers with what it has.
 */
export class BudgetExceeded extends Error {
  constructor(readonly deadlineMs: number) {
    super('the time budget for this call ran out');
    this.name = 'BudgetExceeded';
  }
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The error a budgeted step throws past its deadline (default: {@link BudgetExceeded}). */
export type Overrun = (deadlineMs: number) => Error;

const overrun: Overrun = (deadlineMs) => new BudgetExceeded(deadlineMs);

/**
 * A transport that refuses to start a request after the deadline. Its error is not a TransportFailure: the
 * resilient client passes it through at once instead of retrying.
 */
export function budgetedTransport<R>(transport: TrackerTransport<R>, clock: Clock, deadlineMs: number, error: Overrun = overrun): TrackerTransport<R> {
  return {
    site: transport.site,
    principal: transport.principal,
    send: (request, signal) => (clock.now() >= deadlineMs ? Promise.reject(error(deadlineMs)) : transport.send(request, signal)),
  };
}

/**
 * A sleep that refuses a wait that would end after the deadline (a long Retry-After near the end). It carries the
 * clock and the deadline, so a client can tell a rate limit that lifts only after the deadline (Jira's hourly
 * quota) at once, as its own error, instead of a budget that ran out.
 */
export function budgetedSleep(clock: Clock, deadlineMs: number, error: Overrun = overrun): ((ms: number) => Promise<void>) & { readonly now: () => number; readonly deadlineMs: number } {
  const sleep = (ms: number) => (clock.now() + ms > deadlineMs ? Promise.reject(error(deadlineMs)) : clock.sleep(ms));
  return Object.assign(sleep, { now: () => clock.now(), deadlineMs });
}
