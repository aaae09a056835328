/**
 * The watch page's test hooks (`window.__livegate`, see packages/web-player/src/watch-page.ts), for
 * page.evaluate callbacks in the browser tests. Declared here, not imported, so the test type-check
 * does not pull the browser bundle's sources in.
 */
export {};

declare global {
  interface Window {
    __livegate?: {
      protocol: string;
      engine: string | undefined;
      state: string;
      startupMs: number | undefined;
      reconnects: number;
    };
  }
}
