import type { GoalOutcome, MetricsReport, SprintGoalEntry } from '@agile-kpi/core';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { decidedBy, OUTCOME_LABELS, sprintGoalChartOption } from '../charts/sprint-goal-chart';
import type { ChartTheme } from '@agile-kpi/presentation';
import { pct, sentence } from '@agile-kpi/presentation';
import type { HostResult, MetricsPayload } from '@agile-kpi/presentation';
import { lightRules, sprintGoalRateLight } from '@agile-kpi/presentation';
import { ChartFigure } from '../ui/chart-figure';
import { DrillButton, type DrillMore, type DrillRequest, itemCount, useDrillDown, useMoreEvidence, useKpiHeadlines } from '../ui/drill-down';
import { KpiHeadline } from '../ui/kpi-headline';
import { EmptyState } from '../ui/states';
import { DataTable, FigureList, ViewSection } from '../ui/view-section';

/** Records a Scrum Master's verdict; answers the recomputed metrics (what `Host.recordVerdict` does). */
export type RecordVerdict = (sprintId: string, verdict: { readonly outcome: GoalOutcome; readonly note?: string }) => Promise<HostResult<MetricsPayload>>;

const RULE_LABELS: Record<SprintGoalEntry['rule'], string> = { verdict: 'recorded verdict', 'goal-items': 'goal items', inferred: 'inferred', none: '—' };

function sprintEvidence(s: SprintGoalEntry, more?: DrillMore): DrillRequest {
  const why = s.rule === 'goal-items' ? 'Goal items: contribution 1 when done at close.' : s.rule === 'inferred' ? 'Committed and completed items the inferred rule read.' : undefined;
  return { title: `Sprint goal of ${s.name}: ${OUTCOME_LABELS[s.outcome]}`, items: s.evidence, ...(why ? { description: why } : {}), ...(more ? { more } : {}) };
}

/**
 * Sprint goal rate: each closed sprint's outcome (met, partly, missed, no goal, undetermined) and the rule
 * that decided it, the rate, and the Scrum Master's control to record the verdict on a closed sprint.
 */
