import { z } from 'zod';
import { errorResponse } from './plumbing/errorSchemas.ts';
import { documentedAccess, type DocumentedPaths } from './plumbing/openApiPaths.ts';
import { errors, file } from './plumbing/openApiResponses.ts';
import { mazeTile } from './rest/restApiSchemas.ts';

// What the document says about the paths served by mounted apps and file folders rather than a
// route table (see mountHttpRoutes.ts): the tiles, the client demo, the Colyseus tools, the docs.

const tag = 'operations';
const adminOnly = documentedAccess('admin', errorResponse);

export const mountedAppPaths: DocumentedPaths = {
  '/tiles/{name}': {
    get: {
      tags: [tag],
      summary: 'A tile image (PNG, 256×256)',
      requestParams: { path: z.object({ name: mazeTile.shape.image }) },
      responses: { 200: file(['image/png'], 'The image.'), ...errors(errorResponse, { 404: 'No such image (`route_not_found`).' }) },
    },
  },
  '/': {
    get: {
      tags: [tag],
      summary: 'The browser client demo',
      responses: {
        200: file(['text/html'], 'The demo page.'),
        ...errors(errorResponse, { 503: 'The demo is not built (`client_demo_not_built`): run `npm run build:client`.' }),
      },
    },
  },
  '/assets/{file}': {
    get: {
      tags: [tag],
      summary: "The client demo's bundles (named by content hash)",
      requestParams: { path: z.object({ file: z.string() }) },
      responses: { 200: file(['text/javascript', 'text/css'], 'A script or style sheet.'), ...errors(errorResponse, { 404: 'No such file.' }) },
    },
  },
  '/monitor': {
    get: {
      tags: [tag],
      summary: 'The Colyseus monitor: rooms, clients and state (admin)',
      security: adminOnly.security,
      responses: { 200: file(['text/html'], 'The monitor.'), ...adminOnly.responses },
    },
  },
  '/playground': {
    get: {
      tags: [tag],
      summary: 'The Colyseus playground (admin; only with NODE_ENV=development)',
      security: adminOnly.security,
      responses: { 200: file(['text/html'], 'The playground.'), ...adminOnly.responses },
    },
  },
  '/docs': {
    get: { tags: [tag], summary: 'This document, readable (Swagger UI)', responses: { 200: file(['text/html'], 'Swagger UI.') } },
  },
  '/docs/labyrinth-docs.js': {
    get: {
      tags: [tag],
      summary: "Swagger UI's start: loads this document (a file, so the Content-Security-Policy allows no inline script)",
      responses: { 200: file(['text/javascript'], 'The script.') },
    },
  },
  '/openapi.json': {
    get: {
      tags: [tag],
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
  '/protocol.json': {
    get: {
      tags: [tag],
      summary: "The room's protocol: join options and messages as JSON Schema, close codes and join errors",
      description:
        'Generated from the zod schemas the room validates with, so engine developers can type the messages with a JSON Schema code generator; docs/engines.md.',
      responses: { 200: { description: 'A JSON Schema (2020-12) document.', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
};
