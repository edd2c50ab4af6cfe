import { type FormEvent, type ReactElement, useEffect, useId, useRef, useState } from 'react';
import { CONFIG_FIELDS, type ConfigErrors, type ConfigField, type ConfigFormValues, configToForm, validateConfigForm } from '@agile-kpi/presentation';
import { CONFIG_LIMITS } from '@agile-kpi/presentation';
import { type DashboardConfig, type Host, type HostError, type SourceChoice, VIEW_NAMES } from '@agile-kpi/presentation';
import { guard } from '../dashboard-state';
import { sentence } from '@agile-kpi/presentation';
import { ErrorState, LoadingState } from '../ui/states';
import { OutcomeSection } from './outcome-settings';
import { VIEW_TITLES } from '@agile-kpi/presentation';

const FIELD_IDS: Readonly<Record<ConfigField, string>> = {
  source: 'config-source',
  view: 'config-view',
  velocitySprints: 'config-velocity-sprints',
  goalSprints: 'config-goal-sprints',
  goalThreshold: 'config-goal-threshold',
  impedimentDays: 'config-impediment-days',
  staleDays: 'config-stale-days',
  lensPlannedDays: 'config-lens-planned-days',
  lensLateDays: 'config-lens-late-days',
  timeZone: 'config-time-zone',
  reportRecipients: 'config-report-recipients',
  reportIssueKey: 'config-report-issue',
  reportCadence: 'config-report-cadence',
};

const LABELS: Readonly<Record<ConfigField, string>> = {
  source: 'Board or team',
  view: 'View',
  velocitySprints: 'Velocity sprints',
  goalSprints: 'Goal sprints',
  goalThreshold: 'Goal threshold',
  impedimentDays: 'Impediment days',
  staleDays: 'Stale days',
  lensPlannedDays: 'Planned after (days)',
  lensLateDays: 'Late after (days)',
  timeZone: 'Time zone',
  reportRecipients: 'Report recipients',
  reportIssueKey: 'Notify on issue',
  reportCadence: 'Report cadence',
};

const HINTS: Readonly<Record<ConfigField, string>> = {
  source: 'The board (Jira) or team (Azure DevOps) whose history is measured.',
  view: 'The KPI this gadget shows.',
  velocitySprints: 'Closed sprints averaged into the velocity. Empty: 3.',
  goalSprints: 'Closed sprints in the sprint goal rate. Empty: 6.',
  goalThreshold: 'Completed / Committed at which an inferred sprint goal counts as met, e.g. 0.8 or 80%. Empty: 0.8.',
  impedimentDays: 'Measure impediments over the last N days. Empty: the last 6 sprints.',
  staleDays: 'Backlog items untouched this many days are stale. Empty: 90.',
  lensPlannedDays: 'Azure DevOps lens of velocity: as in its Velocity widget, the days past the start date when planned work is final. Empty: 0.',
  lensLateDays: 'Azure DevOps lens of velocity: as in its Velocity widget, the days past the end date after which completed work is late. Empty: 0.',
  timeZone: 'The team’s IANA zone, e.g. Europe/Berlin. Empty: the tracker’s.',
  reportRecipients: 'Jira account ids or group names, separated by commas, who get this board’s health report by email. Empty: no report.',
  reportIssueKey: 'Jira sends the report as a notification on this issue; only people who can browse its project get it. E.g. TEAM-1.',
  reportCadence: 'Weekly (on Monday) or on the day after each sprint closes.',
};

export interface ConfigFormProps {
  readonly initial: ConfigFormValues;
  readonly sources: readonly SourceChoice[] | null;
  /** Why the sources could not be listed (the source is then typed in). */
  readonly sourcesError?: HostError;
  /** Show the view choice (a gadget shows one view). */
  readonly chooseView: boolean;
  readonly onSave: (config: DashboardConfig) => Promise<HostError | null>;
  readonly onCancel?: () => void;
  /** Errors to show from the start (tests render the form with them). */
  readonly initialErrors?: ConfigErrors;
  /** Show the emailed report's settings (the host can send it: a Forge gadget). */
  readonly reportSettings?: boolean;
}

/**
 * The configuration form: every field labelled, with a hint and, when invalid, a message naming the fix
 * (linked to the field and summarised at the top). Saves through the host.
 */
