import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSnapshot } from '@agile-kpi/core';
import type { TeamContext } from './discover-team';
import { mapAdoTeam } from './map-team';
import { readRecord } from '@agile-kpi/tracker-client';
import type { z } from 'zod';
import {
  classificationNodeSchema,
  iterationSchema,
  iterationsSchema,
  revisionSchema,
  wiqlRowSchema,
  workItemSchema,
  reportingBatchSchema,
  revisionsPageSchema,
  statesSchema,
  teamFieldValuesSchema,
  teamSettingsSchema,
  wiqlResultSchema,
  workItemsBatchSchema,
} from './wire';

/**
 * Mapping on Microsoft's own example responses (REST specs 7.1, test/fixtures/azure-devops): no real Azure
 * Boards history is published under a usable licence, so these are the closest real shapes.
 */
const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'azure-devops');
const example = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')).responses['200'].body;
/** Each record of an example list read as the adapter reads it; every one must be readable. */
const records = <S extends z.ZodType>(schema: S, list: readonly unknown[]): z.output<S>[] =>
  list.map((raw) => {
    const r = readRecord(schema, raw);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.value;
  });

describe('Azure DevOps example responses', () => {
  it('parse with the shapes the adapter relies on', () => {
    expect(records(revisionSchema, revisionsPageSchema.parse(example('wit/7.1/httpExamples/revisions/GET__list_workitem_revisions.json')))).toHaveLength(9);
    expect(statesSchema.parse(example('wit/7.1/httpExamples/workItemTypeStates/GET__workitem_type_states.json')).map((s) => s.category)).toEqual([
      'Proposed',
      'InProgress',
      'InProgress',
      'Resolved',
      'Completed',
    ]);
    expect(records(workItemSchema, workItemsBatchSchema.parse(example('wit/7.1/httpExamples/workItemsBatch/POST__wit_WorkItemsBatch_ids-_ids__fields-_columns_.json'))).map((w) => w.rev)).toEqual([1, 7, 1]);
    const batch = reportingBatchSchema.parse(example('wit/7.1/httpExamples/workItemRevisions/POST__wit_reporting_workItemRevisions_watermark-794.json'));
    expect([batch.isLastBatch, new URL(batch.nextLink!).searchParams.get('continuationToken')]).toEqual([true, '842;5;3']);
    // That example asked for three fields only, so its revisions lack System.ChangedDate, which every sync asks
    // for: read as the adapter reads them, each is refused for exactly that.
    const verdicts = batch.values.map((raw) => {
      const r = readRecord(revisionSchema, raw);
      return r.ok ? 'read' : r.problems.map((p) => `${p.field} ${p.reason}`).join();
    });
    expect(verdicts).toEqual(batch.values.map(() => 'fields.System.ChangedDate missing'));
    expect(records(wiqlRowSchema, wiqlResultSchema.parse(example('wit/7.1/httpExamples/wiql/GET__wit_get_id_workitems.json')).workItems)[0]!.id).toBe(300);
    expect(teamSettingsSchema.parse(example('work/7.1/httpExamples/teamsettings/GET__work_teamsettings.json')).workingDays).toHaveLength(5);
    expect(teamFieldValuesSchema.parse(example('work/7.1/httpExamples/teamFieldValues/GET__work_teamsettings_teamfieldvalues.json')).values.map((v) => v.value)).toEqual([
      'Fabrikam-Fiber\\Auto',
      'Fabrikam-Fiber\\Fiber',
      'Fabrikam-Fiber\\Optics',
    ]);
    // The published example says "values" where the service says "value": both are read.
    expect(records(iterationSchema, iterationsSchema.parse(example('work/7.1/httpExamples/iterations/GET__work_teamsettings_iterations__timeframe-_timeframe_.json')))[0]!.name).toBe('Sprint 2');
    expect(classificationNodeSchema.parse(example('wit/7.1/httpExamples/classificationNodes/GET__wit_classificationNodes_iterations__depth-2.json')).children?.map((c) => c.name)).toContain('Release 3');
  });

  it("maps the example bug's nine revisions to its history", () => {
    const revisions = records(revisionSchema, revisionsPageSchema.parse(example('wit/7.1/httpExamples/revisions/GET__list_workitem_revisions.json')));
    const states = statesSchema.parse(example('wit/7.1/httpExamples/workItemTypeStates/GET__workitem_type_states.json'));
    const last = revisions[revisions.length - 1]!;
    const ctx: TeamContext = {
      project: 'MyAgilePro1',
      team: 'MyAgilePro1 Team',
      areaPaths: [{ value: 'MyAgilePro1', includeChildren: true }],
      bugsBehavior: 'asRequirements',
      workingDays: [1, 2, 3, 4, 5],
      iterations: [
        { id: 'i1', name: 'Iteration 1', path: 'MyAgilePro1\\Iteration 1', attributes: { startDate: '2017-08-28T00:00:00Z', finishDate: '2017-09-03T00:00:00Z' } },
        { id: 'i2', name: 'Iteration 2', path: 'MyAgilePro1\\Iteration 2', attributes: { startDate: '2017-09-04T00:00:00Z', finishDate: '2017-09-15T00:00:00Z' } },
      ],
      types: [{ name: 'Bug', states }],
      estimateField: 'Microsoft.VSTS.Scheduling.StoryPoints',
      requirementTypes: ['User Story'],
      iterationNodes: [],
    };
    const data = { orgUrl: 'https://dev.azure.com/fabrikam', context: ctx, items: [{ id: 1, rev: 9, current: { ...last.fields, described: false }, revisions }], iterationSnapshots: [], syncedAt: '2017-09-10T00:00:00Z' };
    const snapshot = mapAdoTeam(data, { timeZone: 'UTC' });
    const bug = parseSnapshot(snapshot).items[0]!;
    // Rev 1 New in Iteration 1; rev 3 Active, moved to Iteration 2, tagged "beauty"; rev 5 estimated 3;
    // rev 9 a second tag.
    expect(bug).toMatchObject({ id: 'ado:workitem:1', key: '1', type: { kind: 'bug', original: 'Bug' }, createdAt: '2017-09-04T02:08:16.6Z' });
    expect(bug.status.map((c) => [c.at, c.value.name, c.value.category])).toEqual([
      ['2017-09-04T02:08:16.6Z', 'New', 'todo'],
      ['2017-09-04T02:36:18.75Z', 'Active', 'in_progress'],
    ]);
    expect(bug.sprints.map((c) => [c.at, c.value])).toEqual([
      ['2017-09-04T02:08:16.6Z', ['ado:iteration:i1']],
      ['2017-09-04T02:36:18.75Z', ['ado:iteration:i2']],
    ]);
    expect(bug.estimate.map((c) => [c.at, c.value])).toEqual([
      ['2017-09-04T02:08:16.6Z', null],
      ['2017-09-04T02:36:41.253Z', 3],
    ]);
    // Tags are kept sorted (code point order), so the same set always reads the same.
    expect(bug.labels.map((c) => c.value)).toEqual([[], ['beauty'], ['Güvenlik açığı testi', 'beauty']]);
    expect(bug.status[1]!.eventId).toBe('ado:revision:1:3');
    // Iteration dates are dates: Iteration 2 runs from the start of Sept 4 to the end of Sept 15 (UTC here).
    expect(snapshot.sprints.find((s) => s.id === 'ado:iteration:i2')).toMatchObject({ startAt: '2017-09-04T00:00:00.000Z', plannedEndAt: '2017-09-15T23:59:59.999Z', state: 'active' });
    expect(snapshot.sprints.find((s) => s.id === 'ado:iteration:i1')).toMatchObject({ state: 'closed', closedAt: '2017-09-03T23:59:59.999Z' });
    // Azure DevOps has no team zone: without one, UTC is assumed, and said.
    expect(snapshot.warnings.map((w) => w.code)).not.toContain('time-zone-assumed');
    expect(mapAdoTeam(data).warnings.map((w) => w.code)).toContain('time-zone-assumed');
  });
});
