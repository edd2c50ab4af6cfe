import type { JiraClient } from './jira-client';
import { RATINGS_SYNC_STATE, type RatingsStorePort, type RatingsSyncState, ratingRecord, serviceProjectKeys, syncNamedServiceRatings } from './sync-service-ratings';

/** One search hit in, one csat record (or a warning) out: the forms of packages/testkit/src/jira/README.md "Service projects". */
const SITE = 'https://acme.atlassian.net/';
const issue = (fields: Record<string, unknown>) => ({ id: '10234', key: 'SUP-12', fields: { resolutiondate: '2026-02-01T16:00:00.000+0100', ...fields } });
const read = (fields: Record<string, unknown>) => ratingRecord(SITE, issue(fields), 'customfield_10205', 'customfield_10206');

it('reads the Satisfaction object and its date into a csat record with the request as its source', () => {
  const r = read({ customfield_10205: { self: 'https://acme.atlassian.net/rest/servicedeskapi/request/10234/feedback', rating: 4 }, customfield_10206: '2026-02-02T11:00:00.000+0100' });
  expect(r).toEqual({
    record: { id: 'jsm:request:SUP-12', kind: 'csat', at: '2026-02-02T11:00:00.000+0100', score: 4, source: 'SUP-12', url: 'https://acme.atlassian.net/browse/SUP-12' },
    warnings: [],
  });
});

it('reads a bare number too', () => {
  expect(read({ customfield_10205: 5, customfield_10206: '2026-02-02T11:00:00.000+0100' }).record?.score).toBe(5);
});

it.each([[{ rating: 0 }], [{ rating: 6 }], [{ rating: 4.5 }], [{ rating: '4' }], ['great'], [{}]])('leaves out a rating %j with a warning naming the request', (value) => {
  const r = read({ customfield_10205: value, customfield_10206: '2026-02-02T11:00:00.000+0100' });
  expect(r.record).toBeUndefined();
  expect(r.warnings).toEqual([expect.objectContaining({ code: 'unreadable-rating', itemKey: 'SUP-12', message: expect.stringMatching(/^request SUP-12 left out: its satisfaction rating .+ is not a whole number from 1 to 5$/) })]);
});

it('dates a rating without its Satisfaction date by the resolution, with a warning; without both it is left out', () => {
  const byResolution = read({ customfield_10205: { rating: 2 }, customfield_10206: null });
  expect(byResolution.record).toMatchObject({ score: 2, at: '2026-02-01T16:00:00.000+0100' });
  expect(byResolution.warnings).toEqual([
    { code: 'rating-dated-by-resolution', itemKey: 'SUP-12', message: 'request SUP-12 has no satisfaction date: its rating 2 is dated by its resolution (2026-02-01T16:00:00.000+0100)' },
  ]);
  const unreadable = read({ customfield_10205: { rating: 2 }, customfield_10206: 'yesterday' });
  expect(unreadable.warnings[0]!.message).toBe('request SUP-12 has a satisfaction date "yesterday" that is not a timestamp: its rating 2 is dated by its resolution (2026-02-01T16:00:00.000+0100)');
  const none = read({ customfield_10205: { rating: 2 }, customfield_10206: null, resolutiondate: null });
  expect(none).toEqual({ warnings: [{ code: 'rating-without-date', itemKey: 'SUP-12', message: 'request SUP-12 left out: its rating 2 has no satisfaction date and no resolution date' }] });
});

it('reads service project keys as typed: upper-cased, each once, in order; undefined when one is not a key', () => {
  expect(serviceProjectKeys('SUP, help,,sup')).toEqual(['SUP', 'HELP']);
  expect(serviceProjectKeys(['it_ops', ' HR2 '])).toEqual(['IT_OPS', 'HR2']);
  expect(serviceProjectKeys('  ')).toEqual([]);
  expect(serviceProjectKeys('SUP;HELP')).toBeUndefined();
  expect(serviceProjectKeys(['2SUP'])).toBeUndefined();
});

describe('syncNamedServiceRatings: which projects a sync reads', () => {
  const memory = (state?: Partial<RatingsSyncState>) => {
    const states = new Map<string, unknown>(state ? [[RATINGS_SYNC_STATE, state]] : []);
    const store: RatingsStorePort = {
      getState: <T>(name: string) => states.get(name) as T | undefined,
      setState: (name, value) => void (value === undefined ? states.delete(name) : states.set(name, value)),
      putOutcomes: () => 0,
      listOutcomes: () => [],
      deleteOutcomes: () => 0,
    };
    return { store, states };
  };
  // Never asked: these cases decide before any request.
  const client = {} as JiraClient;

  it('reads nothing when no project was ever named', async () => {
    const { store } = memory();
    expect(await syncNamedServiceRatings(client, store, {})).toBeUndefined();
  });

  it('an empty list stops reading and forgets the projects the last sync read', async () => {
    const { store, states } = memory({ projectKeys: ['SUP'] });
    const started: (readonly string[])[] = [];
    expect(await syncNamedServiceRatings(client, store, { named: [], onStart: (k) => started.push(k) })).toBeUndefined();
    expect(states.has(RATINGS_SYNC_STATE)).toBe(false);
    expect(started).toEqual([]);
  });
});
