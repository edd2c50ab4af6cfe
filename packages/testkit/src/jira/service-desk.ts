import type { FieldDef } from './catalog';
import { dateValue, JqlError, notExist, parseJql, UNBOUNDED_MESSAGE, type JqlContext, type ParsedJql } from './jql';
import type { JiraSite } from './site';
import { jiraDateTime, parseInstant } from './time';
import type { FieldSelection, JsonObject } from './wire';

/**
 * Jira Service Management on the simulated site: service projects (`projectTypeKey: "service_desk"`), their requests
 * (issues of the service project) and each request's customer satisfaction rating, kept where Jira keeps it: the
 * Satisfaction custom field (`com.atlassian.servicedesk:sd-request-feedback`, value `{ self, rating }`) and the
 * Satisfaction date field (`…:sd-request-feedback-date`, a date-time), both listed in `/rest/api/3/field` and read
 * through the JQL search like any other field. The evidence for every shape is in README.md ("Service projects").
 */

export interface ServiceRequestInput {
  /** Default `<project>-<n>` (n from 1 in the order given). */
  readonly key?: string;
  readonly summary?: string;
  /** Default: two days before the rating (or before the site clock). */
  readonly createdAt?: string | number;
  /** Default: one day before the rating; none when the request has no rating and no resolvedAt. */
  readonly resolvedAt?: string | number;
  /** 1..5; absent or null = not rated. */
  readonly rating?: number | null;
  /** When the customer rated it (the Satisfaction date). Default: the site clock. */
  readonly ratedAt?: string | number;
}

export interface ServiceProjectInput {
  readonly key: string;
  readonly name?: string;
  readonly requests?: readonly ServiceRequestInput[];
}

export interface ServiceRequestRecord {
  readonly id: string;
  readonly key: string;
  readonly project: ServiceProjectRecord;
  summary: string;
  readonly createdMs: number;
  updatedMs: number;
  resolutionMs: number | null;
  rating: number | null;
  ratedMs: number | null;
}

export interface ServiceProjectRecord {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly serviceDeskId: string;
  next: number;
}

/** The two custom fields JSM adds to every site (ids vary per site: clients find them by `schema.custom`). */
export interface SatisfactionFieldIds {
  readonly satisfaction: string;
  readonly satisfactionDate: string;
}

export const SATISFACTION_TYPES = {
  satisfaction: 'com.atlassian.servicedesk:sd-request-feedback',
  satisfactionDate: 'com.atlassian.servicedesk:sd-request-feedback-date',
} as const;

const DAY = 86_400_000;

export class ServiceDesk {
  readonly projects: ServiceProjectRecord[] = [];
  readonly requests: ServiceRequestRecord[] = [];
  readonly fieldIds: SatisfactionFieldIds;
  readonly fields: readonly FieldDef[];
  private nextIssueId = 900_000;

  constructor(
    private readonly site: JiraSite,
    input: readonly ServiceProjectInput[],
  ) {
    // Above the software fields' range (10014-10199), so that they never collide.
    this.fieldIds = { satisfaction: 'customfield_10205', satisfactionDate: 'customfield_10206' };
    this.fields = [
      customField(this.fieldIds.satisfaction, 'Satisfaction', 'sd-feedback', SATISFACTION_TYPES.satisfaction),
      customField(this.fieldIds.satisfactionDate, 'Satisfaction date', 'datetime', SATISFACTION_TYPES.satisfactionDate),
    ];
    input.forEach((p, index) => {
      const key = p.key.toUpperCase();
      if (!/^[A-Z][A-Z0-9]+$/.test(key)) throw new RangeError(`a service project key is letters and digits starting with a letter, got '${p.key}'`);
      if (site.teams.some((t) => t.key === key) || this.projects.some((x) => x.key === key)) throw new RangeError(`two projects use the key ${key}`);
      const project: ServiceProjectRecord = { id: String(20000 + index), key, name: p.name ?? `${key} service desk`, serviceDeskId: String(index + 1), next: 1 };
      this.projects.push(project);
      for (const r of p.requests ?? []) this.addRequest(key, r);
    });
  }

  project(keyOrId: string): ServiceProjectRecord | undefined {
    const k = decodeURIComponent(keyOrId);
    return this.projects.find((p) => p.key === k.toUpperCase() || p.id === k);
  }

  request(idOrKey: string): ServiceRequestRecord | undefined {
    return this.requests.find((r) => r.id === idOrKey || r.key === idOrKey.toUpperCase());
  }

