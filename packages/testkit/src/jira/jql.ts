import type { IssueRecord, JiraSite, SprintRecord } from './site';
import { localToMs } from './time';

/**
 * A small, honest JQL: what a board filter and an incremental sync use, parsed and evaluated as Jira does, and a
 * 400 with Jira's error body for everything else.
 *
 * Grammar (keywords and field names case-insensitive):
 *   query   := [or] [ORDER BY field [ASC|DESC] {, field [ASC|DESC]}]
 *   or      := and {OR and}        and := unary {AND unary}       unary := NOT unary | '(' or ')' | clause
 *   clause  := field op value | field [NOT] IN '(' value {, value} ')' | field IS [NOT] EMPTY|NULL
 * Fields: project, key / issuekey / issue / id, updated / updatedDate, created / createdDate, sprint, issuetype / type,
 * status, labels, fixVersion. Values: "quoted", 'quoted', bare words, numbers; dates as "yyyy/MM/dd HH:mm",
 * "yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd" (in the user's zone), epoch milliseconds or periods ("-5d", "-2w 1d",
 * "-90m"); the functions openSprints(), closedSprints(), futureSprints() for sprint; now() for dates.
 * ORDER BY: Rank, updated, created, id, key.
 */

export class JqlError extends Error {
  constructor(readonly errorMessages: string[]) {
    super(errorMessages.join(' '));
    this.name = 'JqlError';
  }
}

export const UNBOUNDED_MESSAGE = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

type Token =
  | { t: 'word'; v: string; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'punct'; v: '(' | ')' | ','; pos: number }
  | { t: 'end'; pos: number };

interface Value {
  text: string;
  quoted: boolean;
  fn?: string;
  pos: number;
}

type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

type Expr =
  | { kind: 'and' | 'or'; items: Expr[] }
  | { kind: 'not'; item: Expr }
  | { kind: 'clause'; field: string; fieldPos: number; op: Op; values: Value[] };

export interface SortKey {
  field: 'rank' | 'updated' | 'created' | 'id' | 'key';
  direction: 'asc' | 'desc';
}

export interface ParsedJql {
  where?: Expr;
  orderBy: SortKey[];
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);
const OPERATOR_LIST = "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'";

function syntax(message: string, pos: number): JqlError {
  return new JqlError([`Error in the JQL Query: ${message} (line 1, character ${pos + 1})`]);
}

