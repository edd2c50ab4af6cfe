import { gunzipSync, gzipSync } from 'node:zlib';
import type { HostResult } from '@agile-kpi/presentation';
import { ConfigError, MAX_UPLOAD_CHARS } from '@agile-kpi/hosted-service';

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

/**
 * An outcome file the gadget sent compressed (`{ kind, name, encoding: 'gzip-base64', data }`: the same gzip and
 * base64 as a packed answer, the other way, so that a large survey export travels about ten times smaller) as the
 * upload reads it: `{ kind, name, text }`. Anything else is returned as it is. Unpacking stops past what an upload
 * may hold (a file that inflates beyond it is refused, never unpacked whole).
 */
export function unpackUpload(payload: unknown): unknown {
  const p = payload as { encoding?: unknown; data?: unknown } | null | undefined;
  if (p?.encoding === undefined) return payload;
  const { encoding, data, ...rest } = p as Record<string, unknown>;
  if (encoding !== 'gzip-base64' || typeof data !== 'string') throw new ConfigError(`an upload's encoding must be gzip-base64 with the file in data, got ${JSON.stringify(encoding)}`);
  let text: string;
  try {
    // UTF-8 takes at most 3 bytes a character: more than that is more characters than an upload may hold.
    text = gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: 3 * MAX_UPLOAD_CHARS + 3 }).toString('utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new ConfigError(`the file is larger than ${MAX_UPLOAD_CHARS / 1_000_000} MB: split it, or import it with agile-kpi outcomes import`);
    throw new ConfigError(`the compressed file could not be unpacked (${(err as Error).message}); upload it again`);
  }
  return { ...rest, text };
}

function mb(n: number): string {
  return (n / 1024 / 1024).toFixed(1);
}
