// `npm run lint` runs dependency-cruiser with these rules: the one-way dependencies that
// docs/architecture.md draws, checked on every import (type-only ones included), so an arrow the
// wrong way fails lint and CI. Paths are relative to the project folder. Why dependency-cruiser:
// docs/dependencies.md.

/** Folders beside the layers: services and infrastructure that the HTTP edge, rooms and the wiring use. */
const BESIDE = 'src/(content|identity|cluster|metrics|overload|ownership|upstream)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    // The layers: src/http → rooms → src/sessions → src/database, the pure src/game and src/maze at the bottom.
    {
      name: 'maze-is-the-bottom',
      comment: 'src/maze is the maze engine, pure: it imports nothing else of ours.',
      severity: 'error',
      from: { path: '^src/maze/' },
      to: { path: '^(src|rooms)/', pathNot: '^src/maze/' },
    },
    {
      name: 'game-rules-are-pure',
      comment: 'src/game holds the rules, pure: only the maze and the coded errors (src/domainErrors.ts) below it.',
      severity: 'error',
      from: { path: '^src/game/' },
      to: { path: '^(src|rooms)/', pathNot: '^src/(game/|maze/|domainErrors\\.ts$)' },
    },
    {
      name: 'pure-code-has-no-io',
      comment: 'src/game and src/maze touch no database, network, file or framework: only Node crypto (seeds) and seedrandom.',
      severity: 'error',
      from: { path: '^src/(game|maze)/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'core'], pathNot: '^(crypto|node_modules/seedrandom/)' },
    },
    {
      name: 'database-below-everything-that-uses-it',
      comment: 'src/database (entities, migrations, opening the database) knows nothing of the services, rooms or HTTP above it.',
      severity: 'error',
      from: { path: '^src/database/' },
      to: { path: `^(rooms/|src/(http|sessions)/|${BESIDE})`, pathNot: '^src/upstream/' },
    },
    {
      name: 'sessions-below-rooms',
      comment: 'src/sessions is persistence only: rooms and HTTP call it, never the reverse.',
      severity: 'error',
      from: { path: '^src/sessions/' },
      to: { path: '^(rooms|src/http)/' },
    },
    {
      name: 'rooms-below-http',
      comment: 'Rooms know nothing of Express or the edge: HTTP reaches rooms through rooms/SessionRooms.ts.',
      severity: 'error',
      from: { path: '^rooms/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'beside-never-reaches-up',
      comment: 'The services and infrastructure beside the layers are used by rooms, HTTP and the wiring, never the reverse.',
      severity: 'error',
      from: { path: `^${BESIDE}` },
      to: { path: '^(rooms|src/http)/' },
    },
    {
      name: 'upstream-workarounds-stand-alone',
      comment: 'src/upstream holds workarounds for packages we depend on, each deletable on its own: they import only the logger of ours.',
      severity: 'error',
      from: { path: '^src/upstream/' },
      to: { path: '^(src|rooms)/', pathNot: '^src/(upstream/|logger\\.ts$)' },
    },
    {
      name: 'only-the-wiring-imports-the-app',
      comment: 'src/app.ts wires everything; within the server only src/index.ts imports it.',
      severity: 'error',
      from: { path: '^(src|rooms)/', pathNot: '^src/index\\.ts$' },
      to: { path: '^src/(app|index)\\.ts$' },
    },
    // Inside src/http: plumbing (route tables, OpenAPI paths, errors) below the APIs and the edge,
    // the top-level files (mountHttpRoutes.ts, openApiDocument.ts, …) above them all.
    {
      name: 'http-plumbing-below-the-apis',
      comment: 'src/http/plumbing is what every API is built from: it imports no API and nothing that assembles them.',
      severity: 'error',
      from: { path: '^src/http/plumbing/' },
      to: { path: '^src/http/', pathNot: '^src/http/(plumbing|edge)/' },
    },
    {
      name: 'http-parts-below-the-assembly',
      comment: 'The files at the top of src/http assemble the four folders; no folder imports them.',
      severity: 'error',
      from: { path: '^src/http/[^/]+/' },
      to: { path: '^src/http/[^/]+\\.ts$' },
    },
    {
      name: 'rest-api-apart-from-the-old-one',
      comment: 'The REST API does not depend on the old API (the old one may reuse the REST schemas).',
      severity: 'error',
      from: { path: '^src/http/rest/' },
      to: { path: '^src/http/legacy/' },
    },
    {
      name: 'edge-apart-from-the-apis',
      comment: 'src/http/edge screens requests and sockets before any route: it knows no route of either API.',
      severity: 'error',
      from: { path: '^src/http/edge/' },
      to: { path: '^src/http/(rest|legacy)/' },
    },
    // The browser demo is bundled for the browser: from the server it takes types, and at run time
    // only pure code and the close codes.
    {
      name: 'browser-bundle-takes-only-pure-server-code',
      comment: 'client-demo imports server modules as types only, except the pure src/game and src/maze and rooms/closeCodes.ts.',
      severity: 'error',
      from: { path: '^client-demo/' },
      to: { path: '^(src|rooms)/', pathNot: '^(src/(game|maze)/|rooms/closeCodes\\.ts$)', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    // Type-only imports count: a type is a dependency too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|client-demo/dist)/' },
  },
};
