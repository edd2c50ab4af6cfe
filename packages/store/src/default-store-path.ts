import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the CLI keeps its store when no --store is given: `$AGILE_KPI_STORE`, else
 * `~/.agile-kpi/store.sqlite`, one file for every tracker and board (scopes keep them apart), so a user
 * never has to think about it. Open it with `createDirectory: true`: on first use `~/.agile-kpi` is missing.
 * A leading `~/` in the variable is expanded because it is often set in quotes, where the shell does not.
 */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  const configured = env.AGILE_KPI_STORE;
  if (configured !== undefined && configured !== '') {
    return configured === '~' || configured.startsWith('~/') ? join(home, configured.slice(1)) : configured;
  }
  return join(home, '.agile-kpi', 'store.sqlite');
}
