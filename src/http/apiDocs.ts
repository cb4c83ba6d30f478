import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { openApiDocument } from './openApiDocument.ts';
import { protocolDocument } from './protocolDocument.ts';

/** Swagger UI's files, from the swagger-ui-dist package: served by this process, never a CDN. */
const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/**
 * Swagger UI on the document, at /docs/. Every URL is relative, so the page also works behind a
 * proxy that serves this server under a path. Its start is a script file of its own, not an
 * inline script, so the Content-Security-Policy needs no 'unsafe-inline' (securityHeaders.ts).
 */
const SWAGGER_UI_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Labyrinth realtime server: API</title>
  <link rel="stylesheet" href="./swagger-ui.css">
  <link rel="stylesheet" href="./index.css">
  <link rel="icon" type="image/png" href="./favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="./swagger-ui-bundle.js"></script>
  <script src="./swagger-ui-standalone-preset.js"></script>
  <script src="./labyrinth-docs.js"></script>
</body>
</html>
`;

/** No validator badge: it would load an image from validator.swagger.io. */
const SWAGGER_UI_START = `window.ui = SwaggerUIBundle({
  url: '../openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

/** The API described: the OpenAPI 3.1 document at /openapi.json, Swagger UI at /docs, and the room protocol at /protocol.json. */
export function apiDocs(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  router.get('/protocol.json', (_req, res) => {
    res.json(protocolDocument());
  });
  router.get('/docs', (req, res) => {
    // The page's relative URLs need the trailing slash. A relative redirect (/docs → /docs/) keeps
    // any path a proxy put in front.
    if (!req.path.endsWith('/')) {
      res.redirect(301, 'docs/');
      return;
    }
    res.type('html').set('cache-control', 'no-cache').send(SWAGGER_UI_PAGE);
  });
  router.get('/docs/labyrinth-docs.js', (_req, res) => {
    res.type('text/javascript').set('cache-control', 'no-cache').send(SWAGGER_UI_START);
  });
  router.use('/docs', express.static(SWAGGER_UI_DIR, { index: false, redirect: false, maxAge: '1d' }));
  return router;
}
