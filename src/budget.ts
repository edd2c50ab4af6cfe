import type { JiraTransport } from '@agile-kpi/jira';

/**
 * Time budgets. Forge stops a resolver after 25 s and a scheduled function after its `timeoutSeconds`; a sync
 * that is stopped from outside loses nothing (it resumes), but the user then gets no answer at all. So the
 * work is given a deadline well inside the platform's: past it, no new Jira request starts and no wait
 * begins, and the caller answers with what it has.
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

/**
 * A transport that refuses to start a request after the deadline. It throws BudgetExceeded, which is not a
 * TransportFailure: the resilient client passes it through at once instead of retrying.
 */
export function budgetedTransport(transport: JiraTransport, clock: Clock, deadlineMs: number): JiraTransport {
  return {
    site: transport.site,
    principal: transport.principal,
    send(request) {
      if (clock.now() >= deadlineMs) return Promise.reject(new BudgetExceeded(deadlineMs));
      return transport.send(request);
    },
  };
}

/**
 * A sleep that refuses a wait that would end after the deadline (a long Retry-After near the end). It carries
 * the clock and the deadline, so the Jira client can tell a rate limit that lifts only after the deadline
 * (Jira's hourly quota) at once, as its own error, instead of a budget that ran out.
 */
export function budgetedSleep(clock: Clock, deadlineMs: number): ((ms: number) => Promise<void>) & { readonly now: () => number; readonly deadlineMs: number } {
  const sleep = (ms: number) => (clock.now() + ms > deadlineMs ? Promise.reject(new BudgetExceeded(deadlineMs)) : clock.sleep(ms));
  return Object.assign(sleep, { now: () => clock.now(), deadlineMs });
}
