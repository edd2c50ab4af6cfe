import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/**
 * A real SMTP server on loopback (smtp-server, the server half of nodemailer's project): login required, STARTTLS
 * offered with smtp-server's built-in self-signed certificate (or TLS from the first byte with `secure`), every
 * accepted message kept raw with its envelope. `failRecipient` makes it refuse one address with a temporary
 * error a number of times, as a mail server does under load or greylisting.
 */
export interface ReceivedMail {
  readonly raw: Buffer;
  readonly from: string;
  readonly to: readonly string[];
  /** The connection was encrypted (STARTTLS or TLS) when the message was sent. */
  readonly secure: boolean;
  readonly user?: string;
  parse(): Promise<ParsedMail>;
}

export interface SmtpSink {
  readonly port: number;
  readonly received: ReceivedMail[];
  /** `smtp://user:pass@127.0.0.1:port?...` for SMTP_URL. */
  url(options?: { user?: string; pass?: string; secure?: boolean; query?: string }): string;
  /** Answer RCPT TO for `address` with `code` (451: try again later) the next `times` times. */
  failRecipient(address: string, times: number, code?: number): void;
  /** Resolves when `n` messages have been received. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const SMTP_USER = 'reporter';
export const SMTP_PASS = 'p@ss:word';

export async function startSmtpSink(options: { secure?: boolean } = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const failures = new Map<string, { times: number; code: number }>();
  const waiters: { n: number; resolve: () => void }[] = [];
  const opts: SMTPServerOptions = {
    secure: options.secure === true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    disabledCommands: [],
    onAuth(auth, _session, cb) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      const f = failures.get(address.address.toLowerCase());
      if (f && f.times > 0) {
        f.times--;
        return cb(Object.assign(new Error(`Mailbox busy, try again later`), { responseCode: f.code }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({
          raw,
          from,
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          ...(session.user ? { user: String(session.user) } : {}),
          parse: () => simpleParser(raw, { keepCidLinks: true }),
        });
        for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
        cb();
      });
    },
  };
  const server = new SMTPServer(opts);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    url: ({ user = SMTP_USER, pass = SMTP_PASS, secure = options.secure === true, query } = {}) =>
      `${secure ? 'smtps' : 'smtp'}://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}?${secure ? '' : 'requireTLS=true&'}tls.rejectUnauthorized=false${query ? `&${query}` : ''}`,
    failRecipient: (address, times, code = 451) => void failures.set(address.toLowerCase(), { times, code }),
    waitFor: (n, timeoutMs = 20_000) =>
      received.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${n} messages, got ${received.length}`)), timeoutMs);
            waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
          }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** PNG: the signature, then the IHDR chunk (width and height, big-endian). */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.subarray(12, 16).toString('ascii') !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
