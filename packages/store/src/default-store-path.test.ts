import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultStorePath } from './default-store-path';

describe('defaultStorePath', () => {
  it('is ~/.agile-kpi/store.sqlite without AGILE_KPI_STORE', () => {
    expect(defaultStorePath({ HOME: '/home/ana' })).toBe(join('/home/ana', '.agile-kpi', 'store.sqlite'));
    expect(defaultStorePath({ HOME: '/home/ana', AGILE_KPI_STORE: '' })).toBe(join('/home/ana', '.agile-kpi', 'store.sqlite'));
    expect(defaultStorePath({})).toBe(join(homedir(), '.agile-kpi', 'store.sqlite'));
  });

  it('is $AGILE_KPI_STORE when set, with a leading ~/ expanded', () => {
    expect(defaultStorePath({ HOME: '/home/ana', AGILE_KPI_STORE: '/data/kpi.sqlite' })).toBe('/data/kpi.sqlite');
    expect(defaultStorePath({ HOME: '/home/ana', AGILE_KPI_STORE: '~/kpi/store.sqlite' })).toBe(
      join('/home/ana', 'kpi', 'store.sqlite'),
    );
    expect(defaultStorePath({ HOME: '/home/ana', AGILE_KPI_STORE: 'relative.sqlite' })).toBe('relative.sqlite');
  });
});
