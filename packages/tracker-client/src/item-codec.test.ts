import { type WorkItem, columnsOf, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { UnknownValue, ValueTable, decodeItem, encodeItem, textHash } from './item-codec';

/** Checked items of a simulated team, with an item lacking every optional field and one whose timelines came unordered. */
function checkedItems(): WorkItem[] {
  const snapshot = simulateTeam({ seed: 9, sprints: 6, itemsPerSprint: 8 }).snapshot;
  const [first, second] = snapshot.items;
  const { url: _u, parentId: _p, rank: _r, ...bare } = first!;
  const unordered = { ...second!, status: [...second!.status].reverse() };
  return parseSnapshot({ ...snapshot, items: [bare, unordered, ...snapshot.items.slice(2)] }).items as WorkItem[];
}

describe('the compact form of checked work items', () => {
  it('decodes to the very item that was encoded: equal values, the same keys in the same order', () => {
    const items = checkedItems();
    const table = new ValueTable();
    const encoded = items.map((item) => encodeItem(item, table));
    const values = table.texts.map((text) => JSON.parse(text) as unknown);
    const decoded = JSON.parse(JSON.stringify(encoded)).map((e: never) => decodeItem(e, values));
    expect(decoded).toEqual(items);
    expect(decoded.map((i: WorkItem) => JSON.stringify(i))).toEqual(items.map((i) => JSON.stringify(i)));
    expect(Object.keys(decoded[0])).not.toContain('url');
  });

  it('makes one change alone equal to the same change among all of its timeline', () => {
    const items = checkedItems();
    const odd = { ...items[2]!, status: items[2]!.status.map((c, i) => (i === 0 ? { ...c, at: c.at.replace('Z', '+00:00'), eventId: 'evt-1' } : c)) };
    const table = new ValueTable();
    const encoded = JSON.parse(JSON.stringify([odd, ...items].map((item) => encodeItem(item, table)))) as never[];
    const values = table.texts.map((text) => JSON.parse(text) as unknown);
    for (const e of encoded) {
      const alone = columnsOf(decodeItem(e, values))!;
      const all = columnsOf(decodeItem(e, values))!;
      for (const name of ['status', 'estimate', 'sprints', 'releases', 'flagged', 'labels'] as const) {
        const tl = all[name].changes;
        tl.forEach((c, i) => expect(alone[name].change(i)).toEqual(c));
      }
    }
    expect(columnsOf(decodeItem(encoded[0]!, values))!.status.change(0)).toEqual(odd.status[0]);
  });

  it('keeps each distinct value once, and decoded items share it', () => {
    const items = checkedItems();
    const table = new ValueTable();
    const encoded = items.map((item) => encodeItem(item, table));
    const valuesOf = (i: WorkItem) => [i.status, i.estimate, i.sprints, i.releases, i.flagged, i.labels].flatMap((tl) => tl.map((c) => JSON.stringify(c.value)));
    // Event ids and urls are kept as a shared beginning and the rest: "sim:changelog:" and "4711".
    const prefixes = (i: WorkItem) => [...[i.status, i.estimate, i.sprints, i.releases, i.flagged, i.labels].flatMap((tl) => tl.flatMap((c) => (c.eventId ? [c.eventId.split(':').slice(0, 2).join(':') + ':'] : [])))];
    const urls = (i: WorkItem) => (i.url ? [i.url.slice(0, i.url.length - i.key.length)] : []);
    const distinct = new Set(items.flatMap((i) => [...valuesOf(i), ...[...prefixes(i), ...urls(i)].map((p) => JSON.stringify(p))]));
    expect(table.texts.length).toBe(distinct.size);
    expect(table.texts.length).toBeLessThan(items.length);
    const values = table.texts.map((text) => JSON.parse(text) as unknown);
    const [a, b] = encoded.map((e) => decodeItem(e, values)).filter((i) => i.status[0]!.value.name === items[2]!.status[0]!.value.name);
    expect(a!.status[0]!.value).toBe(b!.status[0]!.value);
  });

  it('keeps event ids and urls of other shapes as they are', () => {
    const item = checkedItems()[2]!;
    const odd = { ...item, url: 'https://elsewhere.example/x', status: [{ ...item.status[0]!, eventId: 'evt-1' }, { ...item.status[0]!, eventId: 'a:b' }] };
    const table = new ValueTable();
    const decoded = decodeItem(JSON.parse(JSON.stringify(encodeItem(odd, table))), table.texts.map((t) => JSON.parse(t) as unknown));
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(odd));
  });

  it('refuses an item that names a value the table does not have', () => {
    const table = new ValueTable();
    const encoded = encodeItem(checkedItems()[0]!, table);
    expect(() => decodeItem(encoded, table.texts.slice(0, -1).map((t) => JSON.parse(t) as unknown))).toThrow(UnknownValue);
  });

  it('refuses an item whose columns do not fit together', () => {
    const table = new ValueTable();
    const values = () => table.texts.map((t) => JSON.parse(t) as unknown);
    const encoded = JSON.parse(JSON.stringify(encodeItem(checkedItems()[2]!, table))) as unknown[][][];
    const longer = structuredClone(encoded);
    longer[9]![0]!.push(Date.parse('2030-01-01T00:00:00Z'));
    expect(() => decodeItem(longer as never, values())).toThrow(UnknownValue);
    const notTimes = structuredClone(encoded);
    (notTimes[10]![0] as unknown[])[0] = '2025-01-01T00:00:00Z';
    expect(() => decodeItem(notTimes as never, values())).toThrow(UnknownValue);
    expect(() => decodeItem(encoded as never, values())).not.toThrow();
  });

  it('hashes texts to short, different names', () => {
    expect(textHash('a')).not.toBe(textHash('b'));
    expect(textHash('{"check":1}')).toBe(textHash('{"check":1}'));
    expect(textHash('x'.repeat(10_000))).toMatch(/^[0-9a-z]{1,11}$/);
  });
});
