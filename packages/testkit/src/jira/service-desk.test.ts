import { simulateTeam } from '../simulate-team';
import { DEFAULT_CAPS, handleApi } from './api';
import type { ApiConfig } from './api';
import { ServiceDesk } from './service-desk';
import { JiraSite } from './site';

/** The simulated Service Management on the wire: projects by type, the Satisfaction fields, the search and its JQL. */
const NOW = Date.parse('2026-03-10T12:00:00Z');
const cfg: ApiConfig = { caps: { ...DEFAULT_CAPS, search: 2 }, changelogTruncation: 40, velocityReport: true, bulkfetchCreated: 'epoch-ms' };
const team = simulateTeam({ seed: 3, sprints: 3 });

function site(withDesk: boolean): JiraSite {
  const s = new JiraSite([team], { now: () => NOW, userTimeZone: 'UTC' });
  if (withDesk) {
    s.serviceDesk = new ServiceDesk(s, [
      { key: 'SUP', name: 'Support', requests: [{ rating: 5, ratedAt: '2026-02-02T10:00:00Z' }, { rating: 1, ratedAt: '2026-03-01T10:00:00Z' }, { rating: null }] },
    ]);
  }
  return s;
}
const get = (s: JiraSite, path: string, query = '') => handleApi(s, cfg, { method: 'GET', path, query: new URLSearchParams(query) });
const search = (s: JiraSite, body: Record<string, unknown>) => handleApi(s, cfg, { method: 'POST', path: '/rest/api/3/search/jql', query: new URLSearchParams(), body });

it('lists the Satisfaction fields only on a site with service projects, by their JSM types', () => {
  const types = (s: JiraSite) => (get(s, '/rest/api/3/field').body as { name: string; schema?: { custom?: string } }[]).filter((f) => f.schema?.custom?.startsWith('com.atlassian.servicedesk:'));
  expect(types(site(false))).toEqual([]);
  expect(types(site(true)).map((f) => [f.name, f.schema!.custom])).toEqual([
    ['Satisfaction', 'com.atlassian.servicedesk:sd-request-feedback'],
    ['Satisfaction date', 'com.atlassian.servicedesk:sd-request-feedback-date'],
  ]);
});

it('serves service projects with projectTypeKey service_desk beside the software ones', () => {
  const s = site(true);
  expect(get(s, '/rest/api/3/project/SUP').body).toMatchObject({ key: 'SUP', name: 'Support', projectTypeKey: 'service_desk' });
  const all = get(s, '/rest/api/3/project').body as { key: string; projectTypeKey: string }[];
  expect(all.map((p) => p.projectTypeKey).sort()).toEqual(['service_desk', 'software']);
  const desks = get(s, '/rest/api/3/project/search', 'typeKey=service_desk').body as { values: { key: string }[]; total: number; isLast: boolean };
  expect(desks).toMatchObject({ total: 1, isLast: true, values: [{ key: 'SUP' }] });
  expect(get(s, '/rest/api/3/project/NOPE').status).toBe(404);
});

it('answers a JQL over service projects with the rated requests, paged, and refuses what it cannot read', () => {
  const s = site(true);
  const { satisfaction, satisfactionDate } = s.serviceDesk!.fieldIds;
  const cf = `cf[${satisfaction.slice('customfield_'.length)}]`;
  const first = search(s, { jql: `project = SUP AND ${cf} is not EMPTY ORDER BY id ASC`, fields: [satisfaction, satisfactionDate], maxResults: 100 });
  const page = first.body as { issues: { key: string; fields: Record<string, unknown> }[]; isLast: boolean; nextPageToken?: string };
  // Two rated requests; the page cap in this test is 2, so one page.
  expect(page.isLast).toBe(true);
  expect(page.issues.map((i) => [i.key, i.fields[satisfaction]])).toEqual([
    ['SUP-1', { self: expect.stringMatching(/\/rest\/servicedeskapi\/request\/\d+\/feedback$/), rating: 5 }],
    ['SUP-2', { self: expect.stringMatching(/\/feedback$/), rating: 1 }],
  ]);
  expect(page.issues[0]!.fields[satisfactionDate]).toBe('2026-02-02T10:00:00.000+0000');
  const all = search(s, { jql: 'project = SUP ORDER BY id ASC', fields: ['id'], maxResults: 1 }).body as { issues: unknown[]; nextPageToken?: string };
  expect(all.issues).toHaveLength(1);
  expect(all.nextPageToken).toBeDefined();
  const since = search(s, { jql: `project = SUP AND ${cf} is not EMPTY AND updated >= "2026/02/15 00:00"`, fields: [satisfaction] }).body as { issues: { key: string }[] };
  expect(since.issues.map((i) => i.key)).toEqual(['SUP-2']);
  expect(search(s, { jql: `project = SUP AND ${cf} >= 4`, fields: [] }).body).toMatchObject({ issues: [{ key: 'SUP-1' }] });
  expect(search(s, { jql: 'project = SUP AND assignee = x', fields: [] })).toMatchObject({ status: 400 });
});

it('rates a request again: the rating, its date and updated move', () => {
  const s = site(true);
  const r = s.serviceDesk!.rate('SUP-1', 3, '2026-03-09T08:00:00Z');
  expect(r).toMatchObject({ rating: 3, ratedMs: Date.parse('2026-03-09T08:00:00Z'), updatedMs: Date.parse('2026-03-09T08:00:00Z') });
  expect(() => s.serviceDesk!.rate('SUP-99', 3)).toThrow('no service request SUP-99');
});
