import { type FormEvent, useId, useState } from 'react';
import type { HostError } from '@agile-kpi/presentation';
import { SaveStatus, SubmitRow } from './outcome-upload';

type Status = { readonly kind: 'idle' | 'saving' } | { readonly kind: 'saved'; readonly keys: readonly string[] } | { readonly kind: 'failed'; readonly message: string };

/**
 * The board's Jira Service Management projects, whose requests' satisfaction ratings its syncs read (a host that
 * syncs a Jira board: the Forge app). Typed with commas; the host checks each key against Jira and names the one it
 * refuses, so the form only splits what was typed.
 */
export function ServiceProjectsForm({ initial, save }: { readonly initial: readonly string[]; readonly save: (projects: readonly string[]) => Promise<HostError | readonly string[]> }) {
  const [typed, setTyped] = useState(initial.join(', '));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const titleId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setStatus({ kind: 'saving' });
    const answer = await save(typed.split(',').map((k) => k.trim()).filter(Boolean));
    if ('message' in answer) return setStatus({ kind: 'failed', message: answer.message });
    setTyped(answer.join(', '));
    setStatus({ kind: 'saved', keys: answer });
  };
  return (
    <form className="akpi-config" onSubmit={submit} noValidate aria-labelledby={titleId} data-testid="service-projects">
      <h2 id={titleId}>Jira Service Management projects</h2>
      <div className="akpi-field">
        <label htmlFor="service-projects-keys">Project keys</label>
        <input
          id="service-projects-keys"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder="e.g. SUP, HELP"
          autoComplete="off"
          aria-describedby={`service-projects-hint${status.kind === 'failed' ? ' service-projects-error' : ''}`}
          aria-invalid={status.kind === 'failed' ? true : undefined}
          data-testid="service-projects-keys"
        />
        <p id="service-projects-hint" className="akpi-hint">
          The service projects whose requests’ satisfaction ratings (1 to 5) count in CSAT, separated by commas. Empty: none (ratings already read stay).
        </p>
      </div>
      <SubmitRow busy={status.kind === 'saving'} label="Save service projects" busyLabel="Saving…" testId="service-projects-save" primary />
      <SaveStatus
        id="service-projects"
        {...(status.kind === 'failed' ? { failed: status.message } : {})}
        {...(status.kind === 'saved' ? { saved: status.keys.length ? 'Saved: their ratings are read at the next load.' : 'Saved: no ratings are read.' } : {})}
      />
    </form>
  );
}
