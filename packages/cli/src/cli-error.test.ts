import { CommanderError } from 'commander';
import { MetricOptionError, SnapshotError, resolveMetricOptions } from '@agile-kpi/core';
import { AdoError } from '@agile-kpi/azure-devops';
import { JiraError, TrackerError } from '@agile-kpi/jira';
import { CliError, classifyError, fileError, formatError, inSource } from './cli-error';

describe('classifyError', () => {
  test('user mistakes exit 2 with their own one-line message', () => {
    expect(classifyError(new CliError('--seed must be a whole number'))).toEqual({ exitCode: 2, message: '--seed must be a whole number', kind: 'usage' });
    expect(classifyError(new SnapshotError('items[0] (A-1).estimate[0].value: expected number, received string'))).toEqual({
      exitCode: 2,
      message: 'items[0] (A-1).estimate[0].value: expected number, received string',
      kind: 'input',
    });
    expect(classifyError(new RangeError('velocity: lastN must be a whole number of sprints, 1 or more'))).toEqual({
      exitCode: 2,
      message: 'invalid metric option: velocity: lastN must be a whole number of sprints, 1 or more',
      kind: 'option',
    });
    // Every metric's, the customer outcomes' too (the pattern above lists the delivery KPIs only).
    let refused: unknown;
    try {
      resolveMetricOptions('customerSatisfaction', { trendPeriods: 1 });
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(MetricOptionError);
    expect(classifyError(refused)).toEqual({
      exitCode: 2,
      message: 'invalid metric option: customerSatisfaction: trendPeriods must be a whole number of months, 2 or more, got 1',
      kind: 'option',
    });
  });

  test("a tracker's errors: exit 3 when the tracker failed, 2 when a setting or permission is to fix", () => {
    const down = new JiraError('server', 'Jira at https://x.atlassian.net failed (HTTP 500) while we tried to read board 1; try again later.', { status: 500 });
    expect(classifyError(down)).toEqual({ exitCode: 3, message: down.message, kind: 'tracker' });
    const denied = new AdoError('forbidden', 'the personal access token may not read the team at https://dev.azure.com/x: it needs the "Work Items (Read)" scope.', { status: 403 });
    expect(classifyError(denied)).toEqual({ exitCode: 2, message: denied.message, kind: 'tracker' });
    expect(classifyError(new TrackerError('azure-devops', 'rate-limited', 'throttled\nfor a while'))).toEqual({ exitCode: 3, message: 'throttled for a while', kind: 'tracker' });
    // An error that only calls itself JiraError is not one of ours: a bug.
    expect(classifyError(Object.assign(new Error('x'), { name: 'JiraError', kind: 'auth' })).exitCode).toBe(1);
  });

  test('commander errors were already printed by commander: help and version exit 0, the rest 2', () => {
    expect(classifyError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ exitCode: 0, message: null, kind: 'help' });
    expect(classifyError(new CommanderError(1, 'commander.unknownCommand', "error: unknown command 'x'"))).toEqual({ exitCode: 2, message: null, kind: 'usage' });
  });

  test('anything else is our bug: exit 1, one line, the stack only with AGILE_KPI_DEBUG', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line");
    const c = classifyError(bug);
    expect(c.exitCode).toBe(1);
    expect(c.message).toBe("internal error: Cannot read properties of undefined (reading 'x') second line (a bug in agile-kpi; set AGILE_KPI_DEBUG=1 to see the stack trace)");
    expect(formatError(bug, c, false)).not.toMatch(/\n\s+at /);
    expect(formatError(bug, c, false).split('\n')).toHaveLength(2);
    expect(formatError(bug, c, true)).toMatch(/\n\s+at /);
    // A RangeError that does not come from a metric's option check is a bug too (e.g. an invalid Date).
    expect(classifyError(new RangeError('Invalid time value')).exitCode).toBe(1);
  });

  test('file-system errors say which file and what went wrong', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'a.json'"), { code: 'ENOENT', path: 'a.json' });
    expect((fileError('read', 'a.json', enoent) as Error).message).toBe('cannot read a.json: no such file');
    const eisdir = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR' });
    expect((fileError('read', 'dir', eisdir) as Error).message).toBe('cannot read dir: it is a directory, not a file');
    expect(classifyError(enoent)).toEqual({ exitCode: 2, message: 'a.json: no such file', kind: 'input' });
  });

  test('snapshot errors are prefixed with their source; other errors pass through', () => {
    const wrapped = inSource('team.json', new SnapshotError('asOf: not a real calendar instant')) as Error;
    expect(wrapped).toBeInstanceOf(CliError);
    expect(wrapped.message).toBe('team.json: asOf: not a real calendar instant');
    const other = new Error('x');
    expect(inSource('team.json', other)).toBe(other);
  });
});
