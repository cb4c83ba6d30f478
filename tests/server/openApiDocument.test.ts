import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColyseusTestServer } from '@colyseus/testing';
import { openApiDocument } from '../../src/http/openApiDocument.ts';
import { projectRoot } from '../../src/projectRoot.ts';
import { assertDocumentedResponse, documentedPathOf } from '../support/documentedResponses.ts';
import { request } from '../support/httpClient.ts';
import { bootTestServer, TEST_BASE_URL } from '../support/testServer.ts';

/** One layer of an Express 5 router stack (the router package's Layer). */
type Layer = {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
};

/** What Express serves: each route with its methods, and each mount (static files, sub-apps). */
function servedByExpress(stack: Layer[], prefix = ''): { routes: string[]; mounts: string[] } {
  const routes: string[] = [];
  const mounts: string[] = [];
  for (const layer of stack) {
    const path = prefix + (layer.rawPath === '/' ? '' : (layer.rawPath ?? ''));
    if (layer.route) {
      // Express writes parameters as :name, OpenAPI as {name}.
      const template = (prefix + layer.route.path).replace(/:(\w+)/g, '{$1}');
      routes.push(...Object.keys(layer.route.methods).map((method) => `${method} ${template}`));
    } else if (layer.handle.stack) {
      const nested = servedByExpress(layer.handle.stack, path);
      routes.push(...nested.routes);
      mounts.push(...nested.mounts);
    } else if (path !== '') {
      mounts.push(path);
    }
  }
  return { routes, mounts };
}

describe('OpenAPI document', () => {
  let server: ColyseusTestServer;
  const document = openApiDocument();
  const paths = Object.keys(document.paths ?? {});

  before(async () => {
    server = await bootTestServer();
  });
  after(async () => {
    await server.shutdown();
  });

  it('describes every route and every mounted app or file folder the server serves', async () => {
    const app = await server.server.transport.getExpressApp!();
    const { routes, mounts } = servedByExpress((app as unknown as { router: { stack: Layer[] } }).router.stack);
    assert.ok(routes.length > 25 && mounts.length >= 4, `found only ${routes.length} routes and ${mounts.length} mounts`);

    const documented = paths.flatMap((path) => Object.keys(document.paths![path]!).map((method) => `${method} ${path}`));
    assert.deepEqual(
      routes.filter((route) => !documented.includes(route)),
      [],
      'routes missing from the document',
    );
    const undocumentedMounts = mounts.filter((mount) => !paths.some((path) => path === mount || path.startsWith(`${mount}/`)));
    assert.deepEqual(undocumentedMounts, [], 'mounted apps or folders missing from the document');
  });

  it('is served at /openapi.json as OpenAPI 3.1, the same document the server generates', async () => {
    const response = await request('GET', '/openapi.json');
    assert.equal(response.status, 200);
    assert.equal(response.body.openapi, '3.1.0');
    assert.deepEqual(response.body, JSON.parse(JSON.stringify(document)));
    for (const scheme of ['adminBasic', 'adminBearer', 'metricsToken']) {
      assert.ok(response.body.components.securitySchemes[scheme], scheme);
    }
    assert.match(response.body.info.description, /\/ws\/\{session_id\}/);
  });

  it('sends readers of /docs to documentation headings that exist', () => {
    const references = [...(document.info.description ?? '').matchAll(/(README|docs\/[\w-]+\.md)\W+\("([^"]+)"\)/g)];
    assert.ok(references.length > 0, 'the description names no documentation heading');
    for (const [, file, heading] of references) {
      const headings = readFileSync(join(projectRoot, file === 'README' ? 'README.md' : file!), 'utf8').match(/^#+ .*$/gm) ?? [];
      assert.ok(
        headings.some((line) => line.replace(/^#+ /, '') === heading),
        `${file} has no heading "${heading}"`,
      );
    }
  });

  it('shows Swagger UI at /docs with files from this server only (no CDN)', async () => {
    const redirect = await fetch(`${TEST_BASE_URL}/docs`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), 'docs/');
    const page = await fetch(`${TEST_BASE_URL}/docs/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    assert.ok(references.includes('./swagger-ui-bundle.js'), html);
    for (const reference of references) {
      assert.ok(reference.startsWith('./'), `${reference} is not served by this server`);
      assert.equal((await fetch(new URL(reference, `${TEST_BASE_URL}/docs/`))).status, 200, reference);
    }
    // Swagger UI's start is a file of its own (no inline script under the Content-Security-Policy).
    assert.ok(references.includes('./labyrinth-docs.js'), html);
    const start = await (await fetch(`${TEST_BASE_URL}/docs/labyrinth-docs.js`)).text();
    assert.match(start, /url: '\.\.\/openapi\.json'/);
  });

  it('turns down an answer that breaks it, so the HTTP tests notice any drift', () => {
    assert.equal(documentedPathOf('/api/sessions/5f0c'), '/api/sessions/{id}');
    assert.equal(documentedPathOf('/api/game_sessions/leave'), '/api/game_sessions/leave');
    const wellFormed = {
      id: '7f8c0600-2f1a-4c3e-9d2b-0a1b2c3d4e5f',
      labyrinthId: '7443124d-2f1a-4c3e-9d2b-0a1b2c3d4e5f',
      seed: 'abc',
      size: 8,
      startX: 1,
      startY: 2,
      fog: 'team',
      spectatorView: 'everything',
      maxPlayers: 8,
      visibility: 'public',
      code: null,
      phase: 'lobby',
      round: 1,
      createdAt: '2026-11-21T05:53:05.961Z',
    };
    assertDocumentedResponse('GET', '/api/sessions/x', 200, 'application/json', wellFormed);
    const { id: _, ...withoutId } = wellFormed;
    assert.throws(() => assertDocumentedResponse('GET', '/api/sessions/x', 200, 'application/json', withoutId), /breaks the document/);
    assert.throws(() => assertDocumentedResponse('GET', '/api/sessions/x', 200, 'application/json', { ...wellFormed, extra: 1 }), /breaks/);
    assert.throws(() => assertDocumentedResponse('GET', '/api/sessions/x', 418, 'application/json', {}), /does not list/);
    assert.throws(() => assertDocumentedResponse('GET', '/api/sessions/x', 200, 'text/html', '<p>'), /does not list/);
  });
});
