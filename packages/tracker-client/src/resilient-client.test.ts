import { ResilientClient, type TrackerErrors } from './resilient-client';
import type { TrackerResponse, TrackerTransport } from './transport';

const errors: TrackerErrors = {
  http: (status) => new Error(`HTTP ${status}`),
  network: (f) => new Error(`network: ${f.message}`),
};

function scripted(answers: TrackerResponse[]): TrackerTransport<string> & { calls: string[] } {
  const calls: string[] = [];
  return {
    site: 'https://dev.azure.com/acme',
    principal: 'a PAT',
    calls,
    async send(r) {
      calls.push(r);
      return answers.shift()!;
    },
  };
}

describe('ResilientClient', () => {
  it("slows down when a tracker delays a request but still serves it (Azure DevOps' Retry-After on 200)", async () => {
    const log: string[] = [];
    const t = scripted([
      { status: 200, headers: { 'retry-after': '3', 'x-ratelimit-delay': '2.5' }, body: 'a' },
      { status: 200, headers: {}, body: 'b' },
    ]);
    const c = new ResilientClient(t, errors, {
      sleep: async (ms) => void log.push(`sleep ${ms}`),
      events: { onResponse: (r, s) => void log.push(`${r} ${s}`) },
    });
    expect((await c.send('first', 'read a', '/a')).body).toBe('a');
    expect((await c.send('second', 'read b', '/b')).body).toBe('b');
    // The first answer is used as it is; the pause comes before the next request goes out.
    expect(log).toEqual(['first 200', 'sleep 3000', 'second 200']);
    expect(c.stats).toMatchObject({ requests: 2, retries: 0, waitedMs: 3000 });
  });

  it('hands a final failure to the tracker’s own wording', async () => {
    const c = new ResilientClient(scripted([{ status: 404, headers: {}, body: {} }]), errors, { sleep: async () => {} });
    await expect(c.send('x', 'read x', '/x')).rejects.toThrow('HTTP 404');
  });
});
