import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { computeMetrics } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { emitReport, jsonParts } from './emit-report';

const whole = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('jsonParts', () => {
  it('joins to exactly the indented JSON of a report, in pieces none of which is large', () => {
    const report = computeMetrics(simulateTeam({ seed: 3, sprints: 8, itemsPerSprint: 20 }).snapshot);
    const parts = [...jsonParts(report, { batch: 8 })];
    expect(parts.join('')).toBe(whole(report));
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(whole(report).length / 20);
  });

  it('joins to exactly the indented JSON of any value, however it is cut', () => {
    const cuts = fc.record({ depth: fc.integer({ min: 0, max: 6 }), batch: fc.integer({ min: 1, max: 5 }) });
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), cuts, (value, options) => [...jsonParts(value, options)].join('') === whole(value)));
    const odd = [{}, [], { a: undefined, b: () => 1 }, { a: undefined, b: 1, c: undefined }, [1, undefined, () => 2, { a: 2 }], new Array(7), { toJSON: () => 'x' }, { d: new Date(0), m: new Map() }, JSON.parse('{"__proto__": 2}'), Object.create(null)];
    for (const value of odd) for (const batch of [1, 2, 64]) expect([...jsonParts(value, { batch })].join('')).toBe(whole(value));
  });
});

describe('emitReport', () => {
  it('writes the same UTF-8 to a file sink through one buffer used again, growing it for a long piece', () => {
    const report = { team: 'Ünïcödé ✓ 😀', notes: ['€'.repeat(300_000), 'a'.repeat(70_000)], n: [1, 2, 3] };
    const chunks: Buffer[] = [];
    const buffers = new Set<Uint8Array>();
    const writeBytesSync = (bytes: Uint8Array, length: number) => {
      buffers.add(bytes);
      chunks.push(Buffer.from(bytes.subarray(0, length)));
    };
    emitReport(report as never, { format: 'json' }, { stdout: { write: () => { throw new Error('text written to a file sink'); }, writeBytesSync }, stderr: { write: () => true }, isTTY: false, env: {} });
    expect(Buffer.concat(chunks).toString('utf8')).toBe(whole(report));
    expect(chunks.length).toBeGreaterThan(buffers.size);
    expect(buffers.size).toBeLessThanOrEqual(2);
  });

  it('writes the same JSON to stdout and to --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agile-kpi-emit-'));
    try {
      const report = computeMetrics(simulateTeam({ seed: 4, sprints: 3 }).snapshot);
      let stdout = '';
      let stderr = '';
      emitReport(report, { format: 'json', out: join(dir, 'out') }, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, isTTY: false, env: {} });
      expect(stdout).toBe(whole(report));
      expect(readFileSync(join(dir, 'out', 'metrics.json'), 'utf8')).toBe(stdout);
      expect(stderr).toBe(`wrote ${join(dir, 'out', 'metrics.json')}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
