/**
 * The Azure DevOps resources the adapter reads, with the location ids and route templates that
 * azure-devops-node-api 17 and the REST specs 7.1 give them. The api-version is what the client library sends.
 */
export interface AdoRoute {
  readonly area: string;
  readonly locationId: string;
  readonly routeTemplate: string;
  readonly apiVersion: string;
  /** For messages: "run the WIQL query". */
  readonly what: string;
}

export const ROUTES = {
  wiql: { area: 'wit', locationId: '1a9c53f7-f243-4447-b110-35ef023636e4', routeTemplate: '{project}/{team}/_apis/wit/wiql/{id}', apiVersion: '7.1-preview.2', what: 'run the WIQL query for the team' },
  workItemsBatch: { area: 'wit', locationId: '908509b6-4248-4475-a1cd-829139ba419f', routeTemplate: '{project}/_apis/wit/workitemsbatch', apiVersion: '7.1-preview.1', what: 'read work items in a batch' },
  reportingRevisions: { area: 'wit', locationId: 'f828fe59-dd87-495d-a17c-7a8d6211ca6c', routeTemplate: '{project}/_apis/wit/reporting/workItemRevisions', apiVersion: '7.1-preview.2', what: 'read work item revisions' },
  revisions: { area: 'wit', locationId: 'a00c85a5-80fa-4565-99c3-bcd2181434bb', routeTemplate: '{project}/_apis/wit/workItems/{id}/revisions/{revisionNumber}', apiVersion: '7.1-preview.3', what: "read a work item's revisions" },
  workItemTypes: { area: 'wit', locationId: '7c8d7a76-4a09-43e8-b5df-bd792f4ac6aa', routeTemplate: '{project}/_apis/wit/workitemtypes/{type}', apiVersion: '7.1-preview.2', what: 'list the work item types' },
  workItemTypeStates: { area: 'wit', locationId: '7c9d7a76-4a09-43e8-b5df-bd792f4ac6aa', routeTemplate: '{project}/_apis/wit/workitemtypes/{type}/states', apiVersion: '7.1-preview.1', what: "read a work item type's states" },
  classificationNodes: { area: 'wit', locationId: '5a172953-1b41-49d3-840a-33f79c3ce89f', routeTemplate: '{project}/_apis/wit/classificationNodes/{structureGroup}/{*path}', apiVersion: '7.1-preview.2', what: "read the project's iterations" },
  teamSettings: { area: 'work', locationId: 'c3c1012b-bea7-49d7-b45e-1664e566f84c', routeTemplate: '{project}/{team}/_apis/work/teamsettings', apiVersion: '7.2-preview.1', what: "read the team's settings" },
  teamFieldValues: { area: 'work', locationId: '07ced576-58ed-49e6-9c1e-5cb53ab8bf2a', routeTemplate: '{project}/{team}/_apis/work/teamsettings/teamfieldvalues', apiVersion: '7.2-preview.1', what: "read the team's area paths" },
  teamIterations: { area: 'work', locationId: 'c9175577-28a1-4b06-9197-8636af9f64ad', routeTemplate: '{project}/{team}/_apis/work/teamsettings/iterations/{id}', apiVersion: '7.2-preview.1', what: "list the team's iterations" },
} as const satisfies Record<string, AdoRoute>;
