import { type IncomingMessage, type RequestListener, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestLog } from './request-log';

/** What the replay servers (`../jira/captured-site.ts`, `../azure-devops/captured-site.ts`) share about HTTP. */

/** A replay server on loopback: where it listens, what it was asked, and how to stop it. */
export interface ReplayServer<K extends string> {
  readonly url: string;
  readonly requests: RequestLog<K>;
  close(): Promise<void>;
}

/** A server clock: a fixed instant (epoch ms or ISO) or a function. */
export function clockOf(now: number | string | (() => number)): () => number {
  if (typeof now === 'function') return now;
  const ms = typeof now === 'number' ? now : Date.parse(now);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(now)}`);
  return () => ms;
}

/** A request's body as text. */
export function bodyText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** Listens on 127.0.0.1 (`port` 0: a free one); resolves with the port and a function that stops the server. */
export async function listenOnLoopback(handle: RequestListener, port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
