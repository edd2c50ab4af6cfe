import { sentence } from '@agile-kpi/presentation';
import type { HostError } from '@agile-kpi/presentation';

export function LoadingState({ what = 'the metrics' }: { readonly what?: string }) {
  return (
    <div className="akpi-state akpi-state--loading" role="status" aria-live="polite" data-testid="state-loading">
      <span className="akpi-spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

/** What a Scrum Master can do about each kind of failure. */
export function errorAdvice(error: HostError): string {
  switch (error.kind) {
    case 'auth':
      return 'Sign in to the tracker again, or ask an admin to check the app’s access, then try again.';
    case 'forbidden':
      return 'Ask a tracker admin for access to this board or team, or pick another one in the settings.';
    case 'not-found':
      return 'The board or team may have been deleted or renamed: pick another one in the settings.';
    case 'rate-limited':
      return 'The tracker is busy: try again in a minute.';
    case 'network':
      return 'Check the network connection, then try again.';
    case 'server':
      return 'The tracker had a problem answering: try again in a few minutes.';
    case 'invalid':
      return 'Correct the settings (open the settings or the gadget’s edit view), then try again.';
    case 'not-configured':
      return 'Pick a board or team in the settings.';
    case 'too-large':
      return 'Narrow the board’s filter (fewer issues, or old resolved issues left out), or use agile-kpi serve or the emailed report for a board this big.';
    case 'syncing':
      return 'The first sync of a big board takes a while: come back in a few minutes (the hourly refresh finishes it too).';
    default:
      return 'Try again; if it keeps failing, report it with the message above.';
  }
}

export function ErrorState({ error, onRetry, title = 'The metrics could not be loaded' }: { readonly error: HostError; readonly onRetry?: () => void; readonly title?: string }) {
  return (
    <div className="akpi-state akpi-state--error" role="alert" data-testid="state-error" data-error-kind={error.kind}>
      <h2 className="akpi-state__title">{title}</h2>
      <p data-testid="state-error-message">{sentence(error.message)}</p>
      <p>{errorAdvice(error)}</p>
      {onRetry && (
        <button type="button" className="akpi-button" onClick={onRetry} data-testid="state-error-retry">
          Try again
        </button>
      )}
    </div>
  );
}

/** A metric without a value: its reason, as a sentence ("empty is not zero"). */
export function EmptyState({ reason, testId, hint }: { readonly reason: string | undefined; readonly testId: string; readonly hint?: string }) {
  return (
    <div className="akpi-state akpi-state--empty" data-testid={testId}>
      <p>{sentence(reason ?? 'there is not enough data for this metric yet')}</p>
      {hint && <p className="akpi-muted">{hint}</p>}
    </div>
  );
}

export function NotConfiguredState({ onOpenSettings, hostKind }: { readonly onOpenSettings?: () => void; readonly hostKind: string }) {
  const where =
    hostKind === 'forge'
      ? 'Open this gadget’s menu and choose Edit to pick a board.'
      : hostKind === 'azure-devops'
        ? 'Open this widget’s Configure panel to pick a team.'
        : 'Open the settings to pick a board or team.';
  return (
    <div className="akpi-state akpi-state--setup" role="status" data-testid="state-not-configured">
      <h2 className="akpi-state__title">Choose what to measure</h2>
      <p>This dashboard is not set up yet: it needs a board or team to read. {where}</p>
      {onOpenSettings && (
        <button type="button" className="akpi-button akpi-button--primary" onClick={onOpenSettings} data-testid="open-settings">
          Open the settings
        </button>
      )}
    </div>
  );
}
