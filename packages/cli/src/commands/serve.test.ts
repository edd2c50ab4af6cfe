import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsReport } from '@agile-kpi/core';
import { outcomesGoldenSnapshot } from '../../../core/src/testing/outcomes-golden';
import type { Io } from '../io';
import { runServe } from './serve';

const dir = mkdtempSync(join(tmpdir(), 'akpi-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet: Io = { stdout: { write: () => true }, stderr: { write: () => true }, isTTY: false, env: {} };

it('serve --input: a survey uploaded in the settings counts in the metrics it serves next', async () => {
  // Core's golden board read on 2026-05-10 (outcomes-golden.ts), without its outcomes.
  const file = join(dir, 'golden.json');
  writeFileSync(file, JSON.stringify({ ...outcomesGoldenSnapshot(), asOf: '2026-05-10T12:00:00Z' }));
  let before: MetricsReport | undefined;
  let after: MetricsReport | undefined;
  let answer: unknown;
  await runServe({ input: file, port: '0' }, quiet, async (url) => {
    const metrics = async () => ((await (await fetch(`${url}/api/metrics`)).json()) as { data: { report: MetricsReport } }).data.report;
    before = await metrics();
    // April: 20 ratings, 15 of them 4 or 5 -> CSAT 15 / 20 = 75 %, mean (5 x 10 + 4 x 5 + 2 x 5) / 20 = 4.
    const text = ['date,score', ...Array(10).fill('2026-04-10,5'), ...Array(5).fill('2026-04-11,4'), ...Array(5).fill('2026-04-12,2')].join('\n');
    answer = await (await fetch(`${url}/api/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'csat', name: 'april.csv', text }) })).json();
    after = await metrics();
  });
  expect(before!.customerSatisfaction.value).toBeNull();
  expect(answer).toEqual({ ok: true, data: { imported: true, added: 20, replaced: 0, unchanged: 0, message: 'april.csv (csat): 20 new records; 0 already imported' } });
  expect(after!.customerSatisfaction.value).toMatchObject({ month: '2026-04', csat: { share: 0.75, mean: 4, responses: 20 }, nps: null });
});
