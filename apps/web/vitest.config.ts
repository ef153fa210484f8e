import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The root vitest config excludes apps/web (browser code); its pure unit tests run from here:
//   npx vitest run --root apps/web
export default defineConfig({
  resolve: { alias: { '@money': fileURLToPath(new URL('../../packages/money/src', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    maxWorkers: 1,
  },
});
