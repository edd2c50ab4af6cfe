import { TeamCalendar } from '../time/team-calendar';
import { isRealDate, parseInstant } from '../time/instant';
import { type BenefitEntry, type CustomerOutcomes, type FeatureLink, type FeatureUsage, SCORE_SCALES, type SurveyResponse } from './outcomes';
import type { Instant, LocalDate, Snapshot } from './types';

/**
 * Customer outcome records as people and tools write them (a survey export's rows, a product-analytics export's,
 * a benefit series, a service desk's ratings): releases by name, epics by key, days as dates. They are kept so
 * (the store keeps what the file said) and bound to a board's ids when the metrics are computed
 * ({@link bindOutcomes}), so a release renamed or an epic moved later binds as it is then.
 */
export type OutcomeKind = 'csat' | 'nps' | 'usage' | 'benefit';
export const OUTCOME_KINDS: readonly OutcomeKind[] = ['csat', 'nps', 'usage', 'benefit'];

export interface ResponseRecord {
  readonly kind: 'csat' | 'nps';
  /** When it was answered: an instant, or a local date (read in the team's zone). */
  readonly at?: Instant;
  readonly date?: LocalDate;
  readonly score: number;
  readonly segment?: string;
  readonly feature?: string;
  /** A release's name or id. */
  readonly release?: string;
  /** "survey.csv row 12", a request key. */
  readonly source: string;
  readonly url?: string;
}

export interface UsageRecord {
  readonly kind: 'usage';
  readonly date: LocalDate;
  readonly feature: string;
  readonly users: number;
  readonly activeUsers: number;
  readonly source: string;
}

export interface BenefitRecord {
  readonly kind: 'benefit';
  readonly date: LocalDate;
  readonly amount: number;
  readonly currency: string;
  /** An epic's key (or id). */
  readonly epic?: string;
  /** A release's name or id. */
  readonly release?: string;
  readonly source: string;
}

/** A record with its stable id ("import:<file digest>:<row>", "jsm:request:SUP-12"). */
export type OutcomeRecord = (ResponseRecord | UsageRecord | BenefitRecord) & { readonly id: string };

/** What a team configures beside its records: its cost per sprint, and which epic or release ships which feature. */
export interface OutcomeSettings {
  readonly cost?: { readonly perSprint: number; readonly currency: string };
  /** feature -> an epic's key or a release's name (or id). */
  readonly features?: readonly { readonly feature: string; readonly shippedBy: string }[];
}

/** A problem with one field of a row, for a message that names the row and the column. */
export interface FieldProblem {
  readonly column: string;
  readonly message: string;
}

/** The columns of each kind of file, required ones first; a row's keys are matched to these ignoring case, spaces, `_` and `-`. */
export const OUTCOME_COLUMNS: Readonly<Record<OutcomeKind, { readonly required: readonly string[]; readonly optional: readonly string[] }>> = {
  csat: { required: ['date', 'score'], optional: ['segment', 'feature', 'release'] },
  nps: { required: ['date', 'score'], optional: ['segment', 'feature', 'release'] },
  usage: { required: ['date', 'feature', 'users', 'active users'], optional: [] },
  benefit: { required: ['date', 'amount', 'currency'], optional: ['epic', 'release'] },
};

/**
 * Reads one row of an outcome file (a CSV line by its header, or a JSON object) into a record, or every problem
 * it has, each naming its column. Blank optional cells are absent; numbers may arrive as JSON numbers or as text.
 *
 * @example outcomeRecord('csat', { date: '2026-03-02', score: '6' }, 'r', 'survey.csv line 2') // { problems: [{ column: 'score', message: "a CSAT rating is a whole number from 1 to 5, got '6'" }] }
 */
