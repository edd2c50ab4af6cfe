import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { defaultStorePath, isPostgresUrl } from '@agile-kpi/store';
import { fileError } from '../cli-error';
import type { Io } from '../io';
import { jiraTeamOptions } from '../jira-source';
import type { TeamFlags } from '../mcp/store-teams';
import { type SnapshotOverrides, snapshotOverrides } from '../metric-options';
import { machineZone, parseYamlConfig, problemsError } from '../yaml-config';

/**
 * `org.yml`: the organisation server's teams, where it listens, who may see what, when it syncs and which
 * report schedules it runs. Checked completely on start, every problem named by its team and field in one line.
 * Credentials never sit in the file: each team names the environment variables that hold them (by default the
 * ones the CLI reads: JIRA_EMAIL and JIRA_API_TOKEN, AZURE_DEVOPS_PAT), and the server refuses to start when
 * one is not set.
 *
 * ```yaml
 * listen: { host: 127.0.0.1, port: 8080 }   # any other host needs auth:
 * auth:
 *   token-env: AGILE_KPI_TOKEN             # a bearer token read from this variable, or
 *   # trusted-header: X-Forwarded-User    # the user a reverse proxy authenticated
 * access:                                  # with trusted-header: who sees which teams (default: everyone sees all)
 *   - { user: ada@example.com, tags: [tribe:payments] }
 *   - { user: "*", teams: [platform] }
 * sync: { cron: "0 *\/2 * * *", timezone: Europe/Berlin }
 * reports: schedules.yml                   # the file `agile-kpi schedule` reads, run by the server
 * teams:
 *   - id: platform
 *     name: Platform
 *     tags: [tribe:payments, product:checkout]
 *     jira: { site: https://your-domain.atlassian.net, board: 42 }
 *     time-zone: Europe/Berlin
 *   - id: fabrikam
 *     azure-devops: { org: https://dev.azure.com/fabrikam, project: Fabrikam, team: Fabrikam Team, pat-env: FABRIKAM_PAT }
 * ```
 */
export interface OrgTeam {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly tracker: 'jira' | 'azure-devops';
  /** The Jira site or the Azure DevOps organisation URL. */
  readonly site: string;
  /** The Jira board id, or "Project/Team". */
  readonly scope: string;
  /** The team's options as the CLI's flags give them (time zone, blocked statuses, impediment types, ...). */
  readonly flags: TeamFlags;
  /** Its time zone, when the file sets one (else the tracker's). */
  readonly overrides: SnapshotOverrides;
  /** The environment variables holding its credentials (their values are read when it syncs, never kept). */
  readonly credentials: Readonly<Record<string, string>>;
}

export type OrgAuth = { readonly kind: 'none' } | { readonly kind: 'token'; readonly env: string } | { readonly kind: 'header'; readonly header: string };

export interface AccessRule {
  /** A user as the trusted header names them, or "*" for everyone. */
  readonly user: string;
  readonly teams: readonly string[];
  readonly tags: readonly string[];
}

export interface OrgConfig {
  readonly host: string;
  readonly port: number;
  readonly auth: OrgAuth;
  /** Empty: everyone who is let in sees every team. */
  readonly access: readonly AccessRule[];
  readonly sync?: { readonly pattern: string; readonly timezone: string };
  readonly reports?: string;
  readonly storePath: string;
  readonly defaultStore: boolean;
  readonly teams: readonly OrgTeam[];
}

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const teamSchema = z.strictObject({
  id: z.string({ error: 'an id such as platform (lowercase letters, digits, ".", "_", "-"): it is the team\'s address' }).regex(ID, 'an id of lowercase letters, digits, ".", "_" and "-" (up to 64), e.g. platform'),
  name: z.string().min(1).optional(),
  tags: z.array(z.string().min(1)).optional(),
  jira: z
    .strictObject({
      site: z.string().optional(),
      board: z.number({ error: 'the board id, a number' }).int().positive(),
      'email-env': z.string().optional(),
      'token-env': z.string().optional(),
    })
    .optional(),
  'azure-devops': z
    .strictObject({
      org: z.string().optional(),
      project: z.string({ error: 'the project name' }).min(1),
      team: z.string({ error: 'the team name' }).min(1),
      'pat-env': z.string().optional(),
    })
    .optional(),
  'time-zone': z.string().optional(),
  'blocked-statuses': z.array(z.string().min(1)).optional(),
  'impediment-types': z.array(z.string().min(1)).optional(),
  'working-days': z.string().optional(),
});

