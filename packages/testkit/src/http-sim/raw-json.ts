/**
 * JSON read without losing its text: the members of an object and the elements of an array as the exact text they
 * were written with (`2.0` stays `2.0`, `"\u00e9"` stays escaped, indentation stays), so that a replay server can
 * send captured payloads byte for byte while it pages them and leaves fields out. Only what is taken apart is
 * rewritten: `rawObject` joins members back with `,` and no spaces.
 */

/** A JSON text, captured (sent as it is) or synthesized (`JSON.stringify`). */
export type JsonText = string;

/** The members of a JSON object: each key with the text of its value. */
export type RawMembers = readonly (readonly [key: string, text: JsonText])[];

/** The members of the object `text` holds, in their order, each value as its own text. */
export function rawMembers(text: JsonText): RawMembers {
  const out: [string, string][] = [];
  let i = expect(text, skipSpace(text, 0), '{');
  i = skipSpace(text, i);
  if (text[i] === '}') return end(text, i + 1, out);
  for (;;) {
    const keyEnd = skipString(text, expect(text, i, '"') - 1);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const start = skipSpace(text, expect(text, skipSpace(text, keyEnd), ':'));
    const stop = skipValue(text, start);
    out.push([key, text.slice(start, stop)]);
    i = skipSpace(text, stop);
    if (text[i] === '}') return end(text, i + 1, out);
    i = skipSpace(text, expect(text, i, ','));
  }
}

/** The elements of the array `text` holds, each as its own text. */
export function rawElements(text: JsonText): JsonText[] {
  const out: string[] = [];
  let i = skipSpace(text, expect(text, skipSpace(text, 0), '['));
  if (text[i] === ']') return end(text, i + 1, out);
  for (;;) {
    const stop = skipValue(text, i);
    out.push(text.slice(i, stop));
    i = skipSpace(text, stop);
    if (text[i] === ']') return end(text, i + 1, out);
    i = skipSpace(text, expect(text, i, ','));
  }
}

/** The value of one member (`undefined` when the object has none). */
export function rawMember(members: RawMembers, key: string): JsonText | undefined {
  return members.find(([k]) => k === key)?.[1];
}

/** An object written back from members (values as their texts). */
export function rawObject(members: RawMembers): JsonText {
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/** An array written back from element texts. */
export function rawArray(elements: readonly JsonText[]): JsonText {
  return `[${elements.join(',')}]`;
}

/** Members with some values replaced (`undefined` leaves the member out); others keep their text. */
export function withMembers(members: RawMembers, replace: Readonly<Record<string, JsonText | undefined>>): RawMembers {
  return members.flatMap(([k, v]): (readonly [string, string])[] => {
    if (!(k in replace)) return [[k, v]];
    const next = replace[k];
    return next === undefined ? [] : [[k, next]];
  });
}

function end<T>(text: string, i: number, value: T): T {
  if (skipSpace(text, i) !== text.length) {
    // A value inside a larger text: callers hand over exactly one value.
    throw new SyntaxError(`unexpected text after the JSON value at ${i}: ${text.slice(i, i + 20)}`);
  }
  return value;
}

function expect(text: string, i: number, ch: string): number {
  if (text[i] !== ch) throw new SyntaxError(`expected '${ch}' at ${i}, found ${JSON.stringify(text.slice(i, i + 20))}`);
  return i + 1;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/** The index after the string starting at `i` (a `"`). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  throw new SyntaxError(`unterminated string at ${i}`);
}

const PRIMITIVE = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** The index after the JSON value starting at `i`. */
function skipValue(text: string, i: number): number {
  const ch = text[i];
  if (ch === '"') return skipString(text, i);
  if (ch === '{' || ch === '[') {
    const close = ch === '{' ? '}' : ']';
    let j = skipSpace(text, i + 1);
    if (text[j] === close) return j + 1;
    for (;;) {
      if (ch === '{') j = skipSpace(text, expect(text, skipSpace(text, skipString(text, expect(text, j, '"') - 1)), ':'));
      j = skipSpace(text, skipValue(text, j));
      if (text[j] === close) return j + 1;
      j = skipSpace(text, expect(text, j, ','));
    }
  }
  PRIMITIVE.lastIndex = i;
  if (PRIMITIVE.test(text)) return PRIMITIVE.lastIndex;
  throw new SyntaxError(`no JSON value at ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
}
