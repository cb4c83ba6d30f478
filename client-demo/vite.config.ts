import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `npm run build:client` bundles the demo into dist/client-demo, which the server serves at `/`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('../dist/client-demo', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
