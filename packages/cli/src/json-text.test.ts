import { describeSyntaxError, firstSyntaxError, lineAndColumn, parseJsonText } from './json-text';

/** The message parseJsonText throws for `text`. */
function failure(text: string): string {
  try {
    parseJsonText(text, 'x.json');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a syntax error');
}

describe('parseJsonText', () => {
  test('parses valid JSON, with or without a byte order mark', () => {
    expect(parseJsonText('{"a":[1,2,{"b":null}]}', 'x.json')).toEqual({ a: [1, 2, { b: null }] });
    expect(parseJsonText('\uFEFF{"a":1}', 'x.json')).toEqual({ a: 1 });
  });

  test('a long text is not echoed back, only the line and column', () => {
    const long = `{\n  "padding": "${'x'.repeat(200)}",\n  "team": }\n`;
    expect(failure(long)).toBe('x.json: not valid JSON (Unexpected token } at line 3 column 11)');
  });

  test('a stray closing brace is reported at its line and column', () => {
    expect(failure('{\n  "a": 1,\n    }')).toBe('x.json: not valid JSON (Expected double-quoted property name at line 3 column 5)');
    expect(failure('{\n  "a":\n    }')).toBe('x.json: not valid JSON (Unexpected token } at line 3 column 5)');
  });

  test('a premature end points after the last character', () => {
    expect(failure('{"a": [1,\n2')).toMatch(/^x\.json: not valid JSON \(.+ at line 2 column 2\)$/);
    expect(failure('{"a": [1,\n')).toBe('x.json: not valid JSON (Unexpected end of JSON input at line 2 column 1)');
    expect(failure('')).toBe('x.json: not valid JSON (Unexpected end of JSON input at line 1 column 1)');
  });

  test('the scan finds the same offending character as Node where Node reports a position', () => {
    const cases = ['{"a" 1}', '{"a":1,}', '[1 2]', '{"a":tru}', '{"a":"\u0001"}', '{"a":"\\x"}', '[1]]', '{"a":01}', '{,}', '{"a":-}'];
    for (const text of cases) {
      let nodeMessage = '';
      try {
        JSON.parse(text);
      } catch (err) {
        nodeMessage = (err as Error).message;
      }
      const m = /at position (\d+)/.exec(nodeMessage);
      if (m) expect([text, firstSyntaxError(text)]).toEqual([text, Number(m[1])]);
      else expect(firstSyntaxError(text)).toBeDefined();
    }
  });

  test('valid JSON has no syntax error, however deeply nested', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(firstSyntaxError(deep)).toBeUndefined();
    expect(firstSyntaxError(' {"a": [1.5e3, -0, "\\u00e9\\n", true, false, null, {}]} ')).toBeUndefined();
  });

  test('lines and columns are 1-based', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 3)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn('ab\ncd', 5)).toEqual({ line: 2, column: 3 });
  });

  test("Node's wording loses its position and echoed text, which the line and column replace", () => {
    expect(describeSyntaxError(`Unexpected token '}', "{"a": }" is not valid JSON`)).toBe('Unexpected token }');
    expect(describeSyntaxError(`Unexpected token '}', ..."  "team": } " is not valid JSON`)).toBe('Unexpected token }');
    expect(describeSyntaxError(`Unexpected token ',', ..."s": [1,,2], "..." is not valid JSON`)).toBe('Unexpected token ,');
    expect(describeSyntaxError('Expected \',\' or \'}\' after property value in JSON at position 10 (line 1 column 11)')).toBe(
      "Expected ',' or '}' after property value",
    );
  });
});
