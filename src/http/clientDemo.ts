import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { projectRoot } from '../projectRoot.ts';
import { errorBody } from './plumbing/errorResponses.ts';

/** Where `npm run build:client` (Vite) writes the browser demo from client-demo/. */
export const CLIENT_DEMO_DIR = join(projectRoot, 'dist', 'client-demo');

/**
 * The browser demo at `/`. Vite names bundles by content hash, so they are cached for a year;
 * index.html is revalidated so a rebuilt demo shows up on the next load.
 */
export function clientDemo(): Router {
  const router = Router();
  router.use('/assets', express.static(join(CLIENT_DEMO_DIR, 'assets'), { immutable: true, maxAge: '365d' }));
  router.get('/', (_req, res) => {
    const page = join(CLIENT_DEMO_DIR, 'index.html');
    // Checked per request: `npm run dev:client` may build it after the server started.
    if (!existsSync(page)) {
      res.status(503).json(errorBody('client_demo_not_built', 'The client demo is not built: run `npm run build:client`'));
      return;
    }
    res.sendFile(page, { headers: { 'cache-control': 'no-cache' } });
  });
  return router;
}
