import { filterAndSort, median, type PortfolioRow } from './portfolio';
import { sparkline } from './portfolio-page';

it('median: the middle value, the mean of the middle two, null for none', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([0.9, 0.95])).toBe(0.925);
  expect(median([])).toBeNull();
});

const row = (name: string, flow: number | null, tags: string[] = []): PortfolioRow =>
  ({
    id: name.toLowerCase(),
    name,
    tags,
    tracker: 'jira',
    lastSyncAt: null,
    asOf: null,
    problem: null,
    throughputWeeks: [],
    velocityTrend: null,
    kpis: { flow: { figure: flow, text: '', light: null, headline: '' } },
  }) as unknown as PortfolioRow;

it('filterAndSort: by a figure either way, ties by name, teams without the figure last; by tag', () => {
  const rows = [row('Bravo', 3, ['a']), row('Alpha', null, ['a']), row('Delta', 5), row('Charlie', 3, ['b'])];
  const names = (rs: PortfolioRow[]) => rs.map((r) => r.name);
  expect(names(filterAndSort(rows, undefined, { by: 'flow', dir: 'desc' }))).toEqual(['Delta', 'Bravo', 'Charlie', 'Alpha']);
  expect(names(filterAndSort(rows, undefined, { by: 'flow', dir: 'asc' }))).toEqual(['Bravo', 'Charlie', 'Delta', 'Alpha']);
  expect(names(filterAndSort(rows, undefined, { by: 'name', dir: 'asc' }))).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
  expect(names(filterAndSort(rows, 'a', { by: 'name', dir: 'desc' }))).toEqual(['Bravo', 'Alpha']);
});

it('sparkline: weeks scaled to the highest, first at the left, last at the right', () => {
  expect(sparkline([0, 2, 4])).toContain('points="0,20 40,10 80,0"');
  expect(sparkline([5])).toBe('—');
});
