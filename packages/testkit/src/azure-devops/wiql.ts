import { fieldByName } from './fields';
import type { FieldDef } from './fields';
import { addDays, localDate, localMidnight } from './time';

/**
 * The WIQL subset of the simulated Azure DevOps (flat queries):
 *
 *   SELECT [field], ... FROM WorkItems [WHERE <condition>] [ORDER BY [field] [ASC|DESC], ...] [ASOF '<instant>']
 *
 * Conditions: `=`, `<>` (`!=`), `<`, `<=`, `>`, `>=`, `[NOT] IN (...)`, `[NOT] UNDER`, `[NOT] CONTAINS [WORDS]`,
 * `EVER`, combined with AND, OR, NOT and parentheses. Values: 'strings' (or "strings"), numbers, `@project`,
 * `@today [+|- N]`, `@currentIteration [+|- N]` (team route), `@me`. Fields by reference name or friendly name
 * (`[State]`), with or without brackets. Keywords and string comparisons are case-insensitive, as in Azure DevOps.
 *
 * Dates follow Azure DevOps' precision rule: without `timePrecision=true` a date literal must not carry a time
 * ("You cannot supply a time with the date when running a query using date precision") and date-time fields are
 * compared by their date in the user's time zone; with it, literals are instants (a date alone = local midnight).
 */

/** A WIQL error: the message Azure DevOps gives (answered with 400). */
export class WiqlError extends Error {
  constructor(
    message: string,
    readonly typeKey = 'VssPropertyValidationException',
  ) {
    super(message);
    this.name = 'WiqlError';
  }
}

type Token =
  | { t: 'field'; text: string; raw: string }
  | { t: 'word'; text: string; raw: string }
  | { t: 'string'; text: string; raw: string }
  | { t: 'number'; text: string; raw: string }
  | { t: 'macro'; text: string; raw: string }
  | { t: 'op'; text: string; raw: string }
  | { t: 'punct'; text: string; raw: string }
  | { t: 'end'; text: ''; raw: '' };

function tokenize(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '[') {
      const end = query.indexOf(']', i + 1);
      if (end < 0) throw new WiqlError(`Expecting field name. The error is caused by «${query.slice(i, i + 20)}».`);
      out.push({ t: 'field', text: query.slice(i + 1, end), raw: query.slice(i, end + 1) });
      i = end + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= n) throw new WiqlError(`Expecting end of string. The error is caused by «${query.slice(i, i + 20)}».`);
        if (query[j] === c) {
          if (query[j + 1] === c) {
            text += c;
            j += 2;
            continue;
          }
          break;
        }
        text += query[j]!;
        j++;
      }
      out.push({ t: 'string', text, raw: query.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const two = query.slice(i, i + 2);
    if (two === '<>' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ t: 'op', text: two === '!=' ? '<>' : two, raw: two });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      out.push({ t: 'op', text: c, raw: c });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '+' || c === '-') {
      // A minus directly before a digit after an operator or '(' or ',' is a negative number.
      if (c === '-' && /\d/.test(query[i + 1] ?? '') && ['op', 'punct'].includes(out[out.length - 1]?.t ?? '') && out[out.length - 1]!.text !== ')') {
        const m = /^-\d+(\.\d+)?/.exec(query.slice(i))!;
        out.push({ t: 'number', text: m[0], raw: m[0] });
        i += m[0].length;
        continue;
      }
      out.push({ t: 'punct', text: c, raw: c });
      i++;
      continue;
    }
    if (c === '@') {
      const m = /^@[A-Za-z_][A-Za-z0-9_]*/.exec(query.slice(i));
      if (!m) throw new WiqlError(`Expecting constant value. The error is caused by «@».`);
      out.push({ t: 'macro', text: m[0].toLowerCase(), raw: m[0] });
      i += m[0].length;
      continue;
    }
    if (/\d/.test(c)) {
      const m = /^\d+(\.\d+)?/.exec(query.slice(i))!;
      out.push({ t: 'number', text: m[0], raw: m[0] });
      i += m[0].length;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(i));
    if (m) {
      out.push({ t: 'word', text: m[0], raw: m[0] });
      i += m[0].length;
      continue;
    }
    throw new WiqlError(`Expecting comparison operator. The error is caused by «${c}».`);
  }
  out.push({ t: 'end', text: '', raw: '' });
  return out;
}