export function ConfigForm({ initial, sources, sourcesError, chooseView, onSave, onCancel, initialErrors = {}, reportSettings = false }: ConfigFormProps) {
  const [values, setValues] = useState<ConfigFormValues>(initial);
  const [errors, setErrors] = useState<ConfigErrors>(initialErrors);
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'failed'; error: HostError }>({ kind: 'idle' });
  const form = useRef<HTMLFormElement>(null);
  const titleId = useId();
  const set = (field: ConfigField) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = validateConfigForm(values, { requireView: chooseView, ...(sources ? { sources } : {}) });
    if (!checked.ok) {
      setErrors(checked.errors);
      setStatus({ kind: 'idle' });
      const first = CONFIG_FIELDS.find((f) => checked.errors[f]);
      if (first) form.current?.querySelector<HTMLElement>(`#${FIELD_IDS[first]}`)?.focus();
      return;
    }
    setErrors({});
    setStatus({ kind: 'saving' });
    const failure = await onSave(checked.config);
    setStatus(failure ? { kind: 'failed', error: failure } : { kind: 'saved' });
  };

  const described = (f: ConfigField) => `${FIELD_IDS[f]}-hint${errors[f] ? ` ${FIELD_IDS[f]}-error` : ''}`;
  const field = (f: ConfigField, input: ReactElement) => (
    <div className={`akpi-field${errors[f] ? ' akpi-field--invalid' : ''}`} key={f}>
      <label htmlFor={FIELD_IDS[f]}>{LABELS[f]}</label>
      {input}
      <p id={`${FIELD_IDS[f]}-hint`} className="akpi-hint">
        {HINTS[f]}
      </p>
      {errors[f] && (
        <p id={`${FIELD_IDS[f]}-error`} className="akpi-error-text" data-testid={`config-error-${f}`}>
          {errors[f]}
        </p>
      )}
    </div>
  );
  const common = (f: ConfigField) => ({
    id: FIELD_IDS[f],
    name: f,
    value: values[f] ?? '',
    onChange: set(f),
    'aria-describedby': described(f),
    'aria-invalid': errors[f] ? true : undefined,
    'data-testid': FIELD_IDS[f],
  });
  const number = (f: keyof typeof CONFIG_LIMITS) => <input {...common(f)} type="text" inputMode="numeric" pattern="[0-9]*" placeholder="default" autoComplete="off" data-min={CONFIG_LIMITS[f].min} data-max={CONFIG_LIMITS[f].max} />;
  const errorList = CONFIG_FIELDS.filter((f) => errors[f]);

  return (
    <form ref={form} className="akpi-config" onSubmit={submit} noValidate aria-labelledby={titleId} data-testid="config-form">
      <h2 id={titleId}>Dashboard settings</h2>
      {errorList.length > 0 && (
        <div className="akpi-state akpi-state--error" role="alert" data-testid="config-errors">
          <p>Please correct {errorList.length === 1 ? 'this field' : `these ${errorList.length} fields`}:</p>
          <ul>
            {errorList.map((f) => (
              <li key={f}>
                <a href={`#${FIELD_IDS[f]}`}>{LABELS[f]}</a>: {errors[f]}
              </li>
            ))}
          </ul>
        </div>
      )}
      {field(
        'source',
        sources && sources.length > 0 ? (
          <select {...common('source')}>
            <option value="">Choose a board or team…</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        ) : (
          <input {...common('source')} type="text" autoComplete="off" />
        ),
      )}
      {sourcesError && <p className="akpi-error-text">The boards could not be listed ({sentence(sourcesError.message)}) Type the board id or project/team instead.</p>}
      {chooseView &&
        field(
          'view',
          <select {...common('view')}>
            <option value="">Choose a view…</option>
            {VIEW_NAMES.map((v) => (
              <option key={v} value={v}>
                {VIEW_TITLES[v]}
              </option>
            ))}
          </select>,
        )}
      <fieldset className="akpi-fieldset">
        <legend>Windows and thresholds</legend>
        {field('velocitySprints', number('velocitySprints'))}
        {field('goalSprints', number('goalSprints'))}
        {field('goalThreshold', <input {...common('goalThreshold')} type="text" inputMode="decimal" placeholder="0.8" autoComplete="off" />)}
        {field('impedimentDays', number('impedimentDays'))}
        {field('staleDays', number('staleDays'))}
        {field('lensPlannedDays', number('lensPlannedDays'))}
        {field('lensLateDays', number('lensLateDays'))}
        {field('timeZone', <input {...common('timeZone')} type="text" list={`${FIELD_IDS.timeZone}-list`} placeholder="the tracker’s" autoComplete="off" />)}
        {zones.length > 0 && (
          <datalist id={`${FIELD_IDS.timeZone}-list`}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        )}
      </fieldset>
      {reportSettings && (
        <fieldset className="akpi-fieldset" data-testid="config-report">
          <legend>Health report by email</legend>
          {field('reportRecipients', <textarea {...common('reportRecipients')} rows={2} placeholder="e.g. 5b10a2844c20165700ede21g, team-leads" autoComplete="off" />)}
          {field('reportIssueKey', <input {...common('reportIssueKey')} type="text" placeholder="e.g. TEAM-1" autoComplete="off" />)}
          {field(
            'reportCadence',
            <select {...common('reportCadence')}>
              <option value="weekly">Weekly</option>
              <option value="sprint">After each sprint</option>
            </select>,
          )}
        </fieldset>
      )}
      <div className="akpi-actions">
        <button type="submit" className="akpi-button akpi-button--primary" disabled={status.kind === 'saving'} data-testid="config-save">
          {status.kind === 'saving' ? 'Saving…' : 'Save'}
        </button>
        {onCancel && (
          <button type="button" className="akpi-button" onClick={onCancel} data-testid="config-cancel">
            Cancel
          </button>
        )}
      </div>
      <p role="status" aria-live="polite" className={status.kind === 'failed' ? 'akpi-error-text' : 'akpi-muted'} data-testid="config-status">
        {status.kind === 'saved' ? 'Saved.' : status.kind === 'failed' ? `Not saved: ${sentence(status.error.message)}` : ''}
      </p>
    </form>
  );
}

