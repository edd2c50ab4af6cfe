import type { Evidence, SprintVelocity, VelocityResult } from '@agile-kpi/core';
import { sprintId } from './map-issue';
import type { JiraVelocityReport } from './wire';

export interface VelocityReconciliation {
  readonly sprintId: string;
  readonly name: string;
  readonly ours: { readonly committed: number; readonly completed: number } | null;
  readonly jira: { readonly committed: number; readonly completed: number } | null;
  /** Both sides present and equal to within 0.01. */
  readonly agrees: boolean;
  /** Items whose treatment can explain a difference, with why. Empty when the figures agree. */
  readonly explanation: readonly (Evidence & { readonly why: string })[];
}

/** Roles of our evidence that commonly explain a gap with Jira's chart, and what to tell the user. */
const EXPLAINERS: Readonly<Record<string, string>> = {
  added: 'added after the start: in Completed when done, never in Committed',
  removed: 'removed during the sprint: still in Committed (as Jira counts it)',
  're-estimated': 'estimate changed during the sprint: Committed uses the estimate at the start, Completed the one at close',
  'completed-outside': 'already done when it joined the sprint: counted by neither side',
  'carried-over': 'not done at close',
};

/**
 * Our velocity beside Jira's own velocity chart, sprint by sprint (closed sprints): Jira's "Commitment" is
 * `velocityStatEntries[id].estimated.value`, its "Completed" `.completed.value`. Where the figures differ,
 * the items whose treatment can account for it are listed with the reason, so "why does this differ from
 * Jira?" has an answer. Jira's endpoint is unsupported by Atlassian: a site without it gives `jira: null`.
 *
 * @example reconcileVelocity(velocity(index, { historyCount: 100 }), report).every((r) => r.agrees)
 */
export function reconcileVelocity(ours: VelocityResult, report: JiraVelocityReport | null): VelocityReconciliation[] {
  const closed = ours.details.sprints.filter((s) => s.state === 'closed');
  const byId = new Map<string, SprintVelocity>(closed.map((s) => [s.sprintId, s]));
  const ids = new Set<string>(closed.map((s) => s.sprintId));
  const names = new Map<string, string>(closed.map((s) => [s.sprintId, s.name]));
  if (report) {
    for (const s of report.sprints) {
      if ((s.state ?? 'CLOSED').toUpperCase() !== 'CLOSED') continue;
      ids.add(sprintId(s.id));
      if (!names.has(sprintId(s.id))) names.set(sprintId(s.id), s.name);
    }
  }
  const jiraOf = (id: string) => {
    if (!report) return null;
    const raw = id.replace(/^jira:sprint:/, '');
    const e = report.velocityStatEntries[raw];
    return e ? { committed: e.estimated.value, completed: e.completed.value } : null;
  };
  return [...ids]
    .map((id) => {
      const s = byId.get(id);
      const mine = s ? { committed: s.committed.points, completed: s.completed.points } : null;
      const theirs = jiraOf(id);
      const agrees = !!mine && !!theirs && Math.abs(mine.committed - theirs.committed) < 0.01 && Math.abs(mine.completed - theirs.completed) < 0.01;
      const explanation =
        agrees || !s
          ? []
          : s.evidence.filter((e) => EXPLAINERS[e.role] && (e.contribution ?? 0) !== 0).map((e) => ({ ...e, why: EXPLAINERS[e.role]! }));
      return { sprintId: id, name: names.get(id) ?? id, ours: mine, jira: theirs, agrees, explanation, start: s?.startAt ?? '' };
    })
    .sort((a, b) => a.start.localeCompare(b.start) || a.sprintId.localeCompare(b.sprintId))
    .map(({ start: _start, ...row }) => row);
}
