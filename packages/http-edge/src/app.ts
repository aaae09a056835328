import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { EdgeContext } from './context.js';
import { apiPlugin } from './plugins/api.js';
import { adminPlugin } from './plugins/admin.js';
import { metricsPlugin } from './plugins/metrics.js';
import { httpFlvPlugin } from './plugins/http-flv.js';
import { hlsPlugin } from './plugins/hls.js';
import { chatPlugin } from './plugins/chat.js';
import { playerPlugin } from './plugins/player.js';
import { notFound } from './http-errors.js';
import { countReason } from './counters.js';

/**
 * Build the Fastify app (not listening): every feature is a plugin over the shared context.
 * Tests call this and use `app.inject()`; the gateway calls `listen`.
 */
export async function buildApp(ctx: EdgeContext): Promise<FastifyInstance> {
  let nextReq = 1;
  const http = ctx.config.http;
  const app = Fastify({
    loggerInstance: ctx.logger.child({ component: 'http' }) as FastifyBaseLogger,
    // Per-request logs would be one line per HLS fetch; viewers log opened/closed instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => `http-${(nextReq++).toString(36)}`,
    // Stream names may contain dots and other characters; a bad path is a 404, never a crash.
    routerOptions: { maxParamLength: 256, ignoreDuplicateSlashes: true },
    return503OnClosing: true,
    // Slow or idle HTTP clients (slowloris): these bound only what the client sends. A live
    // HTTP-FLV response is hijacked and sent for as long as the stream runs; no timeout cuts it.
    connectionTimeout: 0,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    http: { headersTimeout: http.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs) },
  });
  app.server.maxConnections = http.maxConnections;
  app.server.on('drop', () => countReason(ctx.counters.viewersRefused, 'http_limit'));
  // Fan-outs in the middle of a pass let the event loop turn while connections keep coming (one accept per turn).
  app.server.on('connection', () => ctx.bus.pacer.noteAccepted());
  app.addHook('onRequest', async (req, reply) => {
    reply.header('access-control-allow-origin', ctx.config.http.corsOrigin);
    if (req.method === 'OPTIONS') {
      reply
        .header('access-control-allow-methods', 'GET, HEAD, POST, DELETE, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type, range')
        .header('access-control-max-age', '86400')
        .code(204)
        .send();
    }
  });
  app.setNotFoundHandler((req, reply) => notFound(reply, `no route for ${req.method} ${req.url.split('?')[0]}`));
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(apiPlugin, ctx);
  await app.register(adminPlugin, ctx);
  await app.register(metricsPlugin, ctx);
  await app.register(httpFlvPlugin, ctx);
  await app.register(hlsPlugin, ctx);
  await app.register(chatPlugin, ctx);
  await app.register(playerPlugin, ctx);
  return app;
}