  /** Adds a request (rated or not); `updated` is its latest instant (creation, resolution or rating). */
  addRequest(projectKey: string, input: ServiceRequestInput): ServiceRequestRecord {
    const project = this.project(projectKey);
    if (!project) throw new RangeError(`no service project ${projectKey}`);
    const number = project.next++;
    const rated = input.rating !== undefined && input.rating !== null;
    const ratedMs = rated ? instant(input.ratedAt ?? this.site.nowMs()) : null;
    const anchor = ratedMs ?? this.site.nowMs();
    const createdMs = instant(input.createdAt ?? anchor - 2 * DAY);
    const resolutionMs = input.resolvedAt !== undefined ? instant(input.resolvedAt) : rated ? anchor - DAY : null;
    const record: ServiceRequestRecord = {
      id: String(this.nextIssueId++),
      key: input.key?.toUpperCase() ?? `${project.key}-${number}`,
      project,
      summary: input.summary ?? `Request ${number}`,
      createdMs,
      updatedMs: Math.max(createdMs, resolutionMs ?? 0, ratedMs ?? 0),
      resolutionMs,
      rating: rated ? input.rating! : null,
      ratedMs,
    };
    if (this.request(record.key)) throw new RangeError(`two requests use the key ${record.key}`);
    this.requests.push(record);
    this.site.revision++;
    return record;
  }

  /** The customer rates (or rates again) a request at `at` (default: the site clock); `updated` moves with it. */
  rate(idOrKey: string, rating: number | null, at?: string | number): ServiceRequestRecord {
    const r = this.request(idOrKey);
    if (!r) throw new RangeError(`no service request ${idOrKey}`);
    const ms = at === undefined ? this.site.nowMs() : instant(at);
    r.rating = rating;
    r.ratedMs = rating === null ? null : ms;
    r.updatedMs = Math.max(r.updatedMs, ms);
    this.site.revision++;
    return r;
  }

  /** Whether a JQL names a service project (then this answers the search). */
  handles(jql: string): boolean {
    let parsed: ParsedJql;
    try {
      parsed = parseJql(jql);
    } catch {
      return false;
    }
    const projects: string[] = [];
    const walk = (e: ParsedJql['where']): void => {
      if (!e) return;
      if (e.kind === 'clause') {
        if (e.field.toLowerCase() === 'project') projects.push(...e.values.map((v) => v.text));
      } else if (e.kind === 'not') walk(e.item);
      else e.items.forEach(walk);
    };
    walk(parsed.where);
    return projects.some((p) => this.project(p) !== undefined);
  }

  /** The requests a JQL selects, in its order (Jira's default: key descending). Throws {@link JqlError} as Jira answers 400. */
  select(jql: string, ctx: JqlContext): ServiceRequestRecord[] {
    const parsed = parseJql(jql);
    if (!parsed.where) throw new JqlError([UNBOUNDED_MESSAGE]);
    const matches = this.compile(parsed.where, ctx);
    const keys = parsed.orderBy.length > 0 ? parsed.orderBy : [{ field: 'key' as const, direction: 'desc' as const }];
    const by = (field: string, a: ServiceRequestRecord, b: ServiceRequestRecord): number =>
      field === 'updated' ? a.updatedMs - b.updatedMs : field === 'created' ? a.createdMs - b.createdMs : Number(a.id) - Number(b.id);
    return this.requests.filter(matches).sort((a, b) => {
      for (const k of keys) {
        const c = by(k.field, a, b);
        if (c !== 0) return k.direction === 'asc' ? c : -c;
      }
      return Number(a.id) - Number(b.id);
    });
  }

