import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFileBytes } from './io';

describe('withFileBytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agile-kpi-io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes bytes straight to a regular file, after the text written before them', () => {
    const path = join(dir, 'out.json');
    const fd = openSync(path, 'w');
    try {
      const sink = withFileBytes({ write: (text: string) => writeSync(fd, text) }, fd);
      sink.write('{"a":');
      const bytes = Buffer.from('"é€"}\nrest');
      sink.writeBytesSync!(bytes, Buffer.byteLength('"é€"}\n'));
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(path, 'utf8')).toBe('{"a":"é€"}\n');
  });

  it('leaves a sink that is not a regular file as it is (a directory, a closed descriptor)', () => {
    const sink = { write: () => true };
    const fd = openSync(dir, 'r');
    try {
      expect(withFileBytes(sink, fd)).toBe(sink);
    } finally {
      closeSync(fd);
    }
    expect(withFileBytes(sink, 2 ** 30)).toBe(sink);
  });
});
