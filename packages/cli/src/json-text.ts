import { CliError } from './cli-error';

/**
 * JSON.parse with an error a user can act on: "team.json: not valid JSON (Unexpected token } at line 3 column 5)".
 *
 * Node 20 reports some syntax errors with a character position and others ("Unexpected token ...") only with a
 * snippet of the text, and never with a line; a hand-edited export needs the line. So the position comes from
 * Node when it gives one, else from a small scan for the first offending character, and is turned into a line
 * and column here.
 */
export function parseJsonText(text: string, source: string): unknown {
  // Editors on Windows save UTF-8 with a byte order mark, which JSON.parse rejects.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const position = nodePosition(err.message) ?? firstSyntaxError(body) ?? body.length;
    const { line, column } = lineAndColumn(body, position);
    throw new CliError(`${source}: not valid JSON (${describeSyntaxError(err.message)} at line ${line} column ${column})`);
  }
}

/** Node's wording without the position and the echoed text, which we replace with a line and column. */
export function describeSyntaxError(message: string): string {
  return message
    // V8 echoes the text, shortened with "..." on either side when it is long.
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/^Unexpected token '(.+)'$/s, 'Unexpected token $1')
    .trim();
}

function nodePosition(message: string): number | undefined {
  const m = /at position (\d+)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: before.length - lastBreak };
}

const WS = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * Offset of the first character that breaks RFC 8259 JSON (the text's length for a premature end), or undefined
 * when the text is valid. Iterative, so that deeply nested input cannot overflow the stack.
 */
export function firstSyntaxError(text: string): number | undefined {
  let i = 0;
  const open: ('{' | '[')[] = [];
  const ws = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  /** Reads a string starting at the opening quote; returns false at the offending character. */
  const string = (): boolean => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return true;
      }
      if (c.charCodeAt(0) < 0x20) return false;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === undefined) {
          i++;
          return false;
        }
        if (e === 'u') {
          if (!HEX.test(text.slice(i + 2, i + 6))) {
            i += 2;
            while (i < text.length && /[0-9a-fA-F]/.test(text[i]!)) i++;
            return false;
          }
          i += 6;
          continue;
        }
        if (!ESCAPES.has(e)) {
          i++;
          return false;
        }
        i += 2;
        continue;
      }
      i++;
    }
    return false;
  };
  /** Reads `"key" :` inside an object; returns false at the offending character. */
  const key = (): boolean => {
    ws();
    if (text[i] !== '"' || !string()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };

  for (;;) {
    // A value is expected at i.
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      open.push(c);
      i++;
      ws();
      const close = c === '{' ? '}' : ']';
      if (text[i] !== close) {
        if (c === '{' && !key()) return i;
        continue;
      }
      i++;
      open.pop();
    } else if (c === '"') {
      if (!string()) return i;
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || m[0] === '-') return c === '-' ? i + 1 : i;
      i += m[0].length;
    } else if (c === 't' || c === 'f' || c === 'n') {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
      for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) return i;
    } else {
      return i;
    }
    // After a value: a separator, the end of its container, or the end of the text.
    for (;;) {
      ws();
      const top = open[open.length - 1];
      if (top === undefined) return i < text.length ? i : undefined;
      const d = text[i];
      if (d === ',') {
        i++;
        if (top === '{' && !key()) return i;
        break;
      }
      if ((top === '{' && d === '}') || (top === '[' && d === ']')) {
        i++;
        open.pop();
        continue;
      }
      return i;
    }
  }
}