export type Value =
  | { kind: 'string'; text: string; raw: string }
  | { kind: 'number'; n: number; raw: string }
  | { kind: 'macro'; name: string; offset: number; raw: string };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; field: FieldDef; op: '=' | '<>' | '<' | '<=' | '>' | '>='; value: Value; raw: string }
  | { kind: 'in'; field: FieldDef; not: boolean; values: Value[]; raw: string }
  | { kind: 'under'; field: FieldDef; not: boolean; value: Value; raw: string }
  | { kind: 'contains'; field: FieldDef; not: boolean; words: boolean; value: Value; raw: string }
  | { kind: 'ever'; field: FieldDef; value: Value; raw: string };

export interface ParsedWiql {
  columns: FieldDef[];
  where?: Condition;
  orderBy: { field: FieldDef; descending: boolean }[];
  asOf?: string;
}

const kw = (tok: Token, word: string): boolean => tok.t === 'word' && tok.text.toLowerCase() === word;

/** Parses a flat WIQL query; throws {@link WiqlError} with Azure DevOps' messages. */
export function parseWiql(query: string): ParsedWiql {
  if (typeof query !== 'string' || query.trim() === '') throw new WiqlError('The query string is empty. Specify a query to run.');
  const toks = tokenize(query);
  let p = 0;
  const peek = (): Token => toks[p]!;
  const next = (): Token => toks[p++]!;
  const caused = (tok: Token): string => (tok.t === 'end' ? '' : tok.raw);

  const field = (): { def: FieldDef; raw: string } => {
    const tok = next();
    if (tok.t !== 'field' && tok.t !== 'word') throw new WiqlError(`Expecting field name. The error is caused by «${caused(tok)}».`);
    const def = fieldByName(tok.text);
    if (!def) throw new WiqlError(`TF51005: The query references a field that does not exist. The error is caused by «${tok.t === 'field' ? tok.raw : `[${tok.raw}]`}».`);
    return { def, raw: tok.raw };
  };

  if (!kw(next(), 'select')) throw new WiqlError(`Expecting SELECT. The error is caused by «${caused(toks[0]!)}».`);
  const columns: FieldDef[] = [];
  for (;;) {
    columns.push(field().def);
    if (peek().t === 'punct' && peek().text === ',') {
      next();
      continue;
    }
    break;
  }
  const from = next();
  if (!kw(from, 'from')) throw new WiqlError(`TF51006: The query statement is missing a FROM clause. The error is caused by «${caused(from)}».`);
  const source = next();
  if (source.t !== 'word' || source.text.toLowerCase() !== 'workitems') {
    if (source.t === 'word' && source.text.toLowerCase() === 'workitemlinks') {
      throw new WiqlError('The simulated Azure DevOps answers flat queries only (FROM WorkItems), not link queries.');
    }
    throw new WiqlError(`Expecting WorkItems or WorkItemLinks. The error is caused by «${caused(source)}».`);
  }

  const value = (): Value => {
    const tok = next();
    if (tok.t === 'string') return { kind: 'string', text: tok.text, raw: tok.raw };
    if (tok.t === 'number') return { kind: 'number', n: Number(tok.text), raw: tok.raw };
    if (tok.t === 'macro') {
      let offset = 0;
      let raw = tok.raw;
      const sign = peek();
      if (sign.t === 'punct' && (sign.text === '+' || sign.text === '-') && toks[p + 1]?.t === 'number') {
        next();
        const num = next();
        offset = (sign.text === '-' ? -1 : 1) * Number(num.text);
        raw = `${raw} ${sign.text} ${num.text}`;
      } else if (sign.t === 'number' && sign.text.startsWith('-')) {
        next();
        offset = Number(sign.text);
        raw = `${raw} ${sign.text}`;
      }
      return { kind: 'macro', name: tok.text, offset, raw };
    }
    throw new WiqlError(`Expecting constant value. The error is caused by «${caused(tok)}».`);
  };

  const comparison = (): Condition => {
    const { def, raw: fieldRaw } = field();
    const fraw = fieldRaw.startsWith('[') ? fieldRaw : `[${fieldRaw}]`;
    let not = false;
    if (kw(peek(), 'not')) {
      next();
      not = true;
    }
    const tok = next();
    if (tok.t === 'op' && !not) {
      const v = value();
      return { kind: 'compare', field: def, op: tok.text as '=', value: v, raw: `${fraw} ${tok.raw} ${v.raw}` };
    }
    if (kw(tok, 'in')) {
      const open = next();
      if (open.t !== 'punct' || open.text !== '(') throw new WiqlError(`Expecting '('. The error is caused by «${caused(open)}».`);
      const values: Value[] = [];
      for (;;) {
        values.push(value());
        const sep = next();
        if (sep.t === 'punct' && sep.text === ',') continue;
        if (sep.t === 'punct' && sep.text === ')') break;
        throw new WiqlError(`Expecting ')'. The error is caused by «${caused(sep)}».`);
      }
      return { kind: 'in', field: def, not, values, raw: `${fraw} ${not ? 'not ' : ''}in (${values.map((v) => v.raw).join(', ')})` };
    }
    if (kw(tok, 'under')) {
      const v = value();
      return { kind: 'under', field: def, not, value: v, raw: `${fraw} ${not ? 'not ' : ''}under ${v.raw}` };
    }
    if (kw(tok, 'contains')) {
      let words = false;
      if (kw(peek(), 'words')) {
        next();
        words = true;
      }
      const v = value();
      return { kind: 'contains', field: def, not, words, value: v, raw: `${fraw} ${not ? 'not ' : ''}contains ${words ? 'words ' : ''}${v.raw}` };
    }
    if (kw(tok, 'ever') && !not) {
      const v = value();
      return { kind: 'ever', field: def, value: v, raw: `${fraw} ever ${v.raw}` };
    }
    throw new WiqlError(`Expecting comparison operator. The error is caused by «${caused(tok)}».`);
  };

  const primary = (): Condition => {
    const tok = peek();
    if (kw(tok, 'not')) {
      next();
      return { kind: 'not', inner: primary() };
    }
    if (tok.t === 'punct' && tok.text === '(') {
      next();
      const inner = orExpr();
      const close = next();
      if (close.t !== 'punct' || close.text !== ')') throw new WiqlError(`Expecting ')'. The error is caused by «${caused(close)}».`);
      return inner;
    }
    return comparison();
  };
  const andExpr = (): Condition => {
    let left = primary();
    while (kw(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): Condition => {
    let left = andExpr();
    while (kw(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };

  const out: ParsedWiql = { columns, orderBy: [] };
  if (kw(peek(), 'where')) {
    next();
    out.where = orExpr();
  }
  if (kw(peek(), 'order')) {
    next();
    const by = next();
    if (!kw(by, 'by')) throw new WiqlError(`Expecting BY. The error is caused by «${caused(by)}».`);
    for (;;) {
      const { def } = field();
      let descending = false;
      if (kw(peek(), 'asc')) next();
      else if (kw(peek(), 'desc')) {
        next();
        descending = true;
      }
      out.orderBy.push({ field: def, descending });
      if (peek().t === 'punct' && peek().text === ',') {
        next();
        continue;
      }
      break;
    }
  }
  if (kw(peek(), 'asof')) {
    next();
    const tok = next();
    if (tok.t !== 'string') throw new WiqlError(`Expecting constant value. The error is caused by «${caused(tok)}».`);
    out.asOf = tok.text;
  }
  const rest = peek();
  if (rest.t !== 'end') throw new WiqlError(`Expected end of string. The error is caused by «${rest.raw}».`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Evaluation.

/** A work item's field values as WIQL sees them (identities as "Name <email>"). */
export interface WiqlRow {
  get(referenceName: string): string | number | boolean | undefined;
  /** Every value the field had over the item's revisions (for EVER). */
  history(referenceName: string): readonly (string | number | boolean | undefined)[];
}

export interface WiqlContext {
  /** The project of the route (for @project). */
  project?: string;
  /** Iteration paths of the team's sprints by start, and the index of the current one (for @currentIteration). */
  teamIterations?: { paths: readonly string[]; current: number };
  /** The API user ("Name <email>", for @me). */
  me: string;
  /** The site clock. */
  nowMs: number;
  userTimeZone: string;
  timePrecision: boolean;
  /** Whether an area / iteration path exists. */
  pathExists(path: string, structure: 'area' | 'iteration'): boolean;
}

export interface CompiledWiql {
  columns: FieldDef[];
  orderBy: { field: FieldDef; descending: boolean }[];
  /** The ASOF instant, when given. */
  asOfMs?: number;
  matches(row: WiqlRow): boolean;
  compare(a: WiqlRow, b: WiqlRow): number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}/;

/** Parses and validates a query against the context; throws {@link WiqlError}. */
export function compileWiql(query: string, ctx: WiqlContext): CompiledWiql {
  const parsed = parseWiql(query);
  const today = localDate(ctx.nowMs, ctx.userTimeZone);

  // Resolves a value to what a field compares with: a lowercase string, a number, or (dates) a date / instant.
  type Resolved = { s: string } | { n: number } | { date: string } | { ms: number };
  const resolve = (field: FieldDef, v: Value, raw: string): Resolved => {
    let text: string | undefined;
    if (v.kind === 'macro') {
      switch (v.name) {
        case '@project':
          if (ctx.project === undefined) throw new WiqlError(`The @project macro can only be used in the context of a project. The error is caused by «${raw}».`);
          text = ctx.project;
          break;
        case '@me':
          text = ctx.me;
          break;
        case '@today': {
          if (field.type !== 'dateTime') throw new WiqlError(`The @today macro can only be used with date fields. The error is caused by «${raw}».`);
          const date = addDays(today, v.offset);
          return ctx.timePrecision ? { ms: localMidnight(date, ctx.userTimeZone) } : { date };
        }
        case '@currentiteration': {
          const ti = ctx.teamIterations;
          if (!ti) throw new WiqlError(`The @CurrentIteration macro requires a team context. The error is caused by «${raw}».`);
          const path = ti.current >= 0 ? ti.paths[ti.current + v.offset] : undefined;
          text = path ?? '';
          if (path === undefined) return { s: '\u0000no iteration' };
          break;
        }
        default:
          throw new WiqlError(`The macro '${v.name}' is not supported by the simulated Azure DevOps. The error is caused by «${raw}».`);
      }
    } else text = v.kind === 'string' ? v.text : v.raw;

    switch (field.type) {
      case 'integer':
      case 'double': {
        const n = v.kind === 'number' ? v.n : Number(text);
        if (text.trim() === '' || !Number.isFinite(n)) throw new WiqlError(`The value '${text}' is not valid for the field '${field.name}'. The error is caused by «${raw}».`);
        return { n };
      }
      case 'dateTime': {
        const trimmed = text.trim();
        if (!ctx.timePrecision) {
          if (HAS_TIME.test(trimmed)) {
            throw new WiqlError(`You cannot supply a time with the date when running a query using date precision. The error is caused by «${raw}».`);
          }
          if (!DATE_ONLY.test(trimmed) || !Number.isFinite(Date.parse(`${trimmed}T00:00:00Z`))) {
            throw new WiqlError(`The string '${text}' is not recognized as a valid DateTime value. The error is caused by «${raw}».`);
          }
          return { date: trimmed };
        }
        if (DATE_ONLY.test(trimmed)) return { ms: localMidnight(trimmed, ctx.userTimeZone) };
        const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
        const ms = hasZone ? Date.parse(trimmed) : localInstant(trimmed, ctx.userTimeZone);
        if (!Number.isFinite(ms)) throw new WiqlError(`The string '${text}' is not recognized as a valid DateTime value. The error is caused by «${raw}».`);
        return { ms };
      }
      default:
        return { s: text.toLowerCase() };
    }
  };

  const treePath = (field: FieldDef, v: Value, raw: string): string => {
    const r = resolve(field, v, raw);
    const path = 's' in r ? r.s : '';
    if (v.kind === 'macro' && v.name === '@currentiteration') return path;
    const structure = field.referenceName === 'System.AreaPath' ? 'area' : 'iteration';
    const text = v.kind === 'string' ? v.text : path;
    if (!ctx.pathExists(text, structure)) {
      throw new WiqlError(`TF51011: The specified ${structure} path does not exist. The error is caused by «${v.raw}».`);
    }
    return path.replace(/\//g, '\\').replace(/^\\+|\\+$/g, '');
  };

  const asText = (x: string | number | boolean | undefined): string => (x === undefined ? '' : String(x)).toLowerCase();
  const asDate = (x: string | number | boolean | undefined): string | undefined =>
    typeof x === 'string' && x !== '' ? localDate(Date.parse(x), ctx.userTimeZone) : undefined;
  const asMs = (x: string | number | boolean | undefined): number | undefined => (typeof x === 'string' && x !== '' ? Date.parse(x) : undefined);

  /** -1, 0, 1, or undefined when the field has no value (only = '' / <> '' match then). */
  const cmp = (field: FieldDef, actual: string | number | boolean | undefined, r: Resolved): number | undefined => {
    if ('n' in r) {
      if (actual === undefined || actual === '') return undefined;
      const a = Number(actual);
      return a < r.n ? -1 : a > r.n ? 1 : 0;
    }
    if ('date' in r) {
      const d = asDate(actual);
      if (d === undefined) return undefined;
      return d < r.date ? -1 : d > r.date ? 1 : 0;
    }
    if ('ms' in r) {
      const m = asMs(actual);
      if (m === undefined) return undefined;
      return m < r.ms ? -1 : m > r.ms ? 1 : 0;
    }
    const a = asText(actual);
    if (field.type === 'treePath') return a === r.s.replace(/\//g, '\\') ? 0 : a < r.s ? -1 : 1;
    return a === r.s ? 0 : a < r.s ? -1 : 1;
  };

  const build = (c: Condition): ((row: WiqlRow) => boolean) => {
    switch (c.kind) {
      case 'and': {
        const l = build(c.left);
        const r = build(c.right);
        return (row) => l(row) && r(row);
      }
      case 'or': {
        const l = build(c.left);
        const r = build(c.right);
        return (row) => l(row) || r(row);
      }
      case 'not': {
        const inner = build(c.inner);
        return (row) => !inner(row);
      }
      case 'compare': {
        const f = c.field;
        if (f.type === 'treePath') {
          if (c.op !== '=' && c.op !== '<>') {
            throw new WiqlError(`The specified operator cannot be used with area path fields. The error is caused by «${c.raw}».`);
          }
          const path = treePath(f, c.value, c.raw).toLowerCase();
          const eq = (row: WiqlRow): boolean => asText(row.get(f.referenceName)) === path;
          return c.op === '=' ? eq : (row) => !eq(row);
        }
        const r = resolve(f, c.value, c.raw);
        const emptyLiteral = 's' in r && r.s === '';
        const ref = f.referenceName;
        return (row) => {
          const actual = row.get(ref);
          if (emptyLiteral) {
            const empty = actual === undefined || actual === '';
            return c.op === '=' ? empty : c.op === '<>' ? !empty : false;
          }
          const d = cmp(f, actual, r);
          if (d === undefined) return c.op === '<>';
          switch (c.op) {
            case '=':
              return d === 0;
            case '<>':
              return d !== 0;
            case '<':
              return d < 0;
            case '<=':
              return d <= 0;
            case '>':
              return d > 0;
            case '>=':
              return d >= 0;
          }
        };
      }
      case 'in': {
        const f = c.field;
        const ref = f.referenceName;
        if (f.type === 'treePath') {
          const paths = c.values.map((v) => treePath(f, v, c.raw).toLowerCase());
          return (row) => paths.includes(asText(row.get(ref))) !== c.not;
        }
        const rs = c.values.map((v) => resolve(f, v, c.raw));
        return (row) => {
          const actual = row.get(ref);
          return rs.some((r) => cmp(f, actual, r) === 0) !== c.not;
        };
      }
      case 'under': {
        const f = c.field;
        if (f.type !== 'treePath') throw new WiqlError(`The specified operator cannot be used with this field. The error is caused by «${c.raw}».`);
        const path = treePath(f, c.value, c.raw).toLowerCase();
        const ref = f.referenceName;
        return (row) => {
          const a = asText(row.get(ref));
          return (a === path || a.startsWith(`${path}\\`)) !== c.not;
        };
      }
      case 'contains': {
        const f = c.field;
        if (f.type === 'treePath') throw new WiqlError(`The specified operator cannot be used with area path fields. The error is caused by «${c.raw}».`);
        if (f.type !== 'string' && f.type !== 'plainText' && f.type !== 'html' && f.type !== 'identity') {
          throw new WiqlError(`The specified operator cannot be used with this field. The error is caused by «${c.raw}».`);
        }
        const r = resolve(f, c.value, c.raw);
        const needle = 's' in r ? r.s : '';
        const ref = f.referenceName;
        if (ref === 'System.Tags') {
          return (row) => {
            const tags = asText(row.get(ref)).split(';').map((t) => t.trim()).filter(Boolean);
            return tags.includes(needle.trim()) !== c.not;
          };
        }
        if (c.words) {
          const re = new RegExp(`(^|\\W)${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|\\W)`, 'i');
          return (row) => re.test(asText(row.get(ref))) !== c.not;
        }
        return (row) => asText(row.get(ref)).includes(needle) !== c.not;
      }
      case 'ever': {
        const f = c.field;
        if (f.type === 'treePath') {
          const path = treePath(f, c.value, c.raw).toLowerCase();
          return (row) => row.history(f.referenceName).some((v) => asText(v) === path);
        }
        const r = resolve(f, c.value, c.raw);
        return (row) => row.history(f.referenceName).some((v) => cmp(f, v, r) === 0);
      }
    }
  };

  const matches = parsed.where ? build(parsed.where) : () => true;
  let asOfMs: number | undefined;
  if (parsed.asOf !== undefined) {
    const t = parsed.asOf.trim();
    asOfMs = DATE_ONLY.test(t) ? localMidnight(t, ctx.userTimeZone) : /(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? Date.parse(t) : localInstant(t, ctx.userTimeZone);
    if (!Number.isFinite(asOfMs)) throw new WiqlError(`The string '${parsed.asOf}' is not recognized as a valid DateTime value. The error is caused by «'${parsed.asOf}'».`);
  }
  const sortValue = (f: FieldDef, x: string | number | boolean | undefined): number | string | undefined => {
    if (x === undefined || x === '') return undefined;
    if (f.type === 'integer' || f.type === 'double') return Number(x);
    if (f.type === 'dateTime') return Date.parse(String(x));
    return String(x).toLowerCase();
  };
  const compare = (a: WiqlRow, b: WiqlRow): number => {
    for (const { field, descending } of parsed.orderBy) {
      const x = sortValue(field, a.get(field.referenceName));
      const y = sortValue(field, b.get(field.referenceName));
      if (x === y) continue;
      // Empty values sort first in ascending order.
      const d = x === undefined ? -1 : y === undefined ? 1 : x < y ? -1 : 1;
      return descending ? -d : d;
    }
    return Number(a.get('System.Id')) - Number(b.get('System.Id'));
  };
  return {
    columns: parsed.columns,
    orderBy: parsed.orderBy,
    ...(asOfMs !== undefined ? { asOfMs } : {}),
    matches,
    compare,
  };
}

/** A local wall-clock time without offset ("2025-01-06T10:00:00") read in `zone`. */
function localInstant(text: string, zone: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text);
  if (!m) return NaN;
  const midnight = localMidnight(m[1]!, zone);
  if (!Number.isFinite(midnight)) return NaN;
  // Wall-clock offset from local midnight (ignores a DST change inside that day, which WIQL users never hit).
  return midnight + ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000 + Number((m[5] ?? '0').padEnd(3, '0'));
}
