import type { Random } from './random';
import type { StatusName } from './live-state';

/**
 * How one item moves through one sprint: an ordered list of steps in *working minutes*.
 *
 * Plans are made when the item joins the sprint (planning, or a mid-sprint add) from its live status, and only
 * carried out by the event queue, so the ground truth still comes from the live state at close. Each item gets at
 * most one special role per sprint, so that scenarios never blur into each other (a reopened item is never also
 * flagged, a removed item is never a goal item): the truth stays unambiguous for the metric tests.
 */

export type Outcome = 'done' | 'carry' | 'removed';

export type Role =
  | 'none'
  | 'removal'
  | 'reopen-done'
  | 'reopen-open'
  | 're-estimate-up'
  | 're-estimate-down'
  | 'flag-weekend'
  | 'flag-until-done'
  | 'flag'
  | 'blocked';

export type StepAction =
  | { readonly kind: 'status'; readonly to: StatusName }
  | { readonly kind: 'flag'; readonly on: boolean }
  | { readonly kind: 'estimate'; readonly direction: 'up' | 'down' }
  | { readonly kind: 'remove' };

export type Step = StepAction & { readonly w: number };

export interface TrajectoryRequest {
  readonly from: StatusName;
  /** Still flagged from an earlier sprint: the flag comes off first. */
  readonly flagged: boolean;
  /** Working minute the item is available from (exclusive). */
  readonly start: number;
  /** Last working minute anything may happen (before close). */
  readonly end: number;
  readonly outcome: Outcome;
  readonly role: Role;
  /** For `flag-weekend`: a Friday-afternoon flag and a Monday-morning unflag, in working minutes. */
  readonly weekend?: { readonly on: number; readonly off: number };
}

interface Template {
  readonly action: StepAction;
  readonly fixed?: number;
}

/** Minimum distance between two steps of one item, in working minutes. */
const GAP = 1;

export function planTrajectory(rng: Random, request: TrajectoryRequest): Step[] {
  // Short waits on somebody happen to ordinary items too: a brief flag.
  const req: TrajectoryRequest =
    request.role === 'none' && request.outcome !== 'removed' && !request.flagged && rng.chance(0.08)
      ? { ...request, role: 'flag' }
      : request;
  const seq: Template[] = [];
  let s: StatusName = req.from;
  const go = (to: StatusName): void => {
    seq.push({ action: { kind: 'status', to } });
    s = to;
  };
  const flag = (on: boolean, fixed?: number): void => {
    seq.push(fixed === undefined ? { action: { kind: 'flag', on } } : { action: { kind: 'flag', on }, fixed });
  };
  const reEstimate = (): void => {
    if (req.role === 're-estimate-up') seq.push({ action: { kind: 'estimate', direction: 'up' } });
    if (req.role === 're-estimate-down') seq.push({ action: { kind: 'estimate', direction: 'down' } });
  };

  if (req.flagged) flag(false);
  let end = req.end;

  if (req.outcome === 'done') {
    if (s === 'Blocked' || s === 'To Do') go('In Progress');
    if (req.role === 'flag-weekend' && req.weekend) {
      flag(true, req.weekend.on);
      flag(false, req.weekend.off);
    }
    reEstimate();
    if (req.role === 'blocked') {
      go('Blocked');
      go('In Progress');
    }
    if (req.role === 'flag') {
      flag(true);
      flag(false);
    }
    if (req.role === 'flag-until-done') flag(true);
    if (s !== 'In Review' && rng.chance(0.85)) go('In Review');
    // Review finds something: back to work, then review again.
    if (s === 'In Review' && rng.chance(0.4)) {
      go('In Progress');
      go('In Review');
      if (rng.chance(0.25)) {
        go('In Progress');
        go('In Review');
      }
    }
    go('Done');
    if (req.role === 'reopen-done') {
      go('In Progress');
      if (rng.chance(0.5)) go('In Review');
      go('Done');
    }
    // Somebody clears the flag later, or never: either way the impediment ended when the item was done.
    if (req.role === 'flag-until-done' && rng.chance(0.4)) flag(false);
    // Most items finish before the last day; some in the final hours.
    const lowest = req.weekend && req.role === 'flag-weekend' ? req.weekend.off : req.start;
    end = lowest + (req.end - lowest) * Math.sqrt(rng.between(0.15, 1));
  } else if (req.outcome === 'carry') {
    if (req.role === 'reopen-open') {
      if (s === 'To Do' || s === 'Blocked') go('In Progress');
      if (s !== 'In Review') go('In Review');
      go('Done');
      go('In Progress');
    } else if (req.role === 'blocked') {
      if (s === 'To Do') go('In Progress');
      if (s !== 'Blocked') go('Blocked');
      if (rng.chance(0.4)) go('In Progress');
    } else {
      if (s === 'Blocked' && rng.chance(0.7)) go('In Progress');
      if (s === 'To Do') {
        const r = rng.float();
        if (r >= 0.35) go('In Progress');
        if (r >= 0.8) go('In Review');
      } else if (s === 'In Progress' && rng.chance(0.5)) go('In Review');
      if (req.role === 'flag' && s !== 'To Do') {
        flag(true);
        // Half of them are still flagged at close: an impediment that outlives the sprint.
        if (rng.chance(0.5)) flag(false);
      }
    }
    reEstimate();
  } else {
    if (s === 'To Do' && rng.chance(0.3)) go('In Progress');
    seq.push({ action: { kind: 'remove' } });
    end = req.start + (req.end - req.start) * rng.between(0.25, 0.8);
  }
  return assignTimes(rng, seq, req.start, end);
}

/**
 * A sub-task's path inside its parent's: started and (when `done`) finished between `start` and `end`, which
 * the caller sets before the parent's own done or removal.
 */
export function planFollower(rng: Random, from: StatusName, start: number, end: number, done: boolean): Step[] {
  if (end - start < 4 * GAP) return [];
  const seq: Template[] = [];
  if (from === 'To Do' || from === 'Blocked') {
    if (!done && rng.chance(0.4)) return [];
    seq.push({ action: { kind: 'status', to: 'In Progress' } });
  }
  if (done) {
    if (rng.chance(0.4)) seq.push({ action: { kind: 'status', to: 'In Review' } });
    seq.push({ action: { kind: 'status', to: 'Done' } });
  }
  return assignTimes(rng, seq, start, end);
}

/**
 * Gives every template a time: fixed ones keep theirs, the free ones between two anchors are spread uniformly
 * (sorted) over the gap, and all are kept at least {@link GAP} apart.
 */
function assignTimes(rng: Random, seq: readonly Template[], start: number, end: number): Step[] {
  const times = new Array<number>(seq.length);
  let lo = start;
  let i = 0;
  while (i < seq.length) {
    let j = i;
    while (j < seq.length && seq[j]!.fixed === undefined) j++;
    const hi = j < seq.length ? seq[j]!.fixed! : Math.max(end, lo + GAP * (j - i + 1));
    const free = rng.sortedBetween(j - i, lo + GAP, hi - GAP);
    for (let k = i; k < j; k++) times[k] = free[k - i]!;
    if (j < seq.length) {
      times[j] = hi;
      lo = hi;
    }
    i = j + 1;
  }
  const steps: Step[] = [];
  let last = start;
  for (let k = 0; k < seq.length; k++) {
    const w = Math.max(times[k]!, last + GAP);
    last = w;
    steps.push({ ...seq[k]!.action, w });
  }
  return steps;
}