function tokenize(jql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', v: c, pos: i });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < jql.length && jql[j] !== c) {
        if (jql[j] === '\\' && j + 1 < jql.length) j++;
        text += jql[j];
        j++;
      }
      if (j >= jql.length) throw syntax(`The quoted string ${jql.slice(i)} has not been completed.`, i);
      out.push({ t: 'string', v: text, pos: i });
      i = j + 1;
      continue;
    }
    const two = jql.slice(i, i + 2);
    if (two === '!=' || two === '>=' || two === '<=' || two === '!~') {
      out.push({ t: 'op', v: two, pos: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '>' || c === '<' || c === '~') {
      out.push({ t: 'op', v: c, pos: i });
      i++;
      continue;
    }
    if (c === '!' || c === '&' || c === '|') throw syntax(`The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead.`, i);
    let j = i;
    while (j < jql.length && !/[\s(),"'=!<>~&|]/.test(jql[j]!)) j++;
    out.push({ t: 'word', v: jql.slice(i, j), pos: i });
    i = j;
  }
  out.push({ t: 'end', pos: jql.length });
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private isWord(word: string, token = this.peek()): boolean {
    return token.t === 'word' && token.v.toLowerCase() === word;
  }

  private describe(token: Token): string {
    return token.t === 'end' ? 'EOF' : `'${token.v}'`;
  }

  parse(): ParsedJql {
    let where: Expr | undefined;
    if (this.peek().t !== 'end' && !this.isWord('order')) where = this.or();
    const orderBy: SortKey[] = [];
    if (this.isWord('order')) {
      this.next();
      if (!this.isWord('by')) throw syntax(`Expecting 'by' but got ${this.describe(this.peek())}.`, this.peek().pos);
      this.next();
      for (;;) {
        const token = this.next();
        if (token.t !== 'word' && token.t !== 'string') throw syntax(`Expecting a field name but got ${this.describe(token)}.`, token.pos);
        const field = sortField(token.v, token.pos);
        let direction: 'asc' | 'desc' = 'asc';
        if (this.isWord('asc') || this.isWord('desc')) direction = (this.next() as { v: string }).v.toLowerCase() as 'asc' | 'desc';
        orderBy.push({ field, direction });
        const after = this.peek();
        if (after.t === 'punct' && after.v === ',') {
          this.next();
          continue;
        }
        break;
      }
    }
    const rest = this.peek();
    if (rest.t !== 'end') {
      throw syntax(
        where ? `Expecting either 'OR' or 'AND' but got ${this.describe(rest)}.` : `Expecting a field name but got ${this.describe(rest)}.`,
        rest.pos,
      );
    }
    return where ? { where, orderBy } : { orderBy };
  }

  private or(): Expr {
    const items = [this.and()];
    while (this.isWord('or')) {
      this.next();
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): Expr {
    const items = [this.unary()];
    for (;;) {
      if (this.isWord('and')) {
        this.next();
        items.push(this.unary());
        continue;
      }
      const t = this.peek();
      if (t.t === 'end' || this.isWord('or') || this.isWord('order') || (t.t === 'punct' && t.v === ')')) break;
      throw syntax(`Expecting either 'OR' or 'AND' but got ${this.describe(t)}.`, t.pos);
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isWord('not')) {
      this.next();
      return { kind: 'not', item: this.unary() };
    }
    if (t.t === 'punct' && t.v === '(') {
      this.next();
      const inner = this.or();
      const close = this.next();
      if (close.t !== 'punct' || close.v !== ')') throw syntax(`Expecting ')' but got ${this.describe(close)}.`, close.pos);
      return inner;
    }
    return this.clause();
  }

  private clause(): Expr {
    const f = this.next();
    if ((f.t !== 'word' && f.t !== 'string') || (f.t === 'word' && KEYWORDS.has(f.v.toLowerCase()))) {
      throw syntax(`Expecting a field name but got ${this.describe(f)}.`, f.pos);
    }
    const field = f.v;
    const o = this.next();
    let op: Op;
    if (o.t === 'op') op = o.v as Op;
    else if (this.isWord('in', o)) op = 'in';
    else if (this.isWord('not', o) && this.isWord('in')) {
      this.next();
      op = 'not in';
    } else if (this.isWord('is', o)) {
      if (this.isWord('not')) {
        this.next();
        op = 'is not';
      } else op = 'is';
    } else {
      throw syntax(`Expecting operator but got ${this.describe(o)}. The valid operators are ${OPERATOR_LIST}.`, o.pos);
    }
    if (op === 'is' || op === 'is not') {
      const v = this.next();
      if (!this.isWord('empty', v) && !this.isWord('null', v)) {
        throw syntax(`Expecting 'EMPTY' or 'NULL' but got ${this.describe(v)}.`, v.pos);
      }
      return { kind: 'clause', field, fieldPos: f.pos, op, values: [] };
    }
    if (op === 'in' || op === 'not in') {
      const v = this.peek();
      if (v.t === 'word' && this.tokens[this.i + 1]?.t === 'punct' && (this.tokens[this.i + 1] as { v: string }).v === '(') {
        return { kind: 'clause', field, fieldPos: f.pos, op, values: [this.value()] };
      }
      const open = this.next();
      if (open.t !== 'punct' || open.v !== '(') throw syntax(`Expecting '(' but got ${this.describe(open)}.`, open.pos);
      const values: Value[] = [];
      for (;;) {
        values.push(this.value());
        const sep = this.next();
        if (sep.t === 'punct' && sep.v === ',') continue;
        if (sep.t === 'punct' && sep.v === ')') break;
        throw syntax(`Expecting ',' or ')' but got ${this.describe(sep)}.`, sep.pos);
      }
      return { kind: 'clause', field, fieldPos: f.pos, op, values };
    }
    return { kind: 'clause', field, fieldPos: f.pos, op, values: [this.value()] };
  }

  private value(): Value {
    const v = this.next();
    if (v.t === 'string') return { text: v.v, quoted: true, pos: v.pos };
    if (v.t !== 'word' || (KEYWORDS.has(v.v.toLowerCase()) && v.v.toLowerCase() !== 'empty' && v.v.toLowerCase() !== 'null')) {
      throw syntax(`Expecting either a value, list or function but got ${this.describe(v)}.`, v.pos);
    }
    const open = this.peek();
    if (open.t === 'punct' && open.v === '(') {
      this.next();
      const close = this.next();
      if (close.t !== 'punct' || close.v !== ')') {
        throw new JqlError([`Error in the JQL Query: the simulated Jira supports only functions without arguments, got ${v.v}(...).`]);
      }
      return { text: v.v, quoted: false, fn: v.v.toLowerCase(), pos: v.pos };
    }
    return { text: v.v, quoted: false, pos: v.pos };
  }
}

function sortField(name: string, pos: number): SortKey['field'] {
  const lower = name.toLowerCase();
  if (lower === 'rank') return 'rank';
  if (lower === 'updated' || lower === 'updateddate') return 'updated';
  if (lower === 'created' || lower === 'createddate') return 'created';
  if (lower === 'id') return 'id';
  if (lower === 'key' || lower === 'issuekey') return 'key';
  if (KNOWN_UNSUPPORTED.has(lower)) {
    throw new JqlError([`Error in the JQL Query: the simulated Jira cannot order by '${name}' (only Rank, updated, created, id, key). (line 1, character ${pos + 1})`]);
  }
  throw new JqlError([`Not able to sort using field '${name}'.`]);
}

/** Real Jira fields the simulator does not evaluate (a clear 400 rather than a silently wrong answer). */
const KNOWN_UNSUPPORTED = new Set([
  'assignee', 'reporter', 'creator', 'priority', 'resolution', 'resolved', 'resolutiondate', 'summary', 'description',
  'text', 'comment', 'component', 'affectedversion', 'due', 'duedate', 'statuscategory', 'parent', 'epic link',
  'watcher', 'watchers', 'votes', 'environment', 'level', 'filter', 'statuscategorychangeddate', 'lastviewed',
  'story points', 'story point estimate', 'flagged', 'rank', 'team', 'attachments', 'category', 'subtasks', 'worklogdate',
]);

export function parseJql(jql: string): ParsedJql {
  return new Parser(tokenize(jql)).parse();
}

export interface JqlContext {
  site: JiraSite;
  /** The requesting user's zone: dates without a zone are read in it. */
  zone: string;
  now: number;
}

type Predicate = (issue: IssueRecord) => boolean;

export interface CompiledJql {
  matches: Predicate;
  compare: (a: IssueRecord, b: IssueRecord) => number;
}

/** Parses and compiles; throws {@link JqlError} with Jira's messages (unbounded queries included). */
export function compileJql(jql: string, ctx: JqlContext): CompiledJql {
  const parsed = parseJql(jql);
  if (!parsed.where) throw new JqlError([UNBOUNDED_MESSAGE]);
  const matches = compileExpr(parsed.where, ctx);
  const keys: SortKey[] = parsed.orderBy.length > 0 ? parsed.orderBy : [{ field: 'key', direction: 'desc' }];
  const compare = (a: IssueRecord, b: IssueRecord): number => {
    for (const k of keys) {
      const c = compareBy(k.field, a, b);
      if (c !== 0) return k.direction === 'asc' ? c : -c;
    }
    return Number(a.id) - Number(b.id);
  };
  return { matches, compare };
}

function compareBy(field: SortKey['field'], a: IssueRecord, b: IssueRecord): number {
  switch (field) {
    case 'rank':
      return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0;
    case 'updated':
      return a.updatedMs - b.updatedMs;
    case 'created':
      return a.createdMs - b.createdMs;
    case 'id':
      return Number(a.id) - Number(b.id);
    case 'key':
      return a.team.key < b.team.key ? -1 : a.team.key > b.team.key ? 1 : a.number - b.number;
  }
}

function compileExpr(e: Expr, ctx: JqlContext): Predicate {
  switch (e.kind) {
    case 'and': {
      const ps = e.items.map((x) => compileExpr(x, ctx));
      return (i) => ps.every((p) => p(i));
    }
    case 'or': {
      const ps = e.items.map((x) => compileExpr(x, ctx));
      return (i) => ps.some((p) => p(i));
    }
    case 'not': {
      const p = compileExpr(e.item, ctx);
      return (i) => !p(i);
    }
    case 'clause':
      return compileClause(e, ctx);
  }
}

export function notExist(value: string, field: string): JqlError {
  return new JqlError([`The value '${value}' does not exist for the field '${field}'.`]);
}

function unsupportedOp(field: string, op: Op): JqlError {
  return new JqlError([`The operator '${op.toUpperCase()}' is not supported by the '${field}' field.`]);
}

function noFunction(fn: string, field: string): JqlError {
  return new JqlError([`Error in the JQL Query: the simulated Jira does not support the function '${fn}' for the field '${field}'.`]);
}

/** An equality-style clause over a set-valued attribute: =, !=, in, not in, is [not] empty. */
function membership(
  field: string,
  op: Op,
  resolved: readonly (readonly string[])[] | null,
  valuesOf: (i: IssueRecord) => readonly string[],
): Predicate {
  if (op === 'is' || op === 'is not') {
    const empty = op === 'is';
    return (i) => (valuesOf(i).length === 0) === empty;
  }
  const wanted = new Set((resolved ?? []).flat());
  const any = (i: IssueRecord): boolean => valuesOf(i).some((v) => wanted.has(v));
  if (op === '=' || op === 'in') return any;
  if (op === '!=' || op === 'not in') return (i) => valuesOf(i).length > 0 && !any(i);
  throw unsupportedOp(field, op);
}

function compileClause(c: Extract<Expr, { kind: 'clause' }>, ctx: JqlContext): Predicate {
  const { site } = ctx;
  const name = c.field.toLowerCase();
  const single = (): void => {
    if ((c.op === 'in' || c.op === 'not in') && c.values.length === 0) throw syntax('Expecting a value.', c.fieldPos);
  };
  single();
  const noFns = (field: string): void => {
    for (const v of c.values) if (v.fn) throw noFunction(v.text, field);
  };
  switch (name) {
    case 'project': {
      noFns('project');
      const ids = c.values.map((v) => {
        const team = site.teams.find(
          (t) => t.key === v.text.toUpperCase() || t.projectId === v.text || t.name.toLowerCase() === v.text.toLowerCase(),
        );
        if (!team || !site.canSee(team)) throw notExist(v.text, 'project');
        return [team.key];
      });
      return membership('project', c.op, ids, (i) => [i.team.key]);
    }
    case 'key':
    case 'issuekey':
    case 'issue':
    case 'id': {
      noFns(c.field);
      const ids = c.values.map((v) => {
        const issue = site.issue(v.text);
        if (!issue || !site.canSee(issue.team)) throw new JqlError([`An issue with key '${v.text}' does not exist for field '${c.field}'.`]);
        return [issue.id];
      });
      if (['>', '>=', '<', '<='].includes(c.op)) {
        const ref = site.issue(c.values[0]!.text)!;
        const cmp = (i: IssueRecord): number => (i.team === ref.team ? i.number - ref.number : Number.NaN);
        return comparison(c.op, cmp);
      }
      return membership(c.field, c.op, ids, (i) => [i.id]);
    }
    case 'updated':
    case 'updateddate':
    case 'created':
    case 'createddate': {
      const field = name.startsWith('updated') ? 'updated' : 'created';
      if (c.op === 'is' || c.op === 'is not') return () => c.op === 'is not';
      if (c.op === 'in' || c.op === 'not in') {
        const times = c.values.map((v) => dateValue(v, field, ctx));
        const hit = (i: IssueRecord): boolean => times.some((t) => Math.floor(msOf(i, field) / 60_000) === Math.floor(t / 60_000));
        return c.op === 'in' ? hit : (i) => !hit(i);
      }
      const t = dateValue(c.values[0]!, field, ctx);
      if (c.op === '=') return (i) => Math.floor(msOf(i, field) / 60_000) === Math.floor(t / 60_000);
      if (c.op === '!=') return (i) => Math.floor(msOf(i, field) / 60_000) !== Math.floor(t / 60_000);
      return comparison(c.op, (i) => msOf(i, field) - t, field);
    }
    case 'sprint': {
      const ids = c.values.map((v) => sprintValue(v, ctx).map(String));
      return membership('sprint', c.op, ids, (i) => i.sprints.map(String));
    }
    case 'issuetype':
    case 'type': {
      noFns('issuetype');
      const ids = c.values.map((v) => {
        const t = site.issueTypes.find((x) => x.id === v.text || x.name.toLowerCase() === v.text.toLowerCase());
        if (!t) throw notExist(v.text, 'issuetype');
        return [t.id];
      });
      return membership('issuetype', c.op, ids, (i) => [i.type.id]);
    }
    case 'status': {
      noFns('status');
      const ids = c.values.map((v) => {
        const s = site.statuses.find((x) => x.id === v.text || x.name.toLowerCase() === v.text.toLowerCase());
        if (!s) throw notExist(v.text, 'status');
        return [s.id];
      });
      return membership('status', c.op, ids, (i) => [i.status.id]);
    }
    case 'labels': {
      noFns('labels');
      return membership('labels', c.op, c.values.map((v) => [v.text]), (i) => i.labels);
    }
    case 'fixversion': {
      noFns('fixVersion');
      const ids = c.values.map((v) => {
        const matches = site.versions.filter((x) => x.id === v.text || x.name === v.text);
        if (matches.length === 0) throw notExist(v.text, 'fixVersion');
        return matches.map((x) => x.id);
      });
      return membership('fixVersion', c.op, ids, (i) => i.versions);
    }
    default: {
      if (KNOWN_UNSUPPORTED.has(name) || /^cf\[\d+\]$/.test(name)) {
        throw new JqlError([`Error in the JQL Query: the simulated Jira does not support the field '${c.field}'. (line 1, character ${c.fieldPos + 1})`]);
      }
      throw new JqlError([`Field '${c.field}' does not exist or you do not have permission to view it.`]);
    }
  }
}

function comparison(op: Op, diff: (i: IssueRecord) => number, field = 'key'): Predicate {
  switch (op) {
    case '>':
      return (i) => diff(i) > 0;
    case '>=':
      return (i) => diff(i) >= 0;
    case '<':
      return (i) => diff(i) < 0;
    case '<=':
      return (i) => diff(i) <= 0;
    default:
      throw unsupportedOp(field, op);
  }
}

function msOf(i: IssueRecord, field: 'updated' | 'created'): number {
  return field === 'updated' ? i.updatedMs : i.createdMs;
}

function sprintValue(v: Value, ctx: JqlContext): number[] {
  const visible = ctx.site.sprints.filter((s) => ctx.site.canSee(s.team));
  if (v.fn) {
    const pick = (f: (s: SprintRecord) => boolean): number[] => visible.filter(f).map((s) => s.id);
    if (v.fn === 'opensprints') return pick((s) => s.state === 'active');
    if (v.fn === 'closedsprints') return pick((s) => s.state === 'closed');
    if (v.fn === 'futuresprints') return pick((s) => s.state === 'future');
    throw noFunction(v.text, 'sprint');
  }
  if (!v.quoted && /^\d+$/.test(v.text)) {
    const s = ctx.site.sprint(Number(v.text));
    if (s && ctx.site.canSee(s.team)) return [s.id];
  }
  const named = visible.filter((s) => s.name.toLowerCase() === v.text.toLowerCase());
  if (named.length === 0) throw notExist(v.text, 'sprint');
  return named.map((s) => s.id);
}

const PERIOD_UNITS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/** A JQL date value, in epoch ms. */
export function dateValue(v: Value, field: string, ctx: JqlContext): number {
  if (v.fn) {
    if (v.fn === 'now') return ctx.now;
    throw noFunction(v.text, field);
  }
  const text = v.text.trim();
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text);
  if (m) {
    const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number) as [number, number, number, number, number];
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60) {
      const ms = localToMs(ctx.zone, year, month, day, hour, minute);
      if (Number.isFinite(ms)) return ms;
    }
  }
  if (/^-?\d{10,}$/.test(text)) return Number(text);
  const period = /^([+-]?)((?:\s*\d+\s*[wdhm])+)$/i.exec(text);
  if (period) {
    let total = 0;
    for (const part of period[2]!.matchAll(/(\d+)\s*([wdhm])/gi)) total += Number(part[1]) * PERIOD_UNITS[part[2]!.toLowerCase()]!;
    return ctx.now + (period[1] === '-' ? -total : total);
  }
  throw new JqlError([
    `Date value '${v.text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  ]);
}
