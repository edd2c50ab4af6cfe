import { TrackerError } from '@agile-kpi/tracker-client';
import { AdoError, adoHttpError } from './ado-error';

const ctx = { site: 'https://dev.azure.com/fabrikam', principal: 'the personal access token', what: "read the team's settings", path: 'Fiber/Fiber Team/_apis/work/teamsettings' };
/** How the extension used to find Azure DevOps' words: read back out of the message. */
const saidInText = (message: string) => /(?:^|\s)Azure DevOps said: (.*)$/s.exec(message)?.[1];

describe('AdoError', () => {
  it("is a TrackerError that keeps Azure DevOps' own message as a field, the same words the message quotes", () => {
    const said = 'TF401027: You need the Git "Read" permission to perform this action.';
    const err = adoHttpError(403, { message: said, typeKey: 'UnauthorizedRequestException' }, ctx);
    expect(err).toBeInstanceOf(AdoError);
    expect(err).toBeInstanceOf(TrackerError);
    expect(err).toMatchObject({ name: 'AdoError', tracker: 'azure-devops', kind: 'forbidden', status: 403, trackerMessage: said });
    expect(err.details).toEqual({ status: 403, path: ctx.path, typeKey: 'UnauthorizedRequestException', trackerMessage: said });
    expect(err.message).toBe(
      `the personal access token may not read the team's settings at https://dev.azure.com/fabrikam: it needs the "Work Items (Read)" scope and access to the project. Azure DevOps said: ${said}`,
    );
    expect(saidInText(err.message)).toBe(err.trackerMessage);
  });

  it('quotes the same words after a wait it was asked for, and has none when Azure DevOps said nothing', () => {
    const throttled = adoHttpError(429, { message: 'Request was blocked due to exceeding usage of resource.' }, ctx, 30_000);
    expect(throttled.message).toBe(
      `Azure DevOps at https://dev.azure.com/fabrikam kept throttling us while we tried to read the team's settings; try again later. Azure DevOps asked us to wait 30 s. Azure DevOps said: Request was blocked due to exceeding usage of resource.`,
    );
    expect(throttled.trackerMessage).toBe(saidInText(throttled.message));
    const silent = adoHttpError(500, '', ctx);
    expect(silent).toMatchObject({ kind: 'server', status: 500, trackerMessage: undefined });
    expect(new AdoError('network', 'could not reach Azure DevOps')).toMatchObject({ tracker: 'azure-devops', status: undefined, trackerMessage: undefined });
  });
});
