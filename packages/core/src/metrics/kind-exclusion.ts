import type { WorkItemHistory } from '../history/history-index';
import type { TeamSettings } from '../model/types';

/**
 * Which item kinds a measure counts, written once. Three readings:
 * - `sprint` (velocity, sprint goals, sprint progress): sprint work; epics are containers, impediments are not
 *   work, sub-tasks only when the team counts their estimates (Jira does not);
 * - `delivery` (flow, release predictability): delivered work; no sub-tasks (their parent is delivered), epics or
 *   impediments;
 * - `backlog` (backlog health): backlog work; as delivery, and bugs only when the team keeps them on the backlog.
 */
export type CountedWork = 'sprint' | 'delivery' | 'backlog';

/**
 * Why an item's kind keeps it out of a measure (the reason shown with the exclusion), or undefined when it counts.
 *
 * @example kindExclusion(subtask, 'sprint', team) // 'sub-task: its points are not counted (Jira excludes sub-tasks)' when team.includeSubtasks is false
 */
export function kindExclusion(h: WorkItemHistory, work: CountedWork, team: Pick<TeamSettings, 'includeSubtasks' | 'bugsOnBacklog'>): string | undefined {
  const kind = h.item.type.kind;
  if (work === 'sprint') {
    if (kind === 'subtask') return team.includeSubtasks ? undefined : 'sub-task: its points are not counted (Jira excludes sub-tasks)';
    return kind === 'epic' || kind === 'impediment' ? `${kind}: not sprint work` : undefined;
  }
  if (kind === 'subtask') return work === 'backlog' ? 'sub-task: its parent is the backlog item' : 'sub-task: its parent is the delivered item';
  if (kind === 'epic') return work === 'backlog' ? 'epic: a container, not a backlog item' : 'epic: a container, not a delivered item';
  if (kind === 'impediment') return work === 'backlog' ? 'impediment: not backlog work' : 'impediment: not delivered work';
  if (kind === 'bug' && work === 'backlog' && !team.bugsOnBacklog) return 'bug: the team keeps bugs off the backlog';
  return undefined;
}

/** Whether an item's kind counts in a measure (see {@link kindExclusion}). */
export function countsAs(h: WorkItemHistory, work: CountedWork, team: Pick<TeamSettings, 'includeSubtasks' | 'bugsOnBacklog'>): boolean {
  return kindExclusion(h, work, team) === undefined;
}
