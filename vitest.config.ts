import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources of every package, not dist/.
    alias: {
      '@livegate/ingest': src('ingest'),
      '@livegate/remux': src('remux'),
      '@livegate/http-edge': src('http-edge'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Three test files at a time, whatever the core count (vitest's default is cores - 1: one file at a
    // time on a 2-core CI machine). The real-client files mostly wait on real time (ffmpeg -re, Chromium
    // playback, slow-viewer windows), not on the CPU: on 2 cores three at a time take the suite from
    // ~340 s to ~120 s with each file's own duration unchanged (bench-smoke, ~104 s, is then the bound).
    maxWorkers: 3,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
