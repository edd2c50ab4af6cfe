import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { BuiltReport } from '@agile-kpi/report';
import { CliError } from '../cli-error';

/**
 * Mail for the report command and the scheduler: addresses checked before anything is built, the SMTP server
 * from one URL (the form every mail library and CI secret store knows), the MIME message built by nodemailer
 * (HTML, text and the charts as inline `cid:` images), and delivery failures turned into one line that says
 * whose fault it is: 2 for what the user can fix (login, a refused recipient), 3 for the server or network.
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly exitCode: 2 | 3 = 3,
    /** The server's SMTP reply code, when it answered (451 is temporary, 550 permanent). */
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

/** The one-method port the senders use; nodemailer's transporter fills it, a test may fill it with anything. */
export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<{ messageId?: string; accepted?: unknown[]; rejected?: unknown[] }>;
}

// Deliberately simple: one @, a plausible local part and host labels. The server has the last word; this
// catches the typos ("bob@", "bob@example,com", "bob example.com") before anything is built or sent.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+)*$/;
const LABEL = /^[A-Za-z0-9\u00a0-\uffff]([A-Za-z0-9\u00a0-\uffff-]{0,61}[A-Za-z0-9\u00a0-\uffff])?$/;

export function isEmailAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1 || address.length > 254) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  return LOCAL.test(local) && local.length <= 64 && domain.split('.').every((l) => LABEL.test(l));
}

/**
 * A list of addresses ("a@x.com, Bob <b@y.com>", or several lists) as nodemailer takes them, duplicates removed;
 * throws a CliError naming `what` and the bad entry.
 */
export function parseAddresses(what: string, raw: string | readonly string[]): string[] {
  const text = (typeof raw === 'string' ? [raw] : raw).join(',');
  const out = new Map<string, string>();
  for (const part of splitList(text)) {
    const parsed = addressparser(part, { flatten: true });
    if (parsed.length !== 1 || !parsed[0]!.address || !isEmailAddress(parsed[0]!.address)) {
      throw new CliError(`${what}: '${part}' is not an email address (expected name@domain, e.g. lead@example.com)`);
    }
    const { name, address } = parsed[0]!;
    const key = address.toLowerCase();
    if (!out.has(key)) out.set(key, name ? `${JSON.stringify(name)} <${address}>` : address);
  }
  if (out.size === 0) throw new CliError(`${what} needs at least one address, e.g. lead@example.com,coach@example.com`);
  return [...out.values()];
}

/** One address (`--from`). */
export function parseAddress(what: string, raw: string): string {
  const list = parseAddresses(what, raw);
  if (list.length !== 1) throw new CliError(`${what} takes one address, got ${list.length}`);
  return list[0]!;
}

