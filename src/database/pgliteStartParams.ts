import { PGlite } from '@electric-sql/pglite';

// PostgreSQL's default 128 MB of shared buffers is most of PGlite's memory, and the operating system
// caches the data files anyway; 16 MB holds a server's hot rows (players, sessions, the tiles being
// revealed). Otherwise PGlite's own settings: -F is its default (no fsync per commit).
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
