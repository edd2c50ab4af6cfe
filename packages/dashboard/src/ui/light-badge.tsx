import type { TrafficLight } from '@agile-kpi/core';

/** A traffic light in colour and in words (colour alone tells nothing to a screen reader or to some eyes). */
export function LightBadge({ light, testId }: { readonly light: TrafficLight | null; readonly testId?: string }) {
  return (
    <span className={`akpi-light akpi-light--${light ?? 'none'}`} data-testid={testId} data-light={light ?? 'none'}>
      <span className="akpi-light__dot" aria-hidden="true" />
      {light ?? 'no light'}
    </span>
  );
}
