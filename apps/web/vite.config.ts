import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const moneySrc = fileURLToPath(new URL('../../packages/money/src', import.meta.url));

/**
 * In production apps/stack/src/web-server.ts answers /config.js with the gateway URL. The dev
 * server has no such route, so serve an equivalent (PUPERO_API_URL or the default gateway port).
 */
function devConfigScript(): Plugin {
  return {
    name: 'pupero-dev-config',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use('/config.js', (_req, res) => {
        res.setHeader('content-type', 'application/javascript');
        res.end(`window.PUPERO_CONFIG = ${JSON.stringify({ apiUrl: process.env.PUPERO_API_URL ?? 'http://localhost:8000' })};`);
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), devConfigScript()],
  resolve: {
    // Only the dependency-free decimal helpers of @pupero/money are bundled (its index pulls zod).
    alias: { '@money': moneySrc },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: { port: 5173, fs: { allow: ['../..'] } },
});
