import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { manifest } from './src/manifest';

// The page is built by Vite; sw/sw.ts is compiled by vite-plugin-pwa (injectManifest) with the
// precache list injected. Registration is ours (src/pwa/), so the plugin injects nothing.
export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest,
      // Screenshots are for the install sheet only: not worth a download on every install.
      injectManifest: { globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,woff2}'], globIgnores: ['screenshots/**'] },
    }),
  ],
  build: { target: 'es2022', sourcemap: true },
  server: { proxy: { '/api': 'http://localhost:8080' } },
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'server', include: ['tests/server/**/*.test.ts'], testTimeout: 20_000 } },
      {
        // The same API tests against Postgres (the machine's server on 127.0.0.1:5432, a schema per test server).
        extends: true,
        test: {
          name: 'server-postgres',
          include: [
            'tests/server/sync.test.ts',
            'tests/server/accounts.test.ts',
            'tests/server/pairing-migration.test.ts',
            'tests/server/legacy-minutes.test.ts',
            'tests/server/hostile-sync.test.ts',
            'tests/server/account-deletion.test.ts',
            'tests/server/push-subscriptions.test.ts',
            'tests/server/push-delivery.test.ts',
            'tests/server/push-triggers.test.ts',
            'tests/server/push-jobs.test.ts',
            'tests/server/rate-limits.test.ts',
            'tests/server/backups.test.ts',
            'tests/server/hostile-backups.test.ts',
            'tests/server/routes-table.test.ts',
          ],
          env: { STEADY_TEST_DB: 'postgres' },
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // Each file drives its own Chromium; two cores run one browser at a time best.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
