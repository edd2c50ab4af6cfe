import { gunzipSync, gzipSync } from 'node:zlib';
import { FORGE_RESPONSE_LIMIT_BYTES, PACK_ABOVE_BYTES, packAnswer, unpackUpload } from '../../src/packed-answer';

const big = { rows: Array.from({ length: 20_000 }, (_, i) => ({ key: `SIM-${i}`, title: `Item number ${i}`, points: i % 13 })) };

describe('packAnswer', () => {
  it('passes small answers and errors through untouched', () => {
    const small = { ok: true as const, data: { a: 1 } };
    expect(packAnswer(small)).toBe(small);
    const failed = { ok: false as const, error: { kind: 'forbidden', message: 'no' } };
    expect(packAnswer(failed)).toBe(failed);
  });

  it('compresses a big answer into gzip and base64 that unpack to the same data', () => {
    const json = JSON.stringify(big);
    expect(json.length).toBeGreaterThan(PACK_ABOVE_BYTES);
    const packed = packAnswer({ ok: true, data: big });
    if (!('encoding' in packed)) throw new Error('expected a packed answer');
    expect(packed.encoding).toBe('gzip-base64');
    expect(packed.bytes).toBe(Buffer.byteLength(json));
    expect(packed.data.length).toBeLessThan(json.length / 4);
    expect(JSON.parse(gunzipSync(Buffer.from(packed.data, 'base64')).toString('utf8'))).toEqual(big);
  });

  it('answers too-large, in MB, when even the compressed answer is over the limit', () => {
    const bytes = Buffer.byteLength(JSON.stringify(big));
    const compressed = (packAnswer({ ok: true, data: big }) as { data: string }).data.length;
    const limitBytes = Math.floor(compressed / 2);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    expect(packAnswer({ ok: true, data: big }, { limitBytes })).toEqual({
      ok: false,
      error: { kind: 'too-large', message: `this board's metrics come to ${mb(compressed)} MB even compressed (${mb(bytes)} MB of data), over the ${mb(limitBytes)} MB Forge lets a gadget receive` },
    });
    expect(FORGE_RESPONSE_LIMIT_BYTES).toBe(5 * 1024 * 1024);
  });
});

describe('unpackUpload', () => {
  const gz = (text: string | Buffer) => gzipSync(text).toString('base64');

  it('gives back the file the gadget compressed, and leaves a plain upload as it is', () => {
    const text = 'date,score\n2026-03-02,5\n'.repeat(1_000);
    expect(unpackUpload({ kind: 'csat', name: 'a.csv', encoding: 'gzip-base64', data: gz(text) })).toEqual({ kind: 'csat', name: 'a.csv', text });
    const plain = { kind: 'csat', name: 'a.csv', text };
    expect(unpackUpload(plain)).toBe(plain);
    expect(unpackUpload(undefined)).toBeUndefined();
  });

  it('refuses another encoding, data that is not gzip, and a file that inflates past 5 MB without unpacking it whole', () => {
    expect(() => unpackUpload({ encoding: 'br', data: 'x' })).toThrow(/encoding must be gzip-base64/);
    expect(() => unpackUpload({ encoding: 'gzip-base64', data: Buffer.from('not gzip').toString('base64') })).toThrow(/could not be unpacked/);
    expect(() => unpackUpload({ encoding: 'gzip-base64', data: gz(Buffer.alloc(20_000_000, 0x61)) })).toThrow(/larger than 5 MB/);
  });
});
