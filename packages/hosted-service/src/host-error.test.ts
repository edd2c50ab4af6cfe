import { SnapshotError } from '@agile-kpi/core';
import { EvidencePageError } from '@agile-kpi/presentation';
import { AppError, ConfigError, type HostWords, answer, hostErrorOf, isAccessError, trackerAnswer } from './host-error';
import { isFresh, reportDespite } from './serving';

class FakeTrackerError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

const words: HostWords = {
  scope: 'board',
  internal: 'failed; see the logs',
  classify: (err) => (err instanceof FakeTrackerError ? trackerAnswer(err, { auth: 'sign in again' }) : undefined),
};
const classify = (err: unknown) => hostErrorOf(err, words);
const quiet = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

describe('the error-to-answer mapping', () => {
  it("answers the service's own errors as they are, the host's in its words, anything else as internal", () => {
    expect(classify(new ConfigError('no board', 'not-configured'))).toEqual({ kind: 'not-configured', message: 'no board' });
    expect(classify(new AppError('syncing', 'still syncing'))).toEqual({ kind: 'syncing', message: 'still syncing' });
    expect(classify(new EvidencePageError('invalid', 'no such page'))).toEqual({ kind: 'invalid', message: 'no such page' });
    expect(classify(new FakeTrackerError('auth', 'use a token'))).toEqual({ kind: 'auth', message: 'sign in again' });
    expect(classify(new FakeTrackerError('server', 'HTTP 503'))).toEqual({ kind: 'server', message: 'HTTP 503' });
    expect(classify(new FakeTrackerError('bad-request', 'HTTP 400: bad JQL'))).toEqual({ kind: 'invalid', message: 'HTTP 400: bad JQL' });
    expect(classify(new SnapshotError('sprint 3 has no start'))).toMatchObject({ kind: 'unexpected-shape', message: expect.stringMatching(/^the board's data could not be read/) });
    expect(classify(new TypeError('x is undefined'))).toEqual({ kind: 'internal', message: 'failed; see the logs' });
  });

  it('answers instead of throwing, logs what is not understood in full, and lets the platform’s own signals through', async () => {
    expect(await answer(quiet, 'load', async () => 7, classify)).toEqual({ ok: true, data: 7 });
    const bug = new TypeError('x is undefined');
    expect(await answer(quiet, 'load', () => Promise.reject(bug), classify)).toEqual({ ok: false, error: { kind: 'internal', message: 'failed; see the logs' } });
    expect(quiet.error).toHaveBeenCalledWith('agile-kpi: load failed', bug);
    const consent = new Error('consent needed');
    await expect(answer(quiet, 'load', () => Promise.reject(consent), classify, (e) => e === consent)).rejects.toBe(consent);
  });

  it('does not hide lost access behind a cached report, but does hide a tracker blip', async () => {
    expect(isAccessError({ kind: 'forbidden', message: '' })).toBe(true);
    expect(isAccessError({ kind: 'rate-limited', message: '' })).toBe(false);
    const cached = async () => 'cached';
    const syncing = () => new AppError('syncing', 'first sync');
    await expect(reportDespite(new FakeTrackerError('auth', 'x'), classify, cached, syncing)).rejects.toBeInstanceOf(FakeTrackerError);
    await expect(reportDespite(new FakeTrackerError('rate-limited', 'x'), classify, cached, syncing)).resolves.toBe('cached');
    await expect(reportDespite(new FakeTrackerError('rate-limited', 'x'), classify, async () => undefined, syncing)).rejects.toBeInstanceOf(FakeTrackerError);
    await expect(reportDespite(undefined, classify, async () => undefined, syncing)).rejects.toThrow('first sync');
  });

  it('calls data fresh for the refresh interval after the last sync', () => {
    const at = Date.parse('2025-06-01T10:00:00Z');
    expect(isFresh({}, at, 60_000)).toBe(false);
    expect(isFresh({ syncedAt: '2025-06-01T09:59:01Z' }, at, 60_000)).toBe(true);
    expect(isFresh({ syncedAt: '2025-06-01T09:59:00Z' }, at, 60_000)).toBe(false);
  });
});
