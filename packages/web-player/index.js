import { fileURLToPath } from 'node:url';

/** Absolute path of the built web player (index.html and /static assets); `npm run build -w @livegate/web-player` fills it. */
export const distDir = fileURLToPath(new URL('./dist/', import.meta.url));