export function SprintGoalView({ report, onRecordVerdict }: { readonly report: MetricsReport; readonly onRecordVerdict?: RecordVerdict }) {
  const headlines = useKpiHeadlines(report);
  const goals = report.sprintGoalRate;
  const g = goals.value;
  const sprints = goals.details.sprints;
  const threshold = goals.params.inferredThreshold;
  const open = useDrillDown();
  const moreOf = useMoreEvidence();
  // A hosted gadget's answer may carry a sprint's first page of evidence only: the rest is paged in.
  const evidenceOf = (s: SprintGoalEntry) => sprintEvidence(s, moreOf('sprintGoalRate', goals, `details.sprints.${sprints.indexOf(s)}.evidence`));
  const build = useCallback((theme: ChartTheme) => sprintGoalChartOption(goals, theme), [goals]);
  const decided = sprints.filter((s) => s.outcome === 'met' || s.outcome === 'partly' || s.outcome === 'missed');
  const headline: DrillRequest = { title: `Sprint goal rate: the evidence of the ${decided.length} decided sprints`, items: decided.flatMap((s) => s.evidence) };
  const byOutcome = (o: SprintGoalEntry['outcome']): DrillRequest => ({
    title: `Sprints whose goal was ${OUTCOME_LABELS[o]}`,
    items: sprints.filter((s) => s.outcome === o).flatMap((s) => s.evidence),
  });
  return (
    <ViewSection view="sprintGoalRate" title="Sprint goal rate">
      <KpiHeadline
        view="sprintGoalRate"
        figure={g ? pct(g.rate) : undefined}
        what="share of sprint goals met"
        light={sprintGoalRateLight(g)}
        sentence={headlines.sprintGoalRate}
        rule={lightRules().sprintGoalRate}
        evidence={headline}
      />
      {!g && <EmptyState reason={goals.reason} testId="state-empty-sprintGoalRate" hint="Give sprints a goal, label goal items, or record a verdict below." />}
      {g && (
        <FigureList
          testId="figures-sprintGoalRate"
          figures={[
            { label: 'Rate', value: String(g.rate) },
            { label: 'Met', value: String(g.met), drill: { request: byOutcome('met'), testId: 'drill-sprintGoalRate-met', what: 'sprints with the goal met' } },
            { label: 'Partly', value: String(g.partly), drill: { request: byOutcome('partly'), testId: 'drill-sprintGoalRate-partly', what: 'sprints with the goal partly met' } },
            { label: 'Missed', value: String(g.missed), drill: { request: byOutcome('missed'), testId: 'drill-sprintGoalRate-missed', what: 'sprints with the goal missed' } },
            { label: 'No goal', value: String(g.noGoal) },
            { label: 'Sprints considered', value: String(g.sprintsConsidered) },
          ]}
        />
      )}
      {sprints.length > 0 && (
        <>
          <ChartFigure
            id="sprintGoalRate"
            caption="Outcome of each closed sprint’s goal, with its say/do"
            summary={sprints.map((s) => `${s.name}: ${OUTCOME_LABELS[s.outcome]} (${RULE_LABELS[s.rule]})`).join('; ') + (g ? `. Rate ${pct(g.rate)}.` : '.')}
            build={build}
            table={{ columns: ['Sprint', 'Outcome', 'Decided by', 'Say/do'], rows: sprints.map((s) => [s.name, OUTCOME_LABELS[s.outcome], decidedBy(s, threshold), s.completionRatio]) }}
            onItemClick={(c, el) => {
              const s = sprints[c.dataIndex];
              if (s) open(evidenceOf(s), el);
            }}
          />
          <DataTable caption="Closed sprints, oldest first" testId="table-sprintGoalRate" head={['Sprint', 'Goal', 'Outcome', 'Decided by', 'Goal items done', 'Say/do', 'Evidence']}>
            {sprints.map((s) => (
              <tr key={s.sprintId} data-outcome={s.outcome}>
                <th scope="row">{s.name}</th>
                <td>{s.goal ?? '—'}</td>
                <td>
                  <span className={`akpi-outcome akpi-outcome--${s.outcome}`}>{OUTCOME_LABELS[s.outcome]}</span>
                </td>
                <td>
                  {decidedBy(s, threshold)}
                  {s.verdict?.note ? <span className="akpi-muted"> — “{s.verdict.note}”</span> : null}
                </td>
                <td className="akpi-num">{s.goalItems.total ? `${s.goalItems.done} of ${s.goalItems.total}` : '—'}</td>
                <td className="akpi-num">{s.completionRatio === null ? '—' : String(s.completionRatio)}</td>
                <td className="akpi-num">
                  <DrillButton request={evidenceOf(s)} testId={`drill-sprintGoalRate-sprint-${s.sprintId}`} what={`items behind the goal outcome of ${s.name}`}>
                    {itemCount(evidenceOf(s))}
                  </DrillButton>
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      {onRecordVerdict && sprints.length > 0 && <VerdictControl sprints={sprints} onRecordVerdict={onRecordVerdict} />}
    </ViewSection>
  );
}

type Status = { readonly kind: 'idle' } | { readonly kind: 'saving' } | { readonly kind: 'done'; readonly text: string } | { readonly kind: 'error'; readonly text: string };

/**
 * The Scrum Master's verdict on a closed sprint's goal (met, partly, missed, with an optional note). A
 * verdict outranks goal items and the inferred rule; the view then shows the recomputed metrics.
 */
export function VerdictControl({ sprints, onRecordVerdict }: { readonly sprints: readonly SprintGoalEntry[]; readonly onRecordVerdict: RecordVerdict }) {
  const ids = { sprint: useId(), note: useId(), legend: useId() };
  const initial = [...sprints].reverse().find((s) => s.rule !== 'verdict') ?? sprints[sprints.length - 1];
  const [sprintId, setSprintId] = useState(initial?.sprintId ?? '');
  const [outcome, setOutcome] = useState<GoalOutcome | ''>('');
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!outcome) {
      setStatus({ kind: 'error', text: 'Choose whether the goal was met, partly met or missed.' });
      return;
    }
    const sprint = sprints.find((s) => s.sprintId === sprintId);
    setStatus({ kind: 'saving' });
    const trimmed = note.trim();
    const answer = await onRecordVerdict(sprintId, { outcome, ...(trimmed ? { note: trimmed } : {}) });
    if (!answer.ok) {
      setStatus({ kind: 'error', text: `The verdict was not recorded: ${sentence(answer.error.message)}` });
      return;
    }
    const rate = answer.data.report.sprintGoalRate.value?.rate;
    setStatus({ kind: 'done', text: `Verdict recorded: ${sprint?.name ?? sprintId} ${OUTCOME_LABELS[outcome]}. The sprint goal rate is now ${rate === undefined ? 'n/a' : pct(rate)}.` });
    setNote('');
  };
  return (
    <form className="akpi-verdict" onSubmit={submit} data-testid="verdict-control" aria-labelledby={ids.legend}>
      <h3 id={ids.legend} className="akpi-verdict__title">
        Record the verdict of a closed sprint
      </h3>
      <p className="akpi-muted">A verdict decides the outcome before goal items and the inferred rule do.</p>
      <div className="akpi-field">
        <label htmlFor={ids.sprint}>Sprint</label>
        <select id={ids.sprint} value={sprintId} onChange={(e) => setSprintId(e.target.value)} data-testid="verdict-sprint">
          {sprints.map((s) => (
            <option key={s.sprintId} value={s.sprintId}>
              {s.name} (now {OUTCOME_LABELS[s.outcome]})
            </option>
          ))}
        </select>
      </div>
      <fieldset className="akpi-field akpi-radios">
        <legend>Was the sprint goal met?</legend>
        {(['met', 'partly', 'missed'] as const).map((o) => (
          <label key={o} className="akpi-radio">
            <input type="radio" name="verdict-outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} data-testid={`verdict-outcome-${o}`} />
            {OUTCOME_LABELS[o]}
          </label>
        ))}
      </fieldset>
      <div className="akpi-field">
        <label htmlFor={ids.note}>Note (optional)</label>
        <textarea id={ids.note} value={note} maxLength={500} rows={2} onChange={(e) => setNote(e.target.value)} data-testid="verdict-note" />
      </div>
      <button type="submit" className="akpi-button akpi-button--primary" disabled={status.kind === 'saving'} data-testid="verdict-submit">
        {status.kind === 'saving' ? 'Recording…' : 'Record the verdict'}
      </button>
      <p className={`akpi-verdict__status${status.kind === 'error' ? ' akpi-error-text' : ''}`} role="status" aria-live="polite" data-testid="verdict-status">
        {status.kind === 'done' || status.kind === 'error' ? status.text : ''}
      </p>
    </form>
  );
}
