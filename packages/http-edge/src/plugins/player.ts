import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { distDir } from '@livegate/web-player';
import type { EdgeContext } from '../context.js';

/** Where the built player's assets are served; app names `static`, `watch` and `api` are therefore reserved for pages. */
export const PLAYER_STATIC_PREFIX = '/static/';

/**
 * Content-Security-Policy of the pages: scripts, styles and connections only from this origin
 * (so even a rendering bug cannot run injected script), media from MSE blob: URLs, hls.js's worker from blob:.
 */
export const PLAYER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** What the list page shows publishers (the RTMP port to put in OBS). */
export function playerConfig(ctx: EdgeContext) {
  const rtmps = ctx.config.rtmps.cert && ctx.config.rtmps.key ? ctx.config.rtmps.port : null;
  return { rtmpPort: ctx.config.rtmp.port || 1935, rtmpsPort: rtmps };
}

/**
 * The web player (packages/web-player, one page app): `GET /` (live streams), `GET /watch/:app/:stream`
 * (player, chat, danmaku), assets under `/static/`, and `GET /api/player-config`.
 * When the player was not built, the pages answer 503 with the build command.
 */
export async function playerPlugin(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  const log = ctx.logger.child({ component: 'player' });
  const indexHtml = join(distDir, 'index.html');
  const staticRoot = join(distDir, 'static');
  const built = existsSync(indexHtml) && existsSync(staticRoot);
  if (!built) log.warn({ distDir }, 'web player not built: run `npm run build -w @livegate/web-player`');
  else {
    await app.register(fastifyStatic, {
      root: staticRoot,
      prefix: PLAYER_STATIC_PREFIX,
      decorateReply: false,
      index: false,
      // Asset names are fixed (app.js, style.css): browsers revalidate with the ETag.
      cacheControl: true,
      maxAge: 0,
    });
  }

  const page = async (reply: FastifyReply) => {
    let html: string;
    try {
      html = await readFile(indexHtml, 'utf8');
    } catch {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web player is not built. Run: npm run build -w @livegate/web-player\n');
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', PLAYER_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(html);
  };

  app.get('/', (_req, reply) => page(reply));
  app.get('/watch/:app/:stream', (_req, reply) => page(reply));
  app.get('/api/player-config', async () => playerConfig(ctx));
}