  /**
   * A request as the search returns it, with the fields asked for. Satisfaction: an object (its `/field` schema type is
   * `sd-feedback`, not `number`) holding the feedback resource's `rating` (jira.js `CsatFeedbackFull`: an integer 1-5)
   * and the link to that resource; the date a platform date-time (schema type `datetime`). README.md, "Service projects".
   */
  issueJson(r: ServiceRequestRecord, selection: FieldSelection): JsonObject {
    const zone = this.site.userTimeZone;
    const all: Record<string, unknown> = {
      summary: r.summary,
      created: jiraDateTime(r.createdMs, zone),
      updated: jiraDateTime(r.updatedMs, zone),
      resolutiondate: r.resolutionMs === null ? null : jiraDateTime(r.resolutionMs, zone),
      project: { self: `${this.site.baseUrl}/rest/api/3/project/${r.project.id}`, id: r.project.id, key: r.project.key, name: r.project.name, projectTypeKey: 'service_desk', simplified: false },
      [this.fieldIds.satisfaction]: r.rating === null ? null : { self: `${this.site.baseUrl}/rest/servicedeskapi/request/${r.id}/feedback`, rating: r.rating },
      [this.fieldIds.satisfactionDate]: r.ratedMs === null ? null : jiraDateTime(r.ratedMs, zone),
    };
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(all)) if (selection.has(k, true)) fields[k] = v;
    return {
      expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields',
      id: r.id,
      self: `${this.site.baseUrl}/rest/api/3/issue/${r.id}`,
      key: r.key,
      ...(Object.keys(fields).length ? { fields } : {}),
    } as JsonObject;
  }

  /** `GET /rest/api/3/project/{key}` and the project lists. */
  projectJson(p: ServiceProjectRecord): JsonObject {
    const avatar = (size: string): string => `${this.site.baseUrl}/rest/api/3/universal_avatar/view/type/project/avatar/10411${size ? `?size=${size}` : ''}`;
    return {
      self: `${this.site.baseUrl}/rest/api/3/project/${p.id}`,
      id: p.id,
      key: p.key,
      name: p.name,
      projectTypeKey: 'service_desk',
      simplified: false,
      avatarUrls: { '48x48': avatar(''), '24x24': avatar('small'), '16x16': avatar('xsmall'), '32x32': avatar('medium') },
      style: 'classic',
      isPrivate: false,
    };
  }

  private compile(e: NonNullable<ParsedJql['where']>, ctx: JqlContext): (r: ServiceRequestRecord) => boolean {
    if (e.kind === 'not') {
      const p = this.compile(e.item, ctx);
      return (r) => !p(r);
    }
    if (e.kind !== 'clause') {
      const ps = e.items.map((x) => this.compile(x, ctx));
      return e.kind === 'and' ? (r) => ps.every((p) => p(r)) : (r) => ps.some((p) => p(r));
    }
    const name = e.field.toLowerCase();
    const satisfactionIds = [this.fieldIds.satisfaction, this.fieldIds.satisfactionDate].map((id) => `cf[${id.slice('customfield_'.length)}]`);
    if (name === 'project') {
      const keys = e.values.map((v) => {
        const p = this.project(v.text) ?? this.site.teams.find((t) => t.key === v.text.toUpperCase() && this.site.canSee(t));
        if (!p) throw notExist(v.text, 'project');
        return p.key;
      });
      const inSet = (r: ServiceRequestRecord) => keys.includes(r.project.key);
      if (e.op === '=' || e.op === 'in') return inSet;
      if (e.op === '!=' || e.op === 'not in') return (r) => !inSet(r);
      throw new JqlError([`The operator '${e.op.toUpperCase()}' is not supported by the 'project' field.`]);
    }
    if (name === 'key' || name === 'issuekey' || name === 'id' || name === 'issue') {
      const ids = e.values.map((v) => this.request(v.text)?.id);
      if (e.op === '=' || e.op === 'in') return (r) => ids.includes(r.id);
      if (e.op === '!=' || e.op === 'not in') return (r) => !ids.includes(r.id);
    }
    const instantOf: Record<string, (r: ServiceRequestRecord) => number | null> = {
      updated: (r) => r.updatedMs,
      updateddate: (r) => r.updatedMs,
      created: (r) => r.createdMs,
      createddate: (r) => r.createdMs,
      resolved: (r) => r.resolutionMs,
      resolutiondate: (r) => r.resolutionMs,
      'satisfaction date': (r) => r.ratedMs,
      [satisfactionIds[1]!]: (r) => r.ratedMs,
    };
    const satisfaction = name === 'satisfaction' || name === satisfactionIds[0];
    const read = satisfaction ? (r: ServiceRequestRecord) => r.rating : instantOf[name];
    if (!read) throw new JqlError([`Field '${e.field}' does not exist or you do not have permission to view it.`]);
    if (e.op === 'is' || e.op === 'is not') {
      const empty = e.op === 'is';
      return (r) => (read(r) === null) === empty;
    }
    const target = satisfaction ? Number(e.values[0]?.text) : dateValue(e.values[0]!, e.field, ctx);
    if (satisfaction && !Number.isFinite(target)) throw notExist(e.values[0]?.text ?? '', e.field);
    // Dates compare to the minute, as JQL dates are written.
    const scale = satisfaction ? (x: number) => x : (x: number) => Math.floor(x / 60_000);
    const cmp = (r: ServiceRequestRecord): number | null => {
      const v = read(r);
      return v === null ? null : scale(v) - scale(target);
    };
    const ops: Record<string, (d: number) => boolean> = { '=': (d) => d === 0, '!=': (d) => d !== 0, '>': (d) => d > 0, '>=': (d) => d >= 0, '<': (d) => d < 0, '<=': (d) => d <= 0 };
    const op = ops[e.op];
    if (!op) throw new JqlError([`The operator '${e.op.toUpperCase()}' is not supported by the '${e.field}' field.`]);
    return (r) => {
      const d = cmp(r);
      return d !== null && op(d);
    };
  }
}

function customField(id: string, name: string, type: string, customType: string): FieldDef {
  const n = Number(id.slice('customfield_'.length));
  return { id, key: id, name, custom: true, orderable: true, navigable: true, searchable: true, clauseNames: [`cf[${n}]`, name], schema: { type, custom: customType, customId: n } };
}

function instant(v: string | number): number {
  const ms = typeof v === 'number' ? v : parseInstant(v);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(v)}`);
  return ms;
}
