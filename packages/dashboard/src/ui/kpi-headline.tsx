import type { TrafficLight } from '@agile-kpi/core';
import type { ViewName } from '@agile-kpi/presentation';
import { DrillButton, type DrillRequest } from './drill-down';
import { LightBadge } from './light-badge';

export interface KpiHeadlineProps {
  readonly view: ViewName;
  /** The KPI's figure, exactly as the report has it ("35.67 pts"); absent when the metric has no value. */
  readonly figure?: string;
  /** What the figure is, for its accessible name ("team velocity"). */
  readonly what: string;
  readonly light: TrafficLight | null;
  /** The terminal summary's sentence for this KPI. */
  readonly sentence: string;
  /** The light's rule in words. */
  readonly rule: string;
  readonly evidence: DrillRequest;
}

/** The KPI at a glance: its figure (which opens its evidence), its light, the sentence and the light's rule. */
export function KpiHeadline({ view, figure, what, light, sentence, rule, evidence }: KpiHeadlineProps) {
  return (
    <div className="akpi-headline">
      <div className="akpi-headline__top">
        {figure !== undefined ? (
          <DrillButton request={evidence} testId={`kpi-headline-${view}`} what={what} className="akpi-headline__figure">
            {figure}
          </DrillButton>
        ) : (
          <span className="akpi-headline__figure akpi-headline__figure--none" data-testid={`kpi-headline-${view}`}>
            n/a
          </span>
        )}
        <LightBadge light={light} testId={`kpi-light-${view}`} />
      </div>
      <p className="akpi-headline__sentence" data-testid={`kpi-sentence-${view}`}>
        {sentence}
      </p>
      <p className="akpi-headline__rule akpi-muted">Light: {rule}.</p>
    </div>
  );
}
