/**
 * Syncs a made-up board into a PostgreSQL store the way the trackers' syncs write (see syncBoard in
 * @agile-kpi/jira): pages of issues staged one transaction each, with the resume cursor in the same
 * transaction, then one final transaction that promotes what was staged, replaces the sprints, records their
 * date snapshots, compiles and sets the watermark. Run by the kill -9 tests as a child process:
 *
 *   node -r @swc-node/register page-writer.ts <url> <schema> <board> <issues> [<holder name>]
 *
 * Prints `locked` when it holds the board's sync lock, `page <n>` after each committed page and `done` at the end. With a holder name it also checks, at
 * every page, that no other writer of the same board got in (the state `holder` is its own), and exits 3 if one did.
 * With GO=1 in its environment it prints `ready` once the store is open and waits for a line on stdin before
 * taking the lock, and PAGE_DELAY_MS makes each page last that much longer: so that writers started together
 * really overlap unless the lock keeps them apart.
 */
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openPostgresStore } from '../../../packages/store/src/postgres/postgres-store';

const [url, schema, boardId, issueCount, holder] = process.argv.slice(2);
const PAGE = 50;

/** The board's content is a function of its id only, so a clean sync and a resumed one must store the same. */
function issue(n: number): { id: string; version: string; body: unknown } {
  return { id: String(n), version: `2025-03-${String(1 + (n % 28)).padStart(2, '0')}`, body: { key: `B${boardId}-${n}`, text: 'x'.repeat(1500 + (n % 97)), n } };
}

async function main(): Promise<void> {
  const store = await openPostgresStore(url!, { schema: schema! });
  const scope = await store.scope({ source: 'jira', site: 'https://kill.example', scope: boardId! });
  const total = Number(issueCount);
  if (process.env.GO === '1') {
    process.stdout.write('ready\n');
    const lines = createInterface({ input: process.stdin });
    await new Promise((resolve) => lines.once('line', resolve));
    // An open stdin would keep the process alive after the sync.
    lines.close();
    process.stdin.destroy();
  }
  const delay = Number(process.env.PAGE_DELAY_MS ?? 0);
  await scope.exclusive(
    async () => {
      process.stdout.write('locked\n');
      if (holder !== undefined) await scope.setState('holder', holder);
      let page = (await scope.getState<number>('cursor')) ?? 0;
      for (; page * PAGE < total; page += 1) {
        const docs = Array.from({ length: Math.min(PAGE, total - page * PAGE) }, (_, k) => issue(page * PAGE + k + 1));
        await scope.transaction(async (tx) => {
          if (holder !== undefined && (await tx.getState('holder')) !== holder) {
            process.stdout.write('interleaved\n');
            process.exit(3);
          }
          await tx.putDocs('staged-issue', docs);
          await tx.setState('cursor', page + 1);
          if (delay > 0) await sleep(delay);
        });
        process.stdout.write(`page ${page + 1}\n`);
      }
      await scope.transaction(async (tx) => {
        const staged = [...(await tx.docVersions('staged-issue')).keys()];
        await tx.moveDocs('staged-issue', 'issue', staged);
        const sprints = [1, 2, 3].map((n) => ({ id: String(n), version: null, body: { name: `Sprint ${n}`, end: `2025-0${n}-14` } }));
        await tx.replaceDocs('sprint', sprints);
        await tx.recordSnapshots('sprint', sprints.map((s) => ({ id: s.id, field: 'endDate', value: (s.body as { end: string }).end })), '2025-04-01T00:00:00Z');
        const ids = [...(await tx.docVersions('issue')).keys()];
        await tx.putCompiled('issue', 'f1', ids.map((id) => ({ id, body: { compiled: id } })));
        await tx.setState('watermark', '2025-04-01T00:00:00.000Z');
        await tx.setState('cursor', undefined);
        await tx.setState('holder', undefined);
      });
    },
    { waitMs: 60_000 },
  );
  await store.close();
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