export function outcomeRecord(kind: OutcomeKind, row: Readonly<Record<string, unknown>>, id: string, source: string): { record: OutcomeRecord } | { problems: FieldProblem[] } {
  const cells = new Map(Object.entries(row).map(([k, v]) => [columnKey(k), v]));
  const problems: FieldProblem[] = [];
  const cell = (column: string): string | undefined => {
    const v = cells.get(columnKey(column));
    const s = v === undefined || v === null ? '' : String(v).trim();
    return s === '' ? undefined : s;
  };
  const required = (column: string): string | undefined => {
    const v = cell(column);
    if (v === undefined) problems.push({ column, message: 'is empty: every row needs one' });
    return v;
  };
  const check = <T>(column: string, value: string | undefined, read: (v: string) => T | undefined, rule: string): T | undefined => {
    if (value === undefined) return undefined;
    const out = read(value);
    if (out === undefined) problems.push({ column, message: `${rule}, got '${value}'` });
    return out;
  };
  const whole = (min: number, max = Number.MAX_SAFE_INTEGER) => (v: string) => (/^[+-]?\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? Number(v) : undefined);
  const day = (v: string) => (v.length === 10 && isRealDate(v) ? v : undefined);
  const optional = (column: string) => {
    const v = cell(column);
    return v === undefined ? {} : { [column]: v };
  };
  let record: ResponseRecord | UsageRecord | BenefitRecord | undefined;
  if (kind === 'csat' || kind === 'nps') {
    const scale = SCORE_SCALES[kind];
    const when = check('date', required('date'), (v) => day(v) ?? (Number.isFinite(parseInstant(v)) && /T/.test(v) ? v : undefined), 'expected a date YYYY-MM-DD or an instant with an offset such as 2026-03-02T09:30:00Z');
    const score = check('score', required('score'), whole(scale.min, scale.max), `${scale.label} is a whole number from ${scale.min} to ${scale.max}`);
    if (when !== undefined && score !== undefined) {
      record = { kind, ...(when.length === 10 ? { date: when } : { at: when }), score, ...optional('segment'), ...optional('feature'), ...optional('release'), source };
    }
  } else if (kind === 'usage') {
    const date = check('date', required('date'), day, 'expected a date YYYY-MM-DD');
    const feature = required('feature');
    const users = check('users', required('users'), whole(0), 'expected a whole number of users, 0 or more');
    const activeUsers = check('active users', required('active users'), whole(1), 'expected a whole number of active users, 1 or more');
    if (users !== undefined && activeUsers !== undefined && users > activeUsers) problems.push({ column: 'users', message: `${users} users of the feature is more than the ${activeUsers} active users` });
    if (date !== undefined && feature !== undefined && users !== undefined && activeUsers !== undefined && problems.length === 0) record = { kind, date, feature, users, activeUsers, source };
  } else {
    const date = check('date', required('date'), day, 'expected a date YYYY-MM-DD (the first day of the period)');
    const amount = check('amount', required('amount'), (v) => (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(v) ? Number(v) : undefined), 'expected a number such as 1250.50 (no currency sign or thousands separator)');
    const currency = check('currency', required('currency'), (v) => (/^[A-Za-z]{3}$/.test(v) ? v.toUpperCase() : undefined), 'expected a three-letter currency code such as EUR');
    const target = { ...optional('epic'), ...optional('release') };
    if (!target.epic && !target.release) problems.push({ column: 'epic', message: 'and release are both empty: a benefit belongs to an epic or a release' });
    if (date !== undefined && amount !== undefined && currency !== undefined && problems.length === 0) record = { kind, date, amount, currency, ...target, source };
  }
  return problems.length || !record ? { problems } : { record: { ...record, id } };
}

/**
 * Binds records and settings to a board: releases found by id or name, epics by key or id, dates read in the team's
 * zone. What names nothing on the board is kept as written (a feature whose release is unknown then has no
 * release: the measures say so) and listed in `unresolved`.
 */
export function bindOutcomes(snapshot: Pick<Snapshot, 'team' | 'items' | 'releases'>, records: readonly OutcomeRecord[], settings: OutcomeSettings = {}): { outcomes: CustomerOutcomes; unresolved: string[] } {
  const calendar = new TeamCalendar(snapshot.team);
  const unresolved = new Set<string>();
  const releaseOf = (name: string) => {
    const r = snapshot.releases.find((x) => x.id === name) ?? snapshot.releases.find((x) => x.name === name);
    if (!r) unresolved.add(`release ${name}`);
    return r?.id ?? name;
  };
  const epicOf = (key: string) => snapshot.items.find((i) => i.key === key || i.id === key)?.id;
  const responses: SurveyResponse[] = [];
  const usage: FeatureUsage[] = [];
  const benefits: BenefitEntry[] = [];
  for (const r of records) {
    if (r.kind === 'csat' || r.kind === 'nps') {
      const at = r.at ?? new Date(calendar.startOfDate(r.date!)).toISOString();
      responses.push({ id: r.id, at, kind: r.kind, score: r.score, source: r.source, ...(r.url ? { url: r.url } : {}), ...(r.segment ? { segment: r.segment } : {}), ...(r.feature ? { feature: r.feature } : {}), ...(r.release ? { releaseId: releaseOf(r.release) } : {}) });
    } else if (r.kind === 'usage') {
      usage.push({ date: r.date, feature: r.feature, users: r.users, activeUsers: r.activeUsers });
    } else if (r.kind === 'benefit') {
      const epicId = r.epic === undefined ? undefined : (epicOf(r.epic) ?? (unresolved.add(`epic ${r.epic}`), r.epic));
      benefits.push({ date: r.date, amount: r.amount, currency: r.currency, ...(epicId ? { epicId } : {}), ...(r.release ? { releaseId: releaseOf(r.release) } : {}) });
    }
  }
  const features: FeatureLink[] = (settings.features ?? []).map(({ feature, shippedBy }) => {
    const epicId = epicOf(shippedBy);
    return epicId ? { feature, epicId } : { feature, releaseId: releaseOf(shippedBy) };
  });
  return { outcomes: { responses, usage, features, benefits, ...(settings.cost ? { cost: settings.cost } : {}) }, unresolved: [...unresolved].sort() };
}

/** "Active users", "active_users", "activeUsers" and "ACTIVE-USERS" name the same column. */
function columnKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}
