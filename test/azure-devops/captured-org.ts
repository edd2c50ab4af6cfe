import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CapturedAzureDevOpsOrg, httpExampleBody } from '@agile-kpi/testkit';

/**
 * Microsoft's example responses (test/fixtures/azure-devops, REST specs 7.1 httpExamples) as one organisation for
 * the replay server. The examples are not one team's: the work item revisions are project MyAgilePro1's, the team
 * settings, field values and iterations Fabrikam-Fiber's, the iteration tree Fabrikam-Fiber-Git's. What is served
 * from an example is served as captured; the minimum glue that makes them one team is synthesized here, each piece
 * marked SYNTHESIZED with what it rests on.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'azure-devops');
export const example = (path: string) => httpExampleBody(readFileSync(join(FIXTURES, path), 'utf8'));
const json = (value: unknown) => JSON.stringify(value);

export const REVISIONS = 'wit/7.1/httpExamples/revisions/GET__list_workitem_revisions.json';
export const BUG_STATES = 'wit/7.1/httpExamples/workItemTypeStates/GET__workitem_type_states.json';

/** The organisation's clock: the examples' bug was last changed 2017-09-04; Iteration 2 is running. */
export const CAPTURED_AT = '2017-09-10T00:00:00Z';

/** SYNTHESIZED: the team's two iterations, named and pathed as the example revisions carry them; dates made up. */
export const ITERATIONS = [
  { id: 'a1b2c3d4-0001-4000-8000-000000000001', name: 'Iteration 1', path: 'MyAgilePro1\\Iteration 1', startDate: '2017-08-28T00:00:00Z', finishDate: '2017-09-03T00:00:00Z', timeFrame: 'past' },
  { id: 'a1b2c3d4-0002-4000-8000-000000000002', name: 'Iteration 2', path: 'MyAgilePro1\\Iteration 2', startDate: '2017-09-04T00:00:00Z', finishDate: '2017-09-15T00:00:00Z', timeFrame: 'current' },
] as const;

const PROJECT = { name: 'MyAgilePro1', id: 'aaee31d9-14cf-48b9-a92b-3f1446c13f80' };
const TEAM = { name: 'MyAgilePro1 Team', id: 'd2c5b7e0-9a1f-4c3e-8b6d-4f2a1e0c9b71' };

/** SYNTHESIZED: Agile process types (no example lists them), with the fields the adapter looks for. */
const FIELD_NAMES: Record<string, string> = {
  'System.Title': 'Title',
  'System.State': 'State',
  'Microsoft.VSTS.Scheduling.StoryPoints': 'Story Points',
  'Microsoft.VSTS.Common.StackRank': 'Stack Rank',
  'Microsoft.VSTS.Scheduling.RemainingWork': 'Remaining Work',
};
const type = (name: string, referenceName: string, fields: string[]) => ({ name, referenceName, isDisabled: false, fields: fields.map((f) => ({ referenceName: f, name: FIELD_NAMES[f] })) });

/** SYNTHESIZED: Agile process states for the types no example gives states for. */
const states = (list: [string, string][]) => json({ count: list.length, value: list.map(([name, category]) => ({ name, category })) });

export function examplesOrg(): CapturedAzureDevOpsOrg {
  const fieldValues = JSON.parse(example('work/7.1/httpExamples/teamFieldValues/GET__work_teamsettings_teamfieldvalues.json')) as Record<string, unknown>;
  return {
    // The examples' organisation.
    organization: 'fabrikam',
    // SYNTHESIZED: the project the example revisions carry (System.TeamProject), with the id in the URL of the Bug
    // states example (a MyAgilePro1 answer of the same generation).
    project: PROJECT,
    // SYNTHESIZED: a team for the project (no example names one).
    team: TEAM,
    // Captured (Fabrikam-Fiber's team): working days, bugs behaviour, backlog iteration.
    teamSettings: example('work/7.1/httpExamples/teamsettings/GET__work_teamsettings.json'),
    // SYNTHESIZED from the captured example's shape: the team's area is MyAgilePro1 (the area every revision carries).
    teamFieldValues: json({ ...fieldValues, defaultValue: 'MyAgilePro1', values: [{ value: 'MyAgilePro1', includeChildren: true }] }),
    // SYNTHESIZED in the shape of the iteration examples (the published one has no path and no dates).
    iterations: json({
      count: ITERATIONS.length,
      value: ITERATIONS.map((i) => ({
        id: i.id,
        name: i.name,
        path: i.path,
        attributes: { startDate: i.startDate, finishDate: i.finishDate, timeFrame: i.timeFrame },
        url: `https://dev.azure.com/fabrikam/${PROJECT.id}/${TEAM.id}/_apis/work/teamsettings/iterations/${i.id}`,
      })),
    }),
    workItemTypes: json({
      count: 3,
      value: [
        type('Bug', 'Microsoft.VSTS.WorkItemTypes.Bug', ['System.Title', 'System.State', 'Microsoft.VSTS.Scheduling.StoryPoints', 'Microsoft.VSTS.Common.StackRank']),
        type('User Story', 'Microsoft.VSTS.WorkItemTypes.UserStory', ['System.Title', 'System.State', 'Microsoft.VSTS.Scheduling.StoryPoints', 'Microsoft.VSTS.Common.StackRank']),
        type('Task', 'Microsoft.VSTS.WorkItemTypes.Task', ['System.Title', 'System.State', 'Microsoft.VSTS.Scheduling.RemainingWork', 'Microsoft.VSTS.Common.StackRank']),
      ],
    }),
    states: {
      // Captured: the Bug's states (New, Active, CustomState, Resolved, Closed).
      Bug: example(BUG_STATES),
      'User Story': states([['New', 'Proposed'], ['Active', 'InProgress'], ['Resolved', 'Resolved'], ['Closed', 'Completed'], ['Removed', 'Removed']]),
      Task: states([['New', 'Proposed'], ['Active', 'InProgress'], ['Closed', 'Completed'], ['Removed', 'Removed']]),
    },
    // Captured (Fabrikam-Fiber-Git's tree): the adapter reads it for release iterations only; none match here.
    iterationTree: example('wit/7.1/httpExamples/classificationNodes/GET__wit_classificationNodes_iterations__depth-2.json'),
    // Captured: work item 1 (a Bug) with its 9 revisions.
    revisions: [example(REVISIONS)],
  };
}
