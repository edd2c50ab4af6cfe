import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsReport } from '@agile-kpi/core';
import { fileError } from './cli-error';
import { wantsColor, writeAllSync, type Io } from './io';
import { renderText } from './render-text';

/**
 * Where a report goes, shared by `demo` and `metrics`: the summary or the JSON on stdout, and with `--out` a
 * `metrics.json` on disk. With `--format json` stdout carries nothing but the JSON (so it can be piped into
 * jq), and the note about written files goes to stderr.
 */
export type OutputFormat = 'text' | 'json';

export interface EmitOptions {
  readonly format: OutputFormat;
  /** Directory for metrics.json. */
  readonly out?: string;
}

export function emitReport(report: MetricsReport, options: EmitOptions, io: Io, notes: readonly string[] = []): void {
  const written = [...notes];
  if (options.out !== undefined) written.push(`wrote ${writeJson(join(options.out, 'metrics.json'), report, options.out)}`);
  if (options.format === 'json') {
    const bytes = io.stdout.writeBytesSync?.bind(io.stdout);
    writeBuffered(jsonParts(report), bytes ? encodedInto(bytes) : (text) => io.stdout.write(text));
    for (const n of written) io.stderr.write(`${n}\n`);
  } else {
    io.stdout.write(renderText(report, { color: wantsColor(io) }));
    for (const n of written) io.stdout.write(`${n}\n`);
  }
}

/** How `jsonParts` cuts: containers this deep are written member by member, longer arrays this many elements at a time. */
export interface JsonPartsOptions {
  readonly depth?: number;
  readonly batch?: number;
}

/**
 * `JSON.stringify(value, null, 2)` and a newline, in pieces that join to exactly that text. A large board's report
 * is tens of megabytes of JSON: cut into pieces (a plain object or a short array member by member, a long array a
 * batch of elements at a time, each piece still written by `JSON.stringify`), it is never one string, nor one
 * buffer, in memory. (A `toJSON` that reads the key it is given sees "0" for an array element nested in a piece.)
 */
export function* jsonParts(value: unknown, options: JsonPartsOptions = {}): Generator<string> {
  yield* jsonPiece(value, 0, options.depth ?? 8, options.batch ?? 64);
  yield '\n';
}

const indent = (depth: number) => '  '.repeat(depth);

/** Objects and arrays JSON writes member by member (no toJSON, no class of their own). */
function isPlain(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What JSON leaves out of an object, and writes as null in an array. */
const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** `JSON.stringify(value, null, 2)` as it stands `depth` levels deep (its lines after the first indented so). */
function nested(value: unknown, depth: number): string {
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // Each wrapping array adds a line '  '.repeat(i) + '[' before and '\n' + '  '.repeat(i) + ']' after.
  return text.slice(depth * depth + 3 * depth, text.length - (depth * depth + depth));
}

function* jsonPiece(value: unknown, depth: number, maxDepth: number, batch: number): Generator<string> {
  if (depth >= maxDepth || !isPlain(value)) {
    yield nested(value, depth);
    return;
  }
  const inner = indent(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < value.length; i += value.length > batch ? batch : 1) {
      if (i > 0) yield ',\n';
      if (value.length > batch) {
        // The array's own lines for these elements: the text of the slice without its brackets.
        const text = nested(value.slice(i, i + batch), depth);
        yield text.slice(2, text.length - (2 * depth + 2));
      } else {
        yield inner;
        yield* jsonPiece(omitted(value[i]) ? null : value[i], depth + 1, maxDepth, batch);
      }
    }
    yield `\n${indent(depth)}]`;
    return;
  }
  const keys = Object.keys(value).filter((key) => !omitted(value[key]));
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (const [i, key] of keys.entries()) {
    yield `${i > 0 ? ',\n' : ''}${inner}${JSON.stringify(key)}: `;
    yield* jsonPiece(value[key], depth + 1, maxDepth, batch);
  }
  yield `\n${indent(depth)}}`;
}

/** Pieces written in strings of about `size` characters: few writes, and no string much larger than a piece. */
function writeBuffered(parts: Iterable<string>, write: (text: string) => void, size = 1 << 16): void {
  let pending: string[] = [];
  let length = 0;
  for (const part of parts) {
    pending.push(part);
    length += part.length;
    if (length >= size) {
      write(pending.join(''));
      pending = [];
      length = 0;
    }
  }
  if (pending.length) write(pending.join(''));
}

/**
 * Text to UTF-8 in one buffer, used again for each piece (grown when a piece needs more), handed to `write`, which
 * must be done with the bytes when it returns.
 */
function encodedInto(write: (bytes: Uint8Array, length: number) => void): (text: string) => void {
  let buffer = Buffer.allocUnsafe(1 << 18);
  return (text) => {
    // A UTF-16 code unit is at most three bytes of UTF-8.
    if (text.length * 3 > buffer.length) buffer = Buffer.allocUnsafe(text.length * 3);
    write(buffer, buffer.write(text, 'utf8'));
  };
}

/** Writes a report's JSON to a file piece by piece (creating `dir` first); returns the path for the "wrote ..." note. */
function writeJson(path: string, value: object, dir: string): string {
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(path, 'w');
    try {
      writeBuffered(
        jsonParts(value),
        encodedInto((bytes, length) => writeAllSync(fd, bytes, length)),
      );
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw fileError('write', path, err);
  }
  return path;
}

/** Writes a file (creating `dir` first when given); returns the path for the "wrote ..." note. */
export function writeText(path: string, text: string, dir?: string): string {
  try {
    if (dir !== undefined) mkdirSync(dir, { recursive: true });
    writeFileSync(path, text, 'utf8');
  } catch (err) {
    throw fileError('write', path, err);
  }
  return path;
}
