import { createHash } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { type ReportSummary, checkSummary } from '@agile-kpi/report';
import { type TeamScope, type TeamStore, exclusively } from '../team-store';

/** The store scope of what was sent: not a tracker's, so a re-sync from scratch (`--full`) keeps it. */
export const REPORT_SCOPE = { source: 'agile-kpi', site: 'local', scope: 'reports' } as const;

/** Sent periods kept per schedule entry; older ones cannot come round again. */
const KEEP_PERIODS = 500;

interface SentState {
  readonly periods: readonly string[];
  readonly lastSentAt?: string;
}

/**
 * What the CLI remembers about the reports it sent, in the store (SQLite or PostgreSQL): per team and audience,
 * the summary of the last report (so the next one shows the change since what these readers saw), and per
 * schedule entry the periods already sent (so a restart never sends a period twice).
 */
export class ReportMemory {
  private constructor(private readonly scope: TeamScope) {}

  static async open(store: TeamStore): Promise<ReportMemory> {
    return new ReportMemory(await store.scope(REPORT_SCOPE));
  }

  async previous(teamKey: string, recipients: readonly string[]): Promise<ReportSummary | undefined> {
    return checkSummary(await this.scope.getState(summaryName(teamKey, recipients)));
  }

  /** Keeps the summaries of one report together: all of them or, after a crash, none. */
  async remember(summaries: readonly ReportSummary[], recipients: readonly string[]): Promise<void> {
    const states = summaries.map((s) => [summaryName(s.teamKey, recipients), s] as const);
    const scope = this.scope;
    if ('exclusive' in scope) {
      await scope.transaction(async (tx) => {
        for (const [name, value] of states) await tx.setState(name, value);
      });
    } else {
      scope.transaction(() => {
        for (const [name, value] of states) scope.setState(name, value);
      });
    }
  }

  async wasSent(entry: string, period: string): Promise<boolean> {
    return (await this.sent(entry)).periods.includes(period);
  }

  async markSent(entry: string, periods: readonly string[], at: string): Promise<void> {
    const before = (await this.sent(entry)).periods.filter((p) => !periods.includes(p));
    await this.scope.setState(`sent:${entry}`, { periods: [...before, ...periods].slice(-KEEP_PERIODS), lastSentAt: at } satisfies SentState);
  }

  /**
   * Runs one send holding the memory's lock where the store has one: two schedulers on one PostgreSQL store (a
   * second server instance) then never both send a period, as the second finds it sent. On SQLite, `fn` runs as
   * before (one scheduler per file).
   */
  exclusively<T>(fn: () => Promise<T>): Promise<T> {
    return exclusively(this.scope, fn, { holder: "sending of a report (by agile-kpi report, schedule or a server's reports:)" });
  }

  private async sent(entry: string): Promise<SentState> {
    const s = await this.scope.getState<SentState>(`sent:${entry}`);
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