/** Commas separate addresses, except inside a quoted display name ("Doe, Jane" <jane@x>). */
function splitList(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    if ((c === ',' || c === ';') && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

export interface SmtpSettings {
  readonly options: SMTPTransport.Options;
  /** "smtp://mail.example.com:587" without the password, for messages and logs. */
  readonly label: string;
  readonly host: string;
}

/**
 * The SMTP server from `--smtp` or `SMTP_URL`: `smtp://` starts in plain text and upgrades with STARTTLS when the
 * server offers it (`?requireTLS=true` refuses to go on without it), `smtps://` is TLS from the first byte
 * (port 465). `user:pass@` logs in (percent-encode special characters). `?tls.rejectUnauthorized=false` accepts
 * a self-signed certificate (a relay inside your network).
 */
export function smtpSettings(raw: string | undefined, env: Readonly<Record<string, string | undefined>>, flag = '--smtp'): SmtpSettings {
  const text = raw ?? env['SMTP_URL'];
  if (!text) throw new CliError(`no SMTP server: pass ${flag} smtp://user:pass@mail.example.com:587 or set SMTP_URL (or write the files instead with --out <dir>)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`${flag} must be a URL like smtp://user:pass@mail.example.com:587 or smtps://mail.example.com, got '${redact(text)}'`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new CliError(`${flag} must start with smtp:// (STARTTLS) or smtps:// (TLS), got '${redact(text)}'`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new CliError(`${flag} names no host: '${redact(text)}'`);
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const flags = (name: string) => {
    const v = url.searchParams.get(name);
    return v === null ? undefined : v === 'true' || v === '1';
  };
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    throw new CliError(`${flag}: the user or password is not valid percent-encoding (encode @ as %40, : as %3A)`);
  }
  const rejectUnauthorized = flags('tls.rejectUnauthorized');
  const options: SMTPTransport.Options = {
    host,
    port,
    secure,
    ...(flags('requireTLS') ? { requireTLS: true } : {}),
    ...(flags('ignoreTLS') ? { ignoreTLS: true } : {}),
    ...(user ? { auth: { user, pass } } : {}),
    ...(rejectUnauthorized === false ? { tls: { rejectUnauthorized: false } } : {}),
    ...(url.searchParams.get('name') ? { name: url.searchParams.get('name')! } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  };
  return { options, label: `${url.protocol}//${url.host}`, host };
}

/** "smtp://user:***@host:587": a URL as it may appear in a message. */
export function redact(text: string): string {
  return text.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}

export function smtpTransport(settings: SmtpSettings): Transporter<SMTPTransport.SentMessageInfo> {
  return nodemailer.createTransport(settings.options);
}

export interface Envelope {
  readonly from: string;
  readonly to: readonly string[];
}

/**
 * The message: subject, the plain-text and HTML alternatives, and every chart as an inline image whose
 * Content-ID the HTML references. Marked as automatically generated (RFC 3834), so out-of-office replies stay
 * away.
 */
export function mailMessage(built: BuiltReport, envelope: Envelope): SendMailOptions {
  return {
    from: envelope.from,
    to: [...envelope.to],
    subject: built.subject,
    text: built.text,
    html: built.html,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    attachments: built.images.map((i) => ({ filename: i.filename, content: i.png, contentType: 'image/png', cid: i.cid, contentDisposition: 'inline' as const })),
  };
}

/** The message as an RFC 5322 file (`.eml`, CRLF line ends), built exactly as it would be sent. */
export async function rawMessage(message: SendMailOptions): Promise<Buffer> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await composer.sendMail(message);
  return info.message as Buffer;
}

/** Sends, and says in one line what went wrong if it did not. */
export async function deliver(transport: MailTransport, message: SendMailOptions, label: string): Promise<{ messageId?: string }> {
  try {
    const info = await transport.sendMail(message);
    return info.messageId ? { messageId: info.messageId } : {};
  } catch (err) {
    throw mailError(err, label);
  }
}

/** nodemailer's error codes, in words. */
export function mailError(err: unknown, label: string): MailError {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const reply = e.response ? ` (the server said: ${e.response.replace(/\s+/g, ' ').trim().slice(0, 200)})` : '';
  const rc = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  switch (e.code) {
    case 'EAUTH':
      return new MailError(`${label} refused the login: check the user and password in the SMTP URL${reply}`, 2, rc);
    case 'ENOAUTH':
      return new MailError(`${label} needs a login: put user:password@ in the SMTP URL`, 2, rc);
    case 'EENVELOPE':
      return new MailError(`${label} refused the sender or a recipient${reply}`, rc !== undefined && rc >= 500 ? 2 : 3, rc);
    case 'ETLS':
      return new MailError(`TLS with ${label} failed: ${e.message ?? 'unknown error'} (a self-signed certificate needs ?tls.rejectUnauthorized=false)`, 3, rc);
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
    case 'EDNS':
    case 'EPROTOCOL':
      return new MailError(`could not talk to ${label}: ${e.message ?? 'connection failed'}`, 3, rc);
    default:
      return new MailError(`${label} did not take the message: ${(e.message ?? String(err)).replace(/\s+/g, ' ').trim()}${reply && !e.message?.includes(e.response ?? '\0') ? reply : ''}`, rc !== undefined && rc >= 500 && rc < 600 ? 2 : 3, rc);
  }
}
