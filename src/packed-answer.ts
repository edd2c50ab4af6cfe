import { gzipSync } from 'node:zlib';
import type { HostResult } from '@agile-kpi/dashboard';

/** Forge's limit on a resolver's answer to Custom UI ("front-end invocation response payload size": 5 MB). */
export const FORGE_RESPONSE_LIMIT_BYTES = 5 * 1024 * 1024;
/** Answers bigger than this travel gzip-compressed; smaller ones as they are (nothing to gain). */
export const PACK_ABOVE_BYTES = 256 * 1024;

/** A resolver's successful answer, compressed: gzip of its JSON, in base64. The gadget's host unpacks it. */
export interface PackedAnswer {
  readonly ok: true;
  readonly encoding: 'gzip-base64';
  readonly data: string;
  /** Size of the JSON before compression, in bytes. */
  readonly bytes: number;
}

export interface PackLimits {
  readonly packAboveBytes?: number;
  readonly limitBytes?: number;
}

/**
 * What a resolver hands Forge: small answers as they are; big ones (a board's metrics carry every item behind
 * every number — about 6 MB of JSON for 5 000 issues) gzip-compressed, about ten times smaller; an answer
 * still over Forge's 5 MB limit becomes an error saying so, instead of a failure Forge would report without
 * a reason.
 *
 * @example packAnswer({ ok: true, data: bigPayload }) // { ok: true, encoding: 'gzip-base64', data: 'H4sI…', bytes: 6_001_234 }
 */
export function packAnswer<T>(result: HostResult<T>, limits: PackLimits = {}): HostResult<T> | PackedAnswer {
  if (!result.ok) return result;
  const json = JSON.stringify(result.data);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= (limits.packAboveBytes ?? PACK_ABOVE_BYTES)) return result;
  const data = gzipSync(json).toString('base64');
  const limit = limits.limitBytes ?? FORGE_RESPONSE_LIMIT_BYTES;
  // Room for the envelope Forge wraps around the answer.
  if (data.length + 1024 > limit) {
    return {
      ok: false,
      error: {
        kind: 'too-large',
        message: `this board's metrics come to ${mb(data.length)} MB even compressed (${mb(bytes)} MB of data), over the ${mb(limit)} MB Forge lets a gadget receive`,
      },
    };
  }
  return { ok: true, encoding: 'gzip-base64', data, bytes };
}

function mb(n: number): string {
  return (n / 1024 / 1024).toFixed(1);
}
