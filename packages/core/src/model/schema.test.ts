import { SnapshotBuilder } from '../testing/snapshot-builder';
import { assembleSnapshot, checkWorkItem, parseSnapshot, SnapshotError } from './schema';

const valid = () => {
  const b = new SnapshotBuilder('2025-03-20T12:00:00Z');
  b.sprint({ id: 's1', name: 'Sprint 1', state: 'closed', startAt: '2025-03-03T09:00:00Z', closedAt: '2025-03-14T17:00:00Z' });
  b.item('TRAP-1', '2025-03-01T10:00:00Z').estimate('2025-03-01T10:00:00Z', 3).sprints('2025-03-02T10:00:00Z', ['s1']);
  b.item('TRAP-2', '2025-03-01T10:00:00Z');
  return JSON.parse(JSON.stringify(b.build()));
};

function messageOf(input: unknown): string {
  try {
    parseSnapshot(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    return (e as Error).message;
  }
  throw new Error('parseSnapshot accepted the input');
}

describe('parseSnapshot', () => {
  it('accepts a valid snapshot and fills the team defaults', () => {
    const input = valid();
    delete input.team.workingDays;
    delete input.team.goalLabel;
    const s = parseSnapshot(input);
    expect(s.team.workingDays).toEqual([1, 2, 3, 4, 5]);
    expect(s.team.goalLabel).toBe('sprint-goal');
    expect(s.items).toHaveLength(2);
  });

  it('names the field and the item when a value has the wrong type', () => {
    const input = valid();
    input.items[0].estimate[0].value = '5';
    expect(messageOf(input)).toBe('items[0] (TRAP-1).estimate[0].value: Invalid input: expected number, received string');
  });

  it('names a missing field', () => {
    const input = valid();
    delete input.items[1].createdAt;
    expect(messageOf(input)).toMatch(/^items\[1\] \(TRAP-2\)\.createdAt: /);
  });

  it('rejects an instant without an offset, saying what it expects', () => {
    const input = valid();
    input.asOf = '2025-03-20 12:00';
    expect(messageOf(input)).toMatch(/^asOf: expected an ISO-8601 instant with an offset/);
  });

  it('refuses days that do not exist instead of rolling them over', () => {
    const input = valid();
    input.asOf = '2025-02-30T12:00:00Z';
    expect(messageOf(input)).toBe('asOf: not a real calendar instant');
    const holiday = valid();
    holiday.team.holidays = ['2025-02-29'];
    expect(messageOf(holiday)).toBe('team.holidays[0]: not a real calendar date');
  });

  it('reads Jira offsets without a colon exactly', () => {
    const input = valid();
    input.items[0].createdAt = '2025-03-01T03:00:00.000-0700';
    input.items[0].estimate[0].at = '2025-03-01T10:00:00.000Z';
    expect(() => parseSnapshot(input)).not.toThrow();
    input.items[0].estimate[0].at = '2025-03-01T09:59:59.999Z';
    expect(messageOf(input)).toMatch(/before the item was created/);
  });

  it('rejects contradictory history: a change before the item was created', () => {
    const input = valid();
    input.items[0].sprints[0].at = '2025-02-01T10:00:00Z';
    expect(messageOf(input)).toBe(
      "items[0] (TRAP-1).sprints[0]: a change at 2025-02-01T10:00:00Z is before the item was created (2025-03-01T10:00:00Z); fix the item's createdAt or drop the change",
    );
  });

  it('rejects duplicate ids, reversed sprint dates, unknown zones and unknown done columns', () => {
    const dup = valid();
    dup.items[1].id = dup.items[0].id;
    expect(messageOf(dup)).toMatch(/appears twice/);
    const rev = valid();
    rev.sprints[0].closedAt = '2025-03-01T00:00:00Z';
    expect(messageOf(rev)).toMatch(/closedAt .* is before startAt/);
    const zone = valid();
    zone.team.timeZone = 'Mars/Olympus';
    expect(messageOf(zone)).toBe('team.timeZone: not an IANA time zone, e.g. "Europe/Berlin"');
    const col = valid();
    col.team.doneColumns = ['Shipped'];
    expect(messageOf(col)).toMatch(/team.doneColumns: Shipped is not one of the board's columns/);
  });

  it('reports how many other problems there are', () => {
    const input = valid();
    input.items[0].estimate[0].value = 'x';
    input.items[1].title = 7;
    expect(messageOf(input)).toMatch(/\(and 1 more problems\)$/);
  });

  it('sorts an unordered timeline by time, keeping the input order of equal instants', () => {
    const input = valid();
    input.items[1].status = [
      { at: '2025-03-05T10:00:00Z', value: { name: 'Done', category: 'done' } },
      { at: '2025-03-01T10:00:00Z', value: { name: 'To Do', category: 'todo' } },
    ];
    expect(parseSnapshot(input).items[1]!.status.map((c) => c.value.name)).toEqual(['To Do', 'Done']);
  });

  it('rejects something that is not a snapshot at all', () => {
    expect(messageOf([])).toMatch(/^\(top level\): /);
    expect(messageOf({ schemaVersion: 2 })).toMatch(/schemaVersion: this version of agile-kpi reads schemaVersion 1/);
  });
});

describe('checkWorkItem and assembleSnapshot', () => {
  /** valid() with an unordered timeline and an item that lacks the defaulted `described`. */
  const messy = () => {
    const input = valid();
    input.items[1].status = [
      { at: '2025-03-05T10:00:00Z', value: { name: 'Done', category: 'done' } },
      { at: '2025-03-01T10:00:00Z', value: { name: 'To Do', category: 'todo' } },
    ];
    delete input.items[0].described;
    input.items[0].extra = 'dropped by the schema';
    return input;
  };

  it('checks an item exactly as parseSnapshot checks each item', () => {
    const input = messy();
    const whole = parseSnapshot(input);
    expect(input.items.map(checkWorkItem)).toEqual(whole.items);
    expect(checkWorkItem(input.items[1]).status.map((c) => c.value.name)).toEqual(['To Do', 'Done']);
  });

  it('refuses what parseSnapshot refuses in an item, naming the item and the field', () => {
    const input = valid();
    input.items[0].estimate[0].value = '5';
    expect(() => checkWorkItem(input.items[0])).toThrow(new SnapshotError('estimate[0].value: Invalid input: expected number, received string'));
    input.items[0].estimate[0].value = 5;
    input.items[0].sprints[0].at = '2025-02-01T10:00:00Z';
    expect(() => checkWorkItem(input.items[0])).toThrow(/^\(TRAP-1\)\.sprints\[0\]: a change at 2025-02-01T10:00:00Z is before the item was created/);
  });

  it('puts checked items together with the rest of a snapshot as parseSnapshot would', () => {
    const input = messy();
    const items = input.items.map(checkWorkItem);
    expect(assembleSnapshot({ ...input, items: 'ignored' }, items)).toEqual(parseSnapshot(input));
  });

  it('still checks the rest of the snapshot, and that no two items share an id', () => {
    const input = valid();
    const items = input.items.map(checkWorkItem);
    const reversed = { ...input, sprints: [{ ...input.sprints[0], closedAt: '2025-03-01T00:00:00Z' }] };
    expect(() => assembleSnapshot(reversed, items)).toThrow(/^sprints\[0\] \(Sprint 1\): closedAt .* is before startAt/);
    expect(() => assembleSnapshot({ ...input, asOf: 'yesterday' }, items)).toThrow(/^asOf: expected an ISO-8601 instant/);
    expect(() => assembleSnapshot(input, [items[0]!, { ...items[1]!, id: items[0]!.id }])).toThrow(new SnapshotError(`items[1] (TRAP-2): the id ${items[0]!.id} appears twice`));
  });
});
