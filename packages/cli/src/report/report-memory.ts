import { createHash } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import type { AgileStore, ScopeStore } from '@agile-kpi/store';
import { type ReportSummary, checkSummary } from '@agile-kpi/report';

/** The store scope of what was sent: not a tracker's, so a re-sync from scratch (`--full`) keeps it. */
export const REPORT_SCOPE = { source: 'agile-kpi', site: 'local', scope: 'reports' } as const;

/** Sent periods kept per schedule entry; older ones cannot come round again. */
const KEEP_PERIODS = 500;

interface SentState {
  readonly periods: readonly string[];
  readonly lastSentAt?: string;
}

/**
 * What the CLI remembers about the reports it sent, in the local store: per team and audience, the summary of
 * the last report (so the next one shows the change since what these readers saw), and per schedule entry the
 * periods already sent (so a restart never sends a period twice).
 */
export class ReportMemory {
  private readonly scope: ScopeStore;

  constructor(store: AgileStore) {
    this.scope = store.scope(REPORT_SCOPE);
  }

  previous(teamKey: string, recipients: readonly string[]): ReportSummary | undefined {
    return checkSummary(this.scope.getState(summaryName(teamKey, recipients)));
  }

  remember(summaries: readonly ReportSummary[], recipients: readonly string[]): void {
    this.scope.transaction(() => {
      for (const s of summaries) this.scope.setState(summaryName(s.teamKey, recipients), s);
    });
  }

  wasSent(entry: string, period: string): boolean {
    return this.sent(entry).periods.includes(period);
  }

  markSent(entry: string, periods: readonly string[], at: string): void {
    const before = this.sent(entry).periods.filter((p) => !periods.includes(p));
    this.scope.setState(`sent:${entry}`, { periods: [...before, ...periods].slice(-KEEP_PERIODS), lastSentAt: at } satisfies SentState);
  }

  private sent(entry: string): SentState {
    const s = this.scope.getState<SentState>(`sent:${entry}`);
    return s && Array.isArray(s.periods) ? s : { periods: [] };
  }
}

/** The same readers, however their addresses are written ("Lead <LEAD@x.com>" is lead@x.com). */
export function audienceKey(recipients: readonly string[]): string {
  const addresses = recipients.flatMap((r) => addressparser(r, { flatten: true }).map((a) => a.address.toLowerCase()));
  return createHash('sha256').update([...new Set(addresses)].sort().join(',')).digest('hex').slice(0, 16);
}

function summaryName(teamKey: string, recipients: readonly string[]): string {
  return `summary:${audienceKey(recipients)}:${teamKey}`;
}
