import { type FormEvent, useId, useState } from 'react';
import { guard } from '../dashboard-state';
import { sentence } from '@agile-kpi/presentation';
import { type HostError, type HostResult, type OutcomeFileKind, type OutcomeUpload, type OutcomeUploadResult, OUTCOME_FILE_KINDS } from '@agile-kpi/presentation';

/** What each kind of file holds, as the upload's choice says it. */
export const OUTCOME_FILE_LABELS: Readonly<Record<OutcomeFileKind, string>> = {
  csat: 'CSAT survey: date, score 1-5 (segment, feature, release optional)',
  nps: 'NPS survey: date, score 0-10 (segment, feature, release optional)',
  usage: 'Feature usage: date, feature, users, active users',
  benefit: 'Benefit: date, amount, currency, epic or release',
};

/** Bigger files are refused before they are read: the server takes at most this much text. */
export const MAX_UPLOAD_BYTES = 5_000_000;

type UploadStatus = { readonly kind: 'idle' | 'uploading' } | { readonly kind: 'done'; readonly result: OutcomeUploadResult } | { readonly kind: 'failed'; readonly error: HostError };

/**
 * Uploads a survey, product-analytics or benefit file (CSV with a header row, or a JSON array) into the team's
 * data, as `agile-kpi outcomes import FILE --kind KIND` does: a file with any bad row changes nothing and lists
 * each problem with its row and column; the same file again changes nothing. The customer outcomes view shows the
 * figures once the metrics are loaded again.
 */
export function OutcomeUploadForm({ upload }: { readonly upload: (file: OutcomeUpload) => Promise<OutcomeUploadResult | HostError> }) {
  const [kind, setKind] = useState<OutcomeFileKind | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [status, setStatus] = useState<UploadStatus>({ kind: 'idle' });
  const [missing, setMissing] = useState<string | null>(null);
  const titleId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!kind || !file) return setMissing(!kind ? 'Choose what the file holds.' : 'Choose a CSV or JSON file.');
    if (file.size > MAX_UPLOAD_BYTES) return setMissing(`${file.name} is ${Math.ceil(file.size / 1_000_000)} MB: upload at most ${MAX_UPLOAD_BYTES / 1_000_000} MB at once (split the file), or import it with agile-kpi outcomes import.`);
    setMissing(null);
    setStatus({ kind: 'uploading' });
    const answer = await upload({ kind, name: file.name, text: await file.text() });
    setStatus('imported' in answer ? { kind: 'done', result: answer } : { kind: 'failed', error: answer });
  };

  return (
    <form className="akpi-config" onSubmit={submit} noValidate aria-labelledby={titleId} data-testid="outcome-upload">
      <h2 id={titleId}>Customer outcome data</h2>
      <p className="akpi-hint">Survey responses, product-analytics exports and benefits: a CSV file with a header row, or a JSON array of objects. A file with any bad row changes nothing; uploading the same file again changes nothing.</p>
      <div className="akpi-field">
        <label htmlFor="outcome-kind">What the file holds</label>
        <select id="outcome-kind" value={kind} onChange={(e) => setKind(e.target.value as OutcomeFileKind | '')} data-testid="outcome-kind">
          <option value="">Choose…</option>
          {OUTCOME_FILE_KINDS.map((k) => (
            <option key={k} value={k}>
              {OUTCOME_FILE_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="akpi-field">
        <label htmlFor="outcome-file">File</label>
        <input id="outcome-file" type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="outcome-file" />
      </div>
      <SubmitRow busy={status.kind === 'uploading'} label="Upload" busyLabel="Uploading…" testId="outcome-upload-submit" />
      <div role="status" aria-live="polite" data-testid="outcome-upload-status">
        {missing && <p className="akpi-error-text">{missing}</p>}
        {status.kind === 'failed' && <p className="akpi-error-text">Not uploaded: {sentence(status.error.message)}</p>}
        {status.kind === 'done' && (
          <>
            <p className={status.result.imported ? 'akpi-muted' : 'akpi-error-text'}>{status.result.message}</p>
            {!status.result.imported && (
              <ul className="akpi-error-text" data-testid="outcome-upload-problems">
                {status.result.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </form>
  );
}

/** A settings form's submit button, disabled with its busy label while the host works. */
export function SubmitRow({ busy, label, busyLabel, testId, primary }: { readonly busy: boolean; readonly label: string; readonly busyLabel: string; readonly testId: string; readonly primary?: boolean }) {
  return (
    <div className="akpi-actions">
      <button type="submit" className={primary ? 'akpi-button akpi-button--primary' : 'akpi-button'} disabled={busy} data-testid={testId}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}

/** A settings form's status region: why it was not saved (the error's id for the fields that describe it), or what saving did. */
export function SaveStatus({ id, failed, saved }: { readonly id: string; readonly failed?: string; readonly saved?: string }) {
  return (
    <div role="status" aria-live="polite" data-testid={`${id}-status`}>
      {failed !== undefined && (
        <p id={`${id}-error`} className="akpi-error-text">
          Not saved: {sentence(failed)}
        </p>
      )}
      {saved !== undefined && <p className="akpi-muted">{saved}</p>}
    </div>
  );
}

/** The host's upload as the form wants it: the answer, or the error. */
export function hostUpload(importOutcomes: (file: OutcomeUpload) => Promise<HostResult<OutcomeUploadResult>>) {
  return async (file: OutcomeUpload): Promise<OutcomeUploadResult | HostError> => {
    const answer = await guard(importOutcomes(file));
    return answer.ok ? answer.data : answer.error;
  };
}
