'use strict';
/**
 * Child process of crash-safety.test.ts: commits three documents and a watermark, then dies by SIGKILL in the
 * middle of a large transaction, after SQLite has already spilled some of its uncommitted pages into the WAL
 * file (the case a crash can get wrong). It prints how far it got just before dying.
 *
 * Usage: node crash-mid-transaction.js <directory of the compiled store> <store file>
 */
const { statSync, writeSync } = require('node:fs');
const { openStore } = require(process.argv[2]);

const file = process.argv[3];
const store = openStore(file);
const scope = store.scope({ source: 'jira', site: 'https://crash.example', scope: '7' });
scope.putDocs('issue', [
  { id: 'A-1', version: '1', body: { summary: 'first' } },
  { id: 'A-2', version: '1', body: { summary: 'second' } },
  { id: 'A-3', version: '1', body: { summary: 'third' } },
]);
scope.setState('watermark', '2025-03-01T00:00:00.000Z');

const padding = 'x'.repeat(2000);
scope.transaction(() => {
  scope.putDocs('issue', [{ id: 'A-1', version: '2', body: { summary: 'overwritten, never committed' } }]);
  scope.deleteDocs('issue', ['A-2']);
  scope.setState('watermark', 'never committed');
  scope.recordSnapshots('sprint', [{ id: '1', field: 'endDate', value: '2025-03-14' }], '2025-03-01T00:00:00Z');
  for (let batch = 1; ; batch += 1) {
    scope.putDocs(
      'issue',
      Array.from({ length: 500 }, (_, index) => ({ id: `B-${batch}-${index}`, version: '1', body: { padding } })),
    );
    const walBytes = statSync(`${file}-wal`).size;
    if (walBytes > 8 * 1024 * 1024 || batch >= 200) {
      // Synchronous write: the process gets no chance to flush anything after the kill.
      writeSync(1, `${JSON.stringify({ walBytes, uncommittedDocs: batch * 500 })}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  }
});
