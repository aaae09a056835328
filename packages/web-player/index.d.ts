/** Absolute path of the built web player (index.html and /static assets); `npm run build -w @livegate/web-player` fills it. */
export declare const distDir: string;