type Loaded = { readonly status: 'loading' } | { readonly status: 'error'; readonly error: HostError } | { readonly status: 'ready'; readonly config: DashboardConfig; readonly sources: readonly SourceChoice[] | null; readonly sourcesError?: HostError };

/**
 * The edit view: loads the configuration and the sources the host offers, then the form. `onSaved` runs
 * after a successful save (the standalone page goes back to the KPIs; a gadget's host closes its editor).
 */
export function EditView({ host, onSaved, onCancel }: { readonly host: Host; readonly onSaved?: (config: DashboardConfig) => void; readonly onCancel?: () => void }) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setLoaded({ status: 'loading' });
    Promise.all([guard(host.getConfig()), guard(host.listSources())]).then(([config, sources]) => {
      if (!live) return;
      if (!config.ok && config.error.kind !== 'not-configured') setLoaded({ status: 'error', error: config.error });
      else setLoaded({ status: 'ready', config: config.ok ? config.data : {}, sources: sources.ok ? sources.data : null, ...(sources.ok ? {} : { sourcesError: sources.error }) });
    });
    return () => {
      live = false;
    };
  }, [host, attempt]);
  if (loaded.status === 'loading') return <LoadingState what="the settings" />;
  if (loaded.status === 'error') return <ErrorState error={loaded.error} title="The settings could not be loaded" onRetry={() => setAttempt((a) => a + 1)} />;
  const form = (
    <ConfigForm
      initial={configToForm(loaded.config)}
      sources={loaded.sources}
      {...(loaded.sourcesError ? { sourcesError: loaded.sourcesError } : {})}
      chooseView={host.kind !== 'standalone'}
      reportSettings={host.kind === 'forge'}
      {...(onCancel ? { onCancel } : {})}
      onSave={async (config) => {
        // The standalone page has no view choice: keep the one it had.
        const keep = host.kind === 'standalone' && loaded.config.view ? { view: loaded.config.view } : {};
        const saved = await guard(host.saveConfig({ ...keep, ...config }));
        if (!saved.ok) return saved.error;
        onSaved?.(saved.data);
        return null;
      }}
    />
  );
  if (!host.importOutcomes && !host.loadOutcomeData) return form;
  return (
    <>
      {form}
      <OutcomeSection host={host} />
    </>
  );
}
