/**
 * The work item fields the simulated organisation knows (`GET _apis/wit/fields`), with the friendly names WIQL
 * also accepts ("[State]" for "[System.State]").
 */

export type FieldType =
  | 'string'
  | 'integer'
  | 'double'
  | 'dateTime'
  | 'treePath'
  | 'html'
  | 'plainText'
  | 'identity'
  | 'boolean';

export interface FieldDef {
  readonly referenceName: string;
  readonly name: string;
  readonly type: FieldType;
  readonly readOnly: boolean;
  /** Long-text fields: left out of reporting revisions unless `$expand=fields` or asked for by name. */
  readonly longText?: boolean;
}

const f = (referenceName: string, name: string, type: FieldType, readOnly = false, longText = false): FieldDef =>
  longText ? { referenceName, name, type, readOnly, longText } : { referenceName, name, type, readOnly };

export const FIELDS: readonly FieldDef[] = [
  f('System.Id', 'ID', 'integer', true),
  f('System.Rev', 'Rev', 'integer', true),
  f('System.Watermark', 'Watermark', 'integer', true),
  f('System.AreaId', 'Area ID', 'integer'),
  f('System.AreaPath', 'Area Path', 'treePath'),
  f('System.IterationId', 'Iteration ID', 'integer'),
  f('System.IterationPath', 'Iteration Path', 'treePath'),
  f('System.TeamProject', 'Team Project', 'string', true),
  f('System.NodeName', 'Node Name', 'string', true),
  f('System.WorkItemType', 'Work Item Type', 'string'),
  f('System.State', 'State', 'string'),
  f('System.Reason', 'Reason', 'string'),
  f('System.AssignedTo', 'Assigned To', 'identity'),
  f('System.CreatedDate', 'Created Date', 'dateTime', true),
  f('System.CreatedBy', 'Created By', 'identity', true),
  f('System.ChangedDate', 'Changed Date', 'dateTime', true),
  f('System.ChangedBy', 'Changed By', 'identity', true),
  f('System.AuthorizedDate', 'Authorized Date', 'dateTime', true),
  f('System.RevisedDate', 'Revised Date', 'dateTime', true),
  f('System.AuthorizedAs', 'Authorized As', 'identity', true),
  f('System.IsDeleted', 'Is Deleted', 'boolean', true),
  f('System.CommentCount', 'Comment Count', 'integer', true),
  f('System.Title', 'Title', 'string'),
  f('System.Description', 'Description', 'html', false, true),
  f('System.History', 'History', 'html', false, true),
  f('System.Tags', 'Tags', 'plainText'),
  f('System.Parent', 'Parent', 'integer'),
  f('System.BoardColumn', 'Board Column', 'string', true),
  f('Microsoft.VSTS.Common.Priority', 'Priority', 'integer'),
  f('Microsoft.VSTS.Common.StateChangeDate', 'State Change Date', 'dateTime', true),
  f('Microsoft.VSTS.Common.ActivatedDate', 'Activated Date', 'dateTime', true),
  f('Microsoft.VSTS.Common.ActivatedBy', 'Activated By', 'identity', true),
  f('Microsoft.VSTS.Common.ResolvedDate', 'Resolved Date', 'dateTime', true),
  f('Microsoft.VSTS.Common.ClosedDate', 'Closed Date', 'dateTime', true),
  f('Microsoft.VSTS.Common.ClosedBy', 'Closed By', 'identity', true),
  f('Microsoft.VSTS.Common.BacklogPriority', 'Backlog Priority', 'double'),
  f('Microsoft.VSTS.Common.StackRank', 'Stack Rank', 'double'),
  f('Microsoft.VSTS.Common.AcceptanceCriteria', 'Acceptance Criteria', 'html', false, true),
  f('Microsoft.VSTS.Common.ValueArea', 'Value Area', 'string'),
  f('Microsoft.VSTS.Scheduling.Effort', 'Effort', 'double'),
  f('Microsoft.VSTS.Scheduling.StoryPoints', 'Story Points', 'double'),
  f('Microsoft.VSTS.Scheduling.RemainingWork', 'Remaining Work', 'double'),
  f('Microsoft.VSTS.CMMI.Blocked', 'Blocked', 'string'),
];

const BY_REF = new Map(FIELDS.map((x) => [x.referenceName.toLowerCase(), x]));
const BY_NAME = new Map(FIELDS.map((x) => [x.name.toLowerCase(), x]));

/** A field by reference name or friendly name (case-insensitive). */
export function fieldByName(name: string): FieldDef | undefined {
  const lower = name.trim().toLowerCase();
  return BY_REF.get(lower) ?? BY_NAME.get(lower);
}
