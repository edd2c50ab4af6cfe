import { TrackerError } from '@agile-kpi/tracker-client';
import { JiraError, hourlyLimitError, httpError } from './jira-error';

const ctx = { site: 'https://acme.atlassian.net', principal: 'sm@acme.test', what: 'read board 42', path: '/rest/agile/1.0/board/42' };

describe('JiraError', () => {
  it("is a TrackerError that keeps Jira's own messages as one field, the same words the message quotes", () => {
    const err = httpError(404, { errorMessages: ['The requested board cannot be viewed because it either does not exist or you do not have permission to view it.'], errors: { rapidViewId: 'unknown' } }, ctx);
    expect(err).toBeInstanceOf(JiraError);
    expect(err).toBeInstanceOf(TrackerError);
    const said = 'The requested board cannot be viewed because it either does not exist or you do not have permission to view it. rapidViewId: unknown';
    expect(err).toMatchObject({ name: 'JiraError', tracker: 'jira', kind: 'not-found', status: 404, trackerMessage: said });
    expect(err.details.jiraMessages).toEqual([said.slice(0, said.indexOf(' rapidViewId')), 'rapidViewId: unknown']);
    expect(err.message).toBe(`could not read board 42 at https://acme.atlassian.net: it does not exist or sm@acme.test cannot see it. Jira said: ${said}`);
  });

  it('has no tracker message when Jira said nothing', () => {
    expect(httpError(401, '', ctx)).toMatchObject({ kind: 'auth', status: 401, trackerMessage: undefined });
    const hourly = hourlyLimitError({}, 1_800_000, ctx, Date.parse('2026-03-02T10:30:00Z'))!;
    expect(hourly).toMatchObject({ tracker: 'jira', kind: 'rate-limited', status: 429, trackerMessage: undefined, details: { resetAt: '2026-03-02T11:00:00.000Z' } });
  });
});
