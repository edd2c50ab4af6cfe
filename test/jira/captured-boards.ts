import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CapturedJiraBoard, columnsByStatusCategory, fixVersionsOf, issueTypesOf } from '@agile-kpi/testkit';

/**
 * The real Jira boards under test/fixtures/jira as the replay server serves them. Everything read from a fixture is
 * served as captured; what a capture lacks is synthesized here, each piece marked SYNTHESIZED with what it rests on.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'jira');
const text = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const json = (value: unknown) => JSON.stringify(value);

export interface CapturedBoardCase {
  readonly name: string;
  readonly capture: CapturedJiraBoard;
  /** The instant the capture stands for: the server's clock and the metrics' --as-of (after every captured change). */
  readonly capturedAt: string;
  /** The API user's zone (the synthesized `myself`). */
  readonly timeZone: string;
}

/** SYNTHESIZED: the API user; only its `timeZone` matters (JQL dates are read in it), taken from the captured authors. */
const myself = (timeZone: string) => json({ accountId: 'capture-reader', emailAddress: 'capture@example.com', displayName: 'Capture reader', active: true, timeZone });

/**
 * SYNTHESIZED: the custom fields the captured issues use, by the ids they carry, each with the schema type Jira gives
 * such a field (`GET /rest/api/3/field` entries cut to id, name and schema; the rest of a real entry is not read).
 */
function customFields(ids: { sprint: string; storyPoints: string; flagged: string; rank: string }): string {
  const entries: [id: string, name: string, schema: Record<string, string>][] = [
    [ids.sprint, 'Sprint', { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint' }],
    [ids.storyPoints, 'Story Points', { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' }],
    [ids.flagged, 'Flagged', { type: 'array', items: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:multicheckboxes' }],
    [ids.rank, 'Rank', { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank' }],
  ];
  return json(entries.map(([id, name, schema]) => ({ id, key: id, name, custom: true, schema: { ...schema, customId: Number(id.replace('customfield_', '')) } })));
}

/**
 * Apache DevLake's board 8 (merico.atlassian.net, project EE, 2020-2022): issues with inline changelogs, its 30
 * sprints, the site's statuses and issue types, as captured. The capture has no board, configuration, filter, field
 * list or versions; those are synthesized.
 */
export function devlakeBoard8(): CapturedBoardCase {
  const issues = text('devlake/board8_issues_expand_changelog.json');
  const statuses = text('devlake/statuses_api2_status.json');
  const location = { projectId: 10003, projectKey: 'EE', projectName: 'Enterprise Edition', displayName: 'Enterprise Edition (EE)', projectTypeKey: 'software' };
  return {
    name: 'DevLake board 8 (scrum, 30 issues)',
    capturedAt: '2022-06-01T00:00:00Z',
    timeZone: 'Asia/Shanghai',
    capture: {
      // SYNTHESIZED: the board (DevLake kept none): its id from the capture's URL (/board/8), its project from the issues.
      board: json({ id: 8, self: 'https://merico.atlassian.net/rest/agile/1.0/board/8', name: 'EE board', type: 'scrum', location }),
      // SYNTHESIZED: the configuration (DevLake kept none): one column per status category of the captured status
      // list, the rightmost "Done"; estimation by the field holding the captured story points (customfield_10024:
      // 2.0 and "-1"); ranking by the field holding the captured ranks.
      configuration: json({
        id: 8,
        name: 'EE board',
        type: 'scrum',
        location: { type: 'project', key: 'EE', id: '10003', name: 'Enterprise Edition' },
        filter: { id: '10008' },
        columnConfig: { columns: columnsByStatusCategory(statuses), constraintType: 'issueCount' },
        estimation: { type: 'field', field: { fieldId: 'customfield_10024', displayName: 'Story Points' } },
        ranking: { rankCustomFieldId: 10019 },
      }),
      // SYNTHESIZED: the board filter (its JQL is not evaluated by the replay: every captured issue is on the board).
      filter: json({ id: '10008', name: 'Filter for EE board', jql: 'project = EE ORDER BY Rank ASC' }),
      fields: customFields({ sprint: 'customfield_10020', storyPoints: 'customfield_10024', flagged: 'customfield_10021', rank: 'customfield_10019' }),
      statuses,
      issueTypes: text('devlake/issuetypes_api3.json'),
      myself: myself('Asia/Shanghai'),
      issues: [issues],
      sprints: text('devlake/board8_sprints.json'),
      // DERIVED: the project's versions are the fixVersions the captured issues carry, as captured.
      versions: { EE: fixVersionsOf([issues]) },
    },
  };
}

const jirametricsIssues = (dir: string) =>
  readdirSync(join(FIXTURES, dir))
    .filter((f) => /^SP-\d+\.json$/.test(f))
    .sort((a, b) => Number(a.slice(3, -5)) - Number(b.slice(3, -5)))
    .map((f) => text(join(dir, f)));

/**
 * A jirametrics download (improvingflow.atlassian.net, project SP): board 1's configuration and the site's
 * statuses as captured, and issues with full changelogs. No board, filter, field list, issue types or versions
 * were captured; those are synthesized or derived. Board 1 is a kanban board: no sprints are read.
 */
function jirametrics(name: string, dir: string, issuesDir: string, capturedAt: string): CapturedBoardCase {
  const configuration = text(`${dir}/sample_board_1_configuration.json`);
  const issues = jirametricsIssues(issuesDir);
  const config = JSON.parse(configuration) as { id: number; name: string; type: string; location: { key: string; id: string; name: string } };
  return {
    name,
    capturedAt,
    timeZone: 'Etc/GMT',
    capture: {
      // SYNTHESIZED: the board, from its captured configuration (id, name, type, project).
      board: json({
        id: config.id,
        name: config.name,
        type: config.type,
        location: { projectId: Number(config.location.id), projectKey: config.location.key, projectName: config.location.name, displayName: `${config.location.name} (${config.location.key})`, projectTypeKey: 'software' },
      }),
      configuration,
      // SYNTHESIZED: the filter the configuration names (10000); its JQL is not evaluated by the replay.
      filter: json({ id: '10000', name: 'Filter for SP board', jql: 'project = SP ORDER BY Rank ASC' }),
      // SYNTHESIZED: ids from the captured changelogs (Sprint 10020, Story Points 10036, Flagged 10021, Rank 10019).
      fields: customFields({ sprint: 'customfield_10020', storyPoints: 'customfield_10036', flagged: 'customfield_10021', rank: 'customfield_10019' }),
      statuses: text(`${dir}/sample_statuses.json`),
      // DERIVED: the issue types the captured issues carry, as captured there.
      issueTypes: issueTypesOf(issues),
      // The captured authors' zone.
      myself: myself('Etc/GMT'),
      issues,
      // DERIVED: the captured issues carry no fixVersions: the project has none to read.
      versions: { SP: fixVersionsOf(issues) },
    },
  };
}

/** jirametrics' complete sample: a kanban board with 6 issues, downloaded for 2021-09-14 to 2021-12-13. */
export const jirametricsKanban = () =>
  jirametrics('jirametrics complete_sample (kanban, 6 issues)', 'jirametrics/complete_sample', 'jirametrics/complete_sample/sample_issues', '2021-12-15T00:00:00Z');

/** jirametrics' test data: 6 issues with Sprint, Story Points and Flagged changes, served on the board configuration beside them. */
export const jirametricsTestdata = () => jirametrics('jirametrics testdata (6 issues with sprints and points)', 'jirametrics/testdata', 'jirametrics/testdata', '2022-05-08T00:00:00Z');
