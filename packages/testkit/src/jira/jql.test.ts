import { simulateTeam } from '../simulate-team';
import { compileJql, JqlError, parseJql, UNBOUNDED_MESSAGE } from './jql';
import { JiraSite } from './site';

const site = new JiraSite([simulateTeam({ seed: 9, sprints: 3, itemsPerSprint: 5 })], { now: () => Date.parse('2025-02-10T12:00:00Z') });
const ctx = { site, zone: 'Europe/Berlin', now: Date.parse('2025-02-10T12:00:00Z') };
const keys = (jql: string): string[] => {
  const c = compileJql(jql, ctx);
  return site.visibleIssues().filter(c.matches).sort(c.compare).map((i) => i.key);
};
const messages = (jql: string): string[] => {
  try {
    compileJql(jql, ctx);
  } catch (e) {
    if (e instanceof JqlError) return e.errorMessages;
    throw e;
  }
  throw new Error(`no error for ${jql}`);
};

describe('JQL', () => {
  it('parses precedence (AND binds tighter than OR), NOT, parentheses, lists and ORDER BY', () => {
    expect(parseJql('a = 1 OR b = 2 AND c = 3').where).toMatchObject({ kind: 'or', items: [{ kind: 'clause' }, { kind: 'and' }] });
    expect(parseJql('(a = 1 OR b = 2) AND NOT c in (3, "x y")').where).toMatchObject({
      kind: 'and',
      items: [{ kind: 'or' }, { kind: 'not', item: { kind: 'clause', op: 'in', values: [{ text: '3' }, { text: 'x y', quoted: true }] } }],
    });
    expect(parseJql('project = SIM order by Rank asc, updated DESC').orderBy).toEqual([
      { field: 'rank', direction: 'asc' },
      { field: 'updated', direction: 'desc' },
    ]);
    expect(parseJql('sprint in openSprints()').where).toMatchObject({ values: [{ fn: 'opensprints' }] });
  });

  it('evaluates project, key/id lists, NOT, issuetype and ordering', () => {
    const all = site.issues.map((i) => i.key);
    expect(keys('project = SIM')).toHaveLength(all.length);
    expect(keys('project = sim ORDER BY key ASC')[0]).toBe('SIM-1');
    expect(keys('project = SIM')[0]).toBe(`SIM-${all.length}`); // default order: key DESC
    expect(keys('key in (SIM-2, SIM-1) ORDER BY id ASC')).toEqual(['SIM-1', 'SIM-2']);
    expect(keys('project = SIM AND NOT key in (SIM-1)')).toHaveLength(all.length - 1);
    expect(keys('issuetype = Epic')).toEqual(site.issues.filter((i) => i.type.name === 'Epic').map((i) => i.key).reverse());
    expect(keys(`sprint in openSprints()`).length).toBeGreaterThan(0);
    expect(keys('key >= SIM-5 AND key < SIM-7 ORDER BY key')).toEqual(['SIM-5', 'SIM-6']);
  });

  it('reads dates in the user zone, with relative periods', () => {
    const latest = Math.max(...site.issues.map((i) => i.updatedMs));
    expect(keys('updated >= -1d')).toEqual(site.issues.filter((i) => i.updatedMs >= ctx.now - 86_400_000).map((i) => i.key).reverse());
    expect(keys(`updated > ${latest}`)).toEqual([]);
    expect(keys('created >= "2025/01/06" AND created < "2025-01-07"')).toEqual(
      site.issues
        .filter((i) => i.createdMs >= Date.parse('2025-01-05T23:00:00Z') && i.createdMs < Date.parse('2025-01-06T23:00:00Z'))
        .map((i) => i.key)
        .reverse(),
    );
  });

  it('answers Jira\'s messages for what it cannot do', () => {
    expect(messages('')).toEqual([UNBOUNDED_MESSAGE]);
    expect(messages('order by rank')).toEqual([UNBOUNDED_MESSAGE]);
    expect(messages('foo = bar')).toEqual(["Field 'foo' does not exist or you do not have permission to view it."]);
    expect(messages('assignee = currentUser()')[0]).toMatch(/^Error in the JQL Query: .*'assignee'/);
    expect(messages('project = SIM AND')[0]).toMatch(/^Error in the JQL Query: Expecting a field name but got EOF\. \(line 1, character 18\)$/);
    expect(messages('project SIM')[0]).toMatch(/^Error in the JQL Query: Expecting operator but got 'SIM'/);
    expect(messages('project = SIM foo')[0]).toMatch(/Expecting either 'OR' or 'AND' but got 'foo'/);
    expect(messages('updated >= "yesterday"')[0]).toMatch(/^Date value 'yesterday' for field 'updated' is invalid/);
    expect(messages('key = NOPE-1')).toEqual(["An issue with key 'NOPE-1' does not exist for field 'key'."]);
    expect(messages('issuetype = Saga')).toEqual(["The value 'Saga' does not exist for the field 'issuetype'."]);
    expect(messages('summary ~ "x" ')[0]).toMatch(/^Error in the JQL Query/);
    expect(messages('project = "SIM')[0]).toMatch(/has not been completed/);
  });
});
