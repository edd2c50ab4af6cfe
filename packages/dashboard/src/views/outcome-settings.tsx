import { type OutcomeSettings, type SettingsCheck, checkCost, checkOutcomeSettings } from '@agile-kpi/core';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { guard } from '../dashboard-state';
import { sentence } from '@agile-kpi/presentation';
import type { Host, HostError, OutcomeData, OutcomeFile, OutcomeFileKind } from '@agile-kpi/presentation';
import { OutcomeUploadForm, SaveStatus, SubmitRow, hostUpload } from './outcome-upload';
import { ServiceProjectsForm } from './service-projects';

/** The outcome settings as the form holds them: text, as typed. */
export interface OutcomeSettingsFields {
  readonly amount: string;
  readonly currency: string;
  readonly features: readonly { readonly feature: string; readonly shippedBy: string }[];
}

export function settingsToFields(settings: OutcomeSettings): OutcomeSettingsFields {
  return {
    amount: settings.cost ? String(settings.cost.perSprint) : '',
    currency: settings.cost?.currency ?? '',
    features: (settings.features ?? []).map((f) => ({ feature: f.feature, shippedBy: f.shippedBy })),
  };
}

/**
 * The form's fields as settings, by core's rule (the one every host checks again, and `agile-kpi outcomes
 * settings` uses): an empty amount and currency is no cost; rows left wholly empty are no mapping.
 */
export function fieldsToSettings(fields: OutcomeSettingsFields): SettingsCheck<OutcomeSettings> {
  let cost: OutcomeSettings['cost'];
  if (fields.amount.trim() || fields.currency.trim()) {
    const read = checkCost(fields.amount, fields.currency);
    if (!read.ok) return read;
    cost = read.value;
  }
  const features = fields.features.filter((f) => f.feature.trim() || f.shippedBy.trim());
  return checkOutcomeSettings({ ...(cost ? { cost } : {}), features });
}

type Status = { readonly kind: 'idle' | 'saving' } | { readonly kind: 'saved' } | { readonly kind: 'failed'; readonly message: string; readonly field?: 'cost' | 'features' };

/**
 * The team's outcome settings: its cost per sprint (the cost side of ROI) and which epic or release ships which
 * feature of the usage data (besides epics labelled or tagged `feature:<key>`). Saved whole; a refusal names its
 * field and changes nothing.
 */