const configSchema = z.strictObject({
  listen: z.strictObject({ host: z.string().optional(), port: z.number().int().min(0).max(65535).optional() }).optional(),
  auth: z.strictObject({ 'token-env': z.string().optional(), 'trusted-header': z.string().optional() }).optional(),
  access: z.array(z.strictObject({ user: z.string().min(1), teams: z.array(z.string()).optional(), tags: z.array(z.string()).optional() })).optional(),
  sync: z.strictObject({ cron: z.string(), timezone: z.string().optional() }).optional(),
  reports: z.string().optional(),
  store: z.string().optional(),
  teams: z.array(teamSchema, { error: 'a list of teams (each with id and jira: or azure-devops:)' }).min(1, 'list at least one team'),
});

type RawTeam = z.infer<typeof teamSchema>;

/** Loopback: what the server may listen on without authentication. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function loadOrgConfig(path: string, io: Io): OrgConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fileError('read', path, err);
  }
  return parseOrgConfig(text, path, io);
}

export function parseOrgConfig(text: string, path: string, io: Io): OrgConfig {
  const { data } = parseYamlConfig(text, path, configSchema);
  const problems: string[] = [];
  const base = dirname(resolve(path));
  const ids = new Set<string>();
  const teams: OrgTeam[] = [];
  data.teams.forEach((t, i) => {
    const at = `teams[${i}] (${t.id})`;
    if (ids.has(t.id)) problems.push(`${at}.id: '${t.id}' is used by an earlier team; ids must be unique (they are the teams' addresses)`);
    ids.add(t.id);
    const team = resolveTeam(t, at, io.env, problems);
    if (team) teams.push(team);
  });

  const host = data.listen?.host ?? '127.0.0.1';
  let auth: OrgAuth = { kind: 'none' };
  const a = data.auth;
  if (a?.['token-env'] !== undefined && a['trusted-header'] !== undefined) problems.push('auth: give either token-env or trusted-header, not both');
  else if (a?.['token-env'] !== undefined) {
    const token = io.env[a['token-env']];
    if (!token) problems.push(`auth.token-env: the variable ${a['token-env']} is not set (it holds the token clients send as "Authorization: Bearer <token>")`);
    else if (token.length < 16) problems.push(`auth.token-env: the token in ${a['token-env']} is ${token.length} characters; use at least 16 (e.g. openssl rand -hex 24)`);
    auth = { kind: 'token', env: a['token-env'] };
  } else if (a?.['trusted-header'] !== undefined) {
    if (!/^[A-Za-z0-9-]+$/.test(a['trusted-header'])) problems.push(`auth.trusted-header: a header name such as X-Forwarded-User, got '${a['trusted-header']}'`);
    auth = { kind: 'header', header: a['trusted-header'].toLowerCase() };
  }
  if (auth.kind === 'none' && !isLoopback(host)) {
    problems.push(`listen.host: ${host} is not a loopback address, so the server needs auth: (token-env: a variable holding a token, or trusted-header: the header a reverse proxy sets); without it, listen on 127.0.0.1`);
  }
  const access = (data.access ?? []).map((r) => ({ user: r.user, teams: r.teams ?? [], tags: r.tags ?? [] }));
  if (access.length && auth.kind !== 'header') problems.push('access: rules name users, who are known only with auth.trusted-header (a token lets its holder see every team)');
  access.forEach((r, i) => {
    for (const id of r.teams) if (!ids.has(id)) problems.push(`access[${i}].teams: no team '${id}' in teams:`);
  });

  let sync: OrgConfig['sync'];
  if (data.sync) {
    const zone = data.sync.timezone ?? machineZone();
    try {
      new Cron(data.sync.cron, { timezone: zone, paused: true });
      sync = { pattern: data.sync.cron, timezone: zone };
    } catch (err) {
      problems.push(`sync.cron: '${data.sync.cron}' is not a cron expression in ${zone} (minute hour day-of-month month day-of-week, e.g. "0 */2 * * *"): ${(err as Error).message.replace(/^CronPattern: /, '')}`);
    }
  }
  const reports = data.reports === undefined ? undefined : isAbsolute(data.reports) ? data.reports : resolve(base, data.reports);
  const storeRaw = data.store;
  const storePath = storeRaw !== undefined ? (isAbsolute(storeRaw) || storeRaw === ':memory:' || isPostgresUrl(storeRaw) ? storeRaw : resolve(base, storeRaw)) : defaultStorePath(io.env);
  if (problems.length) throw problemsError(path, problems);
  return {
    host,
    port: data.listen?.port ?? 8080,
    auth,
    access,
    ...(sync ? { sync } : {}),
    ...(reports ? { reports } : {}),
    storePath,
    defaultStore: storeRaw === undefined && io.env['AGILE_KPI_STORE'] === undefined,
    teams,
  };
}

