import type { GoalOutcome } from '@agile-kpi/core';
import { ConfigError } from './host-error';

export const GOAL_OUTCOMES: readonly GoalOutcome[] = ['met', 'partly', 'missed'];

/** The longest note a verdict keeps: a longer one is refused, never cut. */
export const VERDICT_NOTE_MAX = 2000;

/** A verdict as a user sent it, checked: the note trimmed, and left out when blank. */
export interface VerdictInput {
  readonly outcome: GoalOutcome;
  readonly note?: string;
}

/**
 * The sprint goal verdict rules every surface shares (the Forge gadget, the Azure DevOps hub and widget,
 * `agile-kpi serve`): the outcome is met, partly or missed; the note, when there is one, is text of at most
 * {@link VERDICT_NOTE_MAX} characters. Throws a {@link ConfigError} naming the rule.
 *
 * @example checkVerdict({ outcome: 'met', note: '  shipped  ' }) // { outcome: 'met', note: 'shipped' }
 */
export function checkVerdict(verdict: { readonly outcome?: unknown; readonly note?: unknown } | undefined): VerdictInput {
  const outcome = verdict?.outcome;
  if (typeof outcome !== 'string' || !(GOAL_OUTCOMES as readonly string[]).includes(outcome)) {
    throw new ConfigError(`a sprint goal verdict is met, partly or missed, got ${JSON.stringify(outcome)}`);
  }
  const note = verdict?.note;
  if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > VERDICT_NOTE_MAX)) {
    throw new ConfigError(`a verdict note is text of at most ${VERDICT_NOTE_MAX} characters`);
  }
  return { outcome: outcome as GoalOutcome, ...(typeof note === 'string' && note.trim() ? { note: note.trim() } : {}) };
}
