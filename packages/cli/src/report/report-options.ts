import { CliError } from '../cli-error';
import type { Io } from '../io';
import { parseAddress } from './mail';

/** Options the report command and the schedules file share, checked the same way. */

/** The sender: --from, $SMTP_FROM, the SMTP login when it is an address, else agile-kpi@localhost. */
export function senderOf(flag: string | undefined, env: Io['env'], smtpUser: string | undefined, what = '--from'): string {
  if (flag !== undefined) return parseAddress(what, flag);
  if (env['SMTP_FROM']) return parseAddress('SMTP_FROM', env['SMTP_FROM']);
  if (smtpUser && /@/.test(smtpUser)) {
    try {
      return `agile-kpi <${parseAddress('the SMTP user', smtpUser)}>`;
    } catch {
      // Not an address after all: fall through.
    }
  }
  return 'agile-kpi <agile-kpi@localhost>';
}

export function checkUrl(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch {
    // Reported below.
  }
  throw new CliError(`${flag} must be an http(s) URL, e.g. https://your-domain.atlassian.net/jira/dashboards/10000, got '${raw}'`);
}
