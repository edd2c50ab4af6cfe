import { simulateTeam } from '@agile-kpi/testkit';
import { startAdoHarness } from './harness-server';

/**
 * `npm run dev:ado -w @agile-kpi/azure-devops-extension`: the built extension in the harness, on the simulated
 * organisation, for a reviewer to use by hand. Options: --seed N (the simulated team, default 42),
 * --teams N (teams, one project each, default 1), --process scrum|agile, --port N (the organisation's port),
 * --theme light|dark.
 */
async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const seed = Number(arg('seed') ?? 42);
  const count = Number(arg('teams') ?? 1);
  const teams = Array.from({ length: count }, (_, i) => simulateTeam({ seed: seed + i, sprintCalendar: 'dates', ...(count > 1 ? { teamKey: `SIM${i + 1}` } : {}) }));
  const process_ = arg('process') === 'agile' ? 'agile' : 'scrum';
  const theme = arg('theme') === 'dark' ? 'dark' : 'light';
  // The organisation's clock stands at the simulation's end, so that "today" falls in its last sprint.
  const harness = await startAdoHarness({ teams, process: process_, now: teams[0]!.snapshot.asOf, hostPort: Number(arg('port') ?? 0), theme });
  const lines = [
    '',
    'agile-kpi in a simulated Azure DevOps (stop with Ctrl-C)',
    `  organisation   ${harness.orgUrl}  (${harness.ado.projects.map((p) => `${p.name}/${p.team}`).join(', ')}; ${process_} process)`,
    `  start here     ${harness.url}/`,
    `  hub            ${harness.hubUrl()}`,
    `  widget         ${harness.widgetUrl('widget-1')}`,
    `  configure it   ${harness.configureUrl('widget-1')}`,
    '',
  ];
  console.log(lines.join('\n'));
  const stop = () => {
    void harness.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
