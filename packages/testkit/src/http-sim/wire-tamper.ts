/**
 * A test's hand on what a simulated tracker sends: called with each successful JSON answer before it is written,
 * it returns the body to send instead (or the same one). For payloads no simulated team produces: a malformed
 * field on one issue, a work item deleted between two requests, a record the tracker should never have sent.
 * The body is a fresh copy per answer; change it in place or return another.
 */
export type WireTamper<K extends string = string> = (answer: { readonly kind: K; readonly method: string; readonly path: string; readonly requestBody?: unknown; body: unknown }) => unknown;

/** Applies a tamper to a 2xx JSON answer; anything else passes untouched. */
export function tamperWith<K extends string>(
  tamper: WireTamper<K> | undefined,
  answer: { kind: K; method: string; path: string; requestBody?: unknown },
  response: { status: number; body: unknown },
): unknown {
  if (!tamper || response.status < 200 || response.status > 299 || typeof response.body !== 'object' || response.body === null) return response.body;
  return tamper({ ...answer, body: JSON.parse(JSON.stringify(response.body)) as unknown });
}