export function OutcomeSettingsForm({ initial, save }: { readonly initial: OutcomeSettings; readonly save: (settings: OutcomeSettings) => Promise<HostError | null> }) {
  const [fields, setFields] = useState<OutcomeSettingsFields>(() => settingsToFields(initial));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const titleId = useId();
  const setRow = (i: number, change: Partial<OutcomeSettingsFields['features'][number]>) =>
    setFields((f) => ({ ...f, features: f.features.map((row, j) => (j === i ? { ...row, ...change } : row)) }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = fieldsToSettings(fields);
    if (!checked.ok) return setStatus({ kind: 'failed', message: checked.message, field: checked.field });
    setStatus({ kind: 'saving' });
    const error = await save(checked.value);
    if (error) return setStatus({ kind: 'failed', message: error.message });
    setFields(settingsToFields(checked.value));
    setStatus({ kind: 'saved' });
  };
  const invalid = (field: 'cost' | 'features') => (status.kind === 'failed' && status.field === field ? { 'aria-invalid': true, 'aria-describedby': 'outcome-settings-error' } : {});

  return (
    <form className="akpi-config" onSubmit={submit} noValidate aria-labelledby={titleId} data-testid="outcome-settings">
      <h2 id={titleId}>Customer outcome settings</h2>
      <fieldset className="akpi-fieldset">
        <legend>Cost per sprint</legend>
        <p className="akpi-hint" id="outcome-cost-hint">
          What one sprint of the team costs, the cost side of ROI (each epic costs its share of each sprint’s completed points). Leave both empty for no ROI.
        </p>
        <div className="akpi-field">
          <label htmlFor="outcome-cost-amount">Amount</label>
          <input id="outcome-cost-amount" inputMode="decimal" value={fields.amount} onChange={(e) => setFields({ ...fields, amount: e.target.value })} aria-describedby="outcome-cost-hint" data-testid="outcome-cost-amount" {...invalid('cost')} />
        </div>
        <div className="akpi-field">
          <label htmlFor="outcome-cost-currency">Currency code</label>
          <input id="outcome-cost-currency" maxLength={3} value={fields.currency} onChange={(e) => setFields({ ...fields, currency: e.target.value })} placeholder="EUR" data-testid="outcome-cost-currency" {...invalid('cost')} />
        </div>
      </fieldset>
      <fieldset className="akpi-fieldset">
        <legend>Feature mappings</legend>
        <p className="akpi-hint">The feature key of the usage data, and the epic key or release name that ships it. Epics labelled or tagged feature:&lt;key&gt; count without a mapping.</p>
        {fields.features.length > 0 && (
          <table className="akpi-table" data-testid="outcome-features">
            <RemovableRowsHead columns={['Feature key', 'Epic key or release name']} />
            <tbody>
              {fields.features.map((row, i) => (
                <tr key={i}>
                  <td>
                    <input aria-label={`Feature key ${i + 1}`} value={row.feature} onChange={(e) => setRow(i, { feature: e.target.value })} data-testid={`outcome-feature-${i}`} {...invalid('features')} />
                  </td>
                  <td>
                    <input aria-label={`Epic key or release name ${i + 1}`} value={row.shippedBy} onChange={(e) => setRow(i, { shippedBy: e.target.value })} data-testid={`outcome-shipped-by-${i}`} {...invalid('features')} />
                  </td>
                  <td>
                    <button type="button" className="akpi-button akpi-button--subtle" onClick={() => setFields({ ...fields, features: fields.features.filter((_, j) => j !== i) })} data-testid={`outcome-feature-remove-${i}`}>
                      Remove<span className="akpi-visually-hidden"> mapping {i + 1}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <button type="button" className="akpi-button akpi-button--subtle" onClick={() => setFields({ ...fields, features: [...fields.features, { feature: '', shippedBy: '' }] })} data-testid="outcome-feature-add">
          Add a feature mapping
        </button>
      </fieldset>
      <SubmitRow busy={status.kind === 'saving'} label="Save outcome settings" busyLabel="Saving…" testId="outcome-settings-save" primary />
      <SaveStatus id="outcome-settings" {...(status.kind === 'failed' ? { failed: status.message } : {})} {...(status.kind === 'saved' ? { saved: 'Saved: the customer outcomes use them from the next load.' } : {})} />
    </form>
  );
}

/** A table's head whose rows each end with a remove button (its column named for screen readers only). */
function RemovableRowsHead({ columns, numeric }: { readonly columns: readonly string[]; readonly numeric?: string }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col" {...(c === numeric ? { className: 'akpi-num' } : {})}>
            {c}
          </th>
        ))}
        <th scope="col">
          <span className="akpi-visually-hidden">Remove</span>
        </th>
      </tr>
    </thead>
  );
}

/** The files the team's outcome records came from, per kind, each with a button that removes its records. */
export function OutcomeFileList({ files, remove }: { readonly files: readonly OutcomeFile[]; readonly remove: (file: { kind: OutcomeFileKind; name: string }) => Promise<string | HostError> }) {
  const [status, setStatus] = useState<{ readonly busy?: string; readonly message?: string; readonly error?: string }>({});
  const titleId = useId();
  const onRemove = async (file: OutcomeFile) => {
    setStatus({ busy: `${file.kind}/${file.name}` });
    const answer = await remove(file);
    setStatus(typeof answer === 'string' ? { message: answer } : { error: answer.message });
  };
  return (
    <section className="akpi-config" aria-labelledby={titleId} data-testid="outcome-files">
      <h2 id={titleId}>Uploaded outcome files</h2>
      {files.length === 0 ? (
        <p className="akpi-muted">No files uploaded yet.</p>
      ) : (
        <table className="akpi-table">
          <RemovableRowsHead columns={['Kind', 'File', 'Records']} numeric="Records" />
          <tbody>
            {files.map((f) => (
              <tr key={`${f.kind}/${f.name}`} data-testid="outcome-file-row">
                <td>{f.kind}</td>
                <td>{f.name}</td>
                <td className="akpi-num">{f.records}</td>
                <td>
                  <button type="button" className="akpi-button akpi-button--subtle" disabled={status.busy !== undefined} onClick={() => void onRemove(f)} data-testid="outcome-file-remove">
                    {status.busy === `${f.kind}/${f.name}` ? 'Removing…' : 'Remove'}
                    <span className="akpi-visually-hidden">
                      {' '}
                      {f.kind} records of {f.name}
                    </span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div role="status" aria-live="polite" data-testid="outcome-files-status">
        {status.message && <p className="akpi-muted">{sentence(status.message)}</p>}
        {status.error && <p className="akpi-error-text">Not removed: {sentence(status.error)}</p>}
      </div>
    </section>
  );
}

/**
 * The settings' customer outcome section, on every host that keeps outcome data: the upload, the files uploaded
 * (with their removal), the outcome settings and the Jira Service Management projects, where the host offers each. The list follows an upload or a removal.
 */
export function OutcomeSection({ host }: { readonly host: Host }) {
  const [data, setData] = useState<OutcomeData | HostError | null>(null);
  const load = useCallback(async () => {
    if (!host.loadOutcomeData) return;
    const answer = await guard(host.loadOutcomeData());
    setData(answer.ok ? answer.data : answer.error);
  }, [host]);
  useEffect(() => {
    void load();
  }, [load]);
  const importOutcomes = host.importOutcomes?.bind(host);
  const upload = importOutcomes && hostUpload(importOutcomes);
  const removeFile = host.removeOutcomeFile?.bind(host);
  const saveSettings = host.saveOutcomeSettings?.bind(host);
  const saveServiceProjects = host.saveServiceProjects?.bind(host);
  // A host that answers it keeps no outcome data here (not-found) shows its note alone: an upload would be refused.
  const none = data !== null && 'kind' in data && data.kind === 'not-found';
  return (
    <>
      {upload && !none && (
        <OutcomeUploadForm
          upload={async (file) => {
            const answer = await upload(file);
            if ('imported' in answer && answer.imported) void load();
            return answer;
          }}
        />
      )}
      {data && 'kind' in data && (none ? <p className="akpi-muted" data-testid="outcome-data-none">{sentence(data.message)}</p> : <p className="akpi-error-text">The uploaded outcome files could not be listed: {sentence(data.message)}</p>)}
      {data && 'files' in data && removeFile && (
        <OutcomeFileList
          files={data.files}
          remove={async (file) => {
            const answer = await guard(removeFile(file));
            if (!answer.ok) return answer.error;
            setData(answer.data);
            return answer.data.message;
          }}
        />
      )}
      {data && 'files' in data && data.settings && saveSettings && (
        <OutcomeSettingsForm
          initial={data.settings}
          save={async (settings) => {
            const answer = await guard(saveSettings(settings));
            return answer.ok ? null : answer.error;
          }}
        />
      )}
      {data && 'files' in data && saveServiceProjects && (
        <ServiceProjectsForm
          initial={data.serviceProjects ?? []}
          save={async (projects) => {
            const answer = await guard(saveServiceProjects(projects));
            return answer.ok ? (answer.data.serviceProjects ?? []) : answer.error;
          }}
        />
      )}
    </>
  );
}
