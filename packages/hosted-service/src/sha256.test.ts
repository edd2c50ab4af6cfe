import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256 } from './sha256';

const node = (text: string) => createHash('sha256').update(text).digest('hex');

describe('sha256', () => {
  test('known values (FIPS 180-4 examples), and the padding edges of a 64-byte block', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    for (const n of [55, 56, 63, 64, 65, 119, 120]) expect(sha256('x'.repeat(n))).toBe(node('x'.repeat(n)));
  });

  test('as Node hashes a text: UTF-8, surrogate pairs, lone surrogates as U+FFFD', () => {
    for (const text of ['date,score\n2026-03-02,5\n', 'Zürich, ½ €', 'emoji 😀 end', 'lone \ud800 high', 'lone \udc00 low', 'tail \ud83d']) expect(sha256(text)).toBe(node(text));
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => sha256(text) === node(text)));
  });
});
