import { CONFIG_RULES, INVALID, RULED_FIELDS, type RuledField } from './dashboard-config';
import type { DashboardConfig, SourceChoice } from './host';

export { isTimeZone } from './dashboard-config';

/** The edit form's fields as typed (strings: what inputs hold). */
export interface ConfigFormValues {
  readonly source: string;
  readonly view: string;
  readonly velocitySprints: string;
  readonly goalSprints: string;
  readonly goalThreshold: string;
  readonly impedimentDays: string;
  readonly staleDays: string;
  readonly lensPlannedDays?: string;
  readonly lensLateDays?: string;
  readonly timeZone: string;
  /** The emailed report's settings: shown where the host can send it (a Forge gadget). */
  readonly reportRecipients?: string;
  readonly reportIssueKey?: string;
  readonly reportCadence?: string;
}

export type ConfigField = keyof ConfigFormValues;
export type ConfigErrors = Partial<Record<ConfigField, string>>;

export const CONFIG_FIELDS: readonly ConfigField[] = ['source', 'view', 'velocitySprints', 'goalSprints', 'goalThreshold', 'impedimentDays', 'staleDays', 'lensPlannedDays', 'lensLateDays', 'timeZone', 'reportRecipients', 'reportIssueKey', 'reportCadence'];

export function configToForm(config: DashboardConfig): ConfigFormValues {
  const s = (x: number | string | undefined) => (x === undefined ? '' : String(x));
  return {
    source: s(config.source),
    view: s(config.view),
    velocitySprints: s(config.velocitySprints),
    goalSprints: s(config.goalSprints),
    goalThreshold: s(config.goalThreshold),
    impedimentDays: s(config.impedimentDays),
    staleDays: s(config.staleDays),
    lensPlannedDays: s(config.lensPlannedDays),
    lensLateDays: s(config.lensLateDays),
    timeZone: s(config.timeZone),
    ...(config.reportRecipients?.length ? { reportRecipients: config.reportRecipients.join(', ') } : {}),
    ...(config.reportIssueKey ? { reportIssueKey: config.reportIssueKey } : {}),
    ...(config.reportCadence ? { reportCadence: config.reportCadence } : {}),
  };
}

/** A Jira account id ("5b10a2844c20165700ede21g", "712020:3f0c…"); anything else in the recipients is a group name. */
export const ACCOUNT_ID = /^([0-9a-f]{24}|\d{1,10}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
/** A Jira issue key: project key, dash, number. */
export const ISSUE_KEY = /^[A-Z][A-Z0-9_]{0,254}-[1-9]\d*$/;

/**
 * The report recipients as typed (commas or new lines between them), or a message. Account ids and group names
 * are told apart by shape; a group name may hold spaces but no commas.
 */
export function reportRecipients(raw: string): { ok: true; recipients: string[] } | { ok: false; message: string } {
  const list = [...new Set(raw.split(/[,\n]/).map((x) => x.trim()).filter(Boolean))];
  const tooLong = list.find((x) => x.length > 255);
  if (tooLong) return { ok: false, message: `“${tooLong.slice(0, 40)}…” is too long for a group name or an account id.` };
  if (list.length > 50) return { ok: false, message: 'At most 50 recipients: use a group for more people.' };
  return { ok: true, recipients: list };
}

export interface ValidateOptions {
  /** A gadget shows one view: it must be chosen. */
  readonly requireView?: boolean;
  /** When the host listed its sources, the source must be one of them. */
  readonly sources?: readonly SourceChoice[];
}

export type ConfigValidation = { readonly ok: true; readonly config: DashboardConfig } | { readonly ok: false; readonly errors: ConfigErrors };

/**
 * Checks the edit form and turns it into a configuration; every message says what to enter. Blank numbers
 * mean "the default" and are left out. The windows, threshold, view and zone follow the rules every host's
 * server-side check follows ({@link CONFIG_RULES}); the source and the report settings are the form's own.
 *
 * @example validateConfigForm({ ...values, goalThreshold: '80%' }).config.goalThreshold // 0.8
 */
export function validateConfigForm(values: ConfigFormValues, options: ValidateOptions = {}): ConfigValidation {
  const errors: ConfigErrors = {};
  const config: { -readonly [K in keyof DashboardConfig]: DashboardConfig[K] } = {};
  const source = values.source.trim();
  if (!source) errors.source = 'Choose the board or team to measure.';
  else if (options.sources && options.sources.length > 0 && !options.sources.some((s) => s.id === source)) errors.source = 'Choose one of the listed boards or teams.';
  else config.source = source;

  for (const field of RULED_FIELDS) {
    const typed = values[field] ?? '';
    const value = CONFIG_RULES[field].read(typed);
    if (value === INVALID) errors[field] = CONFIG_RULES[field].formProblem(typed);
    else if (value !== undefined) (config as Record<RuledField, unknown>)[field] = value;
  }
  if (options.requireView && !errors.view && config.view === undefined) errors.view = 'Choose the view this gadget shows.';

  const recipients = reportRecipients(values.reportRecipients ?? '');
  const issue = (values.reportIssueKey ?? '').trim().toUpperCase();
  const cadence = (values.reportCadence ?? '').trim();
  if (!recipients.ok) errors.reportRecipients = recipients.message;
  else if (recipients.recipients.length) {
    config.reportRecipients = recipients.recipients;
    if (!issue) errors.reportIssueKey = 'Jira sends the report as a notification on an issue: enter the key of one everyone on the list can see, e.g. TEAM-1.';
  }
  if (issue) {
    if (!ISSUE_KEY.test(issue)) errors.reportIssueKey = `“${issue}” is not an issue key: use one like TEAM-1.`;
    else if (recipients.ok && !recipients.recipients.length) errors.reportRecipients = 'Add the people or groups who get the report, or clear the issue key.';
    else config.reportIssueKey = issue;
  }
  if (cadence) {
    if (cadence === 'weekly' || cadence === 'sprint') {
      if (config.reportRecipients) config.reportCadence = cadence;
    } else errors.reportCadence = 'Choose weekly or after each sprint.';
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, config };
}