function resolveTeam(t: RawTeam, at: string, env: Io['env'], problems: string[]): OrgTeam | undefined {
  const fail = (field: string, message: string) => void problems.push(`${at}${field ? `.${field}` : ''}: ${message}`);
  if ((t.jira === undefined) === (t['azure-devops'] === undefined)) {
    fail('', 'give either jira: { board: 42 } or azure-devops: { project: ..., team: ... }');
    return undefined;
  }
  const { flags, overrides } = teamFlags(t, at, problems);
  const need = (field: string, variable: string, what: string): string => {
    if (!env[variable]) fail(field, `the variable ${variable} is not set (${what})`);
    return variable;
  };
  if (t.jira) {
    const site = t.jira.site ?? env['JIRA_URL'];
    if (!site) return void fail('jira.site', 'no Jira site: set site: https://your-domain.atlassian.net, or JIRA_URL');
    if (!/^https?:\/\/[^\s/]+/.test(site)) return void fail('jira.site', `a URL such as https://your-domain.atlassian.net, got '${site}'`);
    const credentials = {
      email: need('jira.email-env', t.jira['email-env'] ?? 'JIRA_EMAIL', 'the Jira account the API token belongs to'),
      token: need('jira.token-env', t.jira['token-env'] ?? 'JIRA_API_TOKEN', 'a Jira API token'),
    };
    return { id: t.id, name: t.name ?? `Jira board ${t.jira.board}`, tags: t.tags ?? [], tracker: 'jira', site: site.replace(/\/+$/, ''), scope: String(t.jira.board), flags, overrides, credentials };
  }
  const ado = t['azure-devops']!;
  const org = ado.org ?? env['AZURE_DEVOPS_ORG_URL'];
  if (!org) return void fail('azure-devops.org', 'no Azure DevOps organisation: set org: https://dev.azure.com/your-org, or AZURE_DEVOPS_ORG_URL');
  if (!/^https?:\/\/[^\s/]+/.test(org)) return void fail('azure-devops.org', `a URL such as https://dev.azure.com/your-org, got '${org}'`);
  const credentials = { pat: need('azure-devops.pat-env', ado['pat-env'] ?? 'AZURE_DEVOPS_PAT', 'a personal access token with Work Items: Read') };
  return { id: t.id, name: t.name ?? `${ado.team} (${ado.project})`, tags: t.tags ?? [], tracker: 'azure-devops', site: org.replace(/\/+$/, ''), scope: `${ado.project}/${ado.team}`, flags, overrides, credentials };
}

/** The team's options as the CLI's flags give them, checked as the CLI checks them. */
function teamFlags(t: RawTeam, at: string, problems: string[]): { flags: TeamFlags; overrides: SnapshotOverrides } {
  const flags: TeamFlags = {
    ...(t['blocked-statuses'] ? { blockedStatuses: t['blocked-statuses'].join(',') } : {}),
    ...(t['impediment-types'] ? { impedimentTypes: t['impediment-types'].join(',') } : {}),
    ...(t['working-days'] ? { workingDays: t['working-days'] } : {}),
  };
  let overrides: SnapshotOverrides = {};
  try {
    overrides = snapshotOverrides(t['time-zone'] ? { timeZone: t['time-zone'] } : {});
    jiraTeamOptions(flags, overrides);
  } catch (err) {
    problems.push(`${at}: ${(err as Error).message.replace(/^--([a-z-]+)/, '$1')}`);
  }
  return { flags, overrides };
}

/** The teams a user may see: every team without rules; else those the user's rules (and "*"'s) name by id or tag. */
export function visibleTeams(config: Pick<OrgConfig, 'access' | 'teams'>, user: string | undefined): readonly OrgTeam[] {
  if (config.access.length === 0) return config.teams;
  const rules = config.access.filter((r) => r.user === '*' || (user !== undefined && r.user.toLowerCase() === user.toLowerCase()));
  return config.teams.filter((t) => rules.some((r) => r.teams.includes(t.id) || r.tags.some((tag) => t.tags.includes(tag))));
}
