// Run as a child process by embeddedPostgres.ts (`node embeddedPostgresInit.ts <dataDir>`): creates
// the embedded database's files in a new folder and exits. initdb takes hundreds of MB; in a process
// of its own all of it goes back to the system when it ends (a worker thread's goes back to the
// server's allocator, which keeps much of it: ~100 MB more RSS for the server's whole life).
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_START_PARAMS } from './pgliteStartParams.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: embeddedPostgresInit <dataDir>');
const db = await PGlite.create(dataDir, { startParams: PGLITE_START_PARAMS });
await db.close();
