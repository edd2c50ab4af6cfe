import { type DashboardConfig, type SourceChoice, type ViewName, VIEW_NAMES } from './host';

/** The edit form's fields as typed (strings: what inputs hold). */
export interface ConfigFormValues {
  readonly source: string;
  readonly view: string;
  readonly velocitySprints: string;
  readonly goalSprints: string;
  readonly goalThreshold: string;
  readonly impedimentDays: string;
  readonly staleDays: string;
  readonly timeZone: string;
  /** The emailed report's settings: shown where the host can send it (a Forge gadget). */
  readonly reportRecipients?: string;
  readonly reportIssueKey?: string;
  readonly reportCadence?: string;
}

export type ConfigField = keyof ConfigFormValues;
export type ConfigErrors = Partial<Record<ConfigField, string>>;

export const CONFIG_FIELDS: readonly ConfigField[] = ['source', 'view', 'velocitySprints', 'goalSprints', 'goalThreshold', 'impedimentDays', 'staleDays', 'timeZone', 'reportRecipients', 'reportIssueKey', 'reportCadence'];

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
 * mean "the default" and are left out.
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

  const view = values.view.trim();
  if (view) {
    if ((VIEW_NAMES as readonly string[]).includes(view)) config.view = view as ViewName;
    else errors.view = `Choose one of the views: ${VIEW_NAMES.join(', ')}.`;
  } else if (options.requireView) errors.view = 'Choose the view this gadget shows.';

  const whole = (field: ConfigField, label: string, max: number, usual: string): number | undefined => {
    const raw = (values[field] ?? '').trim();
    if (!raw) return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isInteger(n) || n < 1 || n > max) {
      errors[field] = `${label} must be a whole number from 1 to ${max} (${usual}).`;
      return undefined;
    }
    return n;
  };
  const velocitySprints = whole('velocitySprints', 'Velocity sprints', 20, 'teams usually average the last 3');
  if (velocitySprints !== undefined) config.velocitySprints = velocitySprints;
  const goalSprints = whole('goalSprints', 'Goal sprints', 52, 'the default is 6');
  if (goalSprints !== undefined) config.goalSprints = goalSprints;
  const impedimentDays = whole('impedimentDays', 'Impediment days', 3650, 'leave it empty for the last 6 sprints');
  if (impedimentDays !== undefined) config.impedimentDays = impedimentDays;
  const staleDays = whole('staleDays', 'Stale days', 3650, 'the default is 90');
  if (staleDays !== undefined) config.staleDays = staleDays;

  const threshold = values.goalThreshold.trim();
  if (threshold) {
    const percent = threshold.endsWith('%');
    const n = Number(percent ? threshold.slice(0, -1).trim() : threshold);
    const ratio = percent ? n / 100 : n;
    if (!Number.isFinite(n) || !(ratio > 0 && ratio <= 1)) errors.goalThreshold = 'The goal threshold must be a ratio above 0 and at most 1, such as 0.8 (or a percentage such as 80%).';
    else config.goalThreshold = Math.round(ratio * 1000) / 1000;
  }

  const zone = values.timeZone.trim();
  if (zone) {
    if (isTimeZone(zone)) config.timeZone = zone;
    else errors.timeZone = `“${zone}” is not a time zone: use an IANA name such as Europe/Berlin or America/New_York.`;
  }

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

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
