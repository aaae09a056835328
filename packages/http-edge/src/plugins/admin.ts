import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EdgeContext } from '../context.js';
import { notFound, sendError } from '../http-errors.js';
import { sameSecret } from '../access/stream-keys.js';
import { WorkerViewer } from '../workers/viewer-workers.js';

const StreamParams = z.object({ app: z.string().min(1).max(128), stream: z.string().min(1).max(128) });
const ViewerParams = z.object({ id: z.string().min(1).max(64) });

/** One viewer as the admin API lists it. */
export interface AdminViewer {
  id: string;
  protocol: string;
  stream: string;
  address: string;
  bytesOut: number;
  /** The viewer worker serving it (config viewers.workers), absent when the main process does. */
  worker?: number;
}

/** Every kickable viewer: HTTP-FLV / WS-FLV from the registry, RTMP players from the server. */
export function listViewers(ctx: EdgeContext): AdminViewer[] {
  const out: AdminViewer[] = [];
  for (const v of ctx.viewers.all()) {
    out.push({ id: v.id, protocol: v.protocol, stream: v.stream, address: v.remoteAddress, bytesOut: v.bytesOut(), ...(v instanceof WorkerViewer ? { worker: v.worker } : {}) });
  }
  if (ctx.rtmp) {
    for (const s of ctx.rtmp.sessions()) {
      if (s.role === 'player') out.push({ id: s.id, protocol: s.protocol, stream: s.streamKey ?? '', address: s.remoteAddress, bytesOut: s.bytesOut });
    }
  }
  return out;
}

/**
 * The admin API, behind `Authorization: Bearer <admin.token>`:
 * `GET /api/publishers`, `GET /api/viewers`, `DELETE /api/streams/:app/:stream` (kick the publisher),
 * `DELETE /api/viewers/:id` (kick one viewer). Without admin.token the routes answer 404: disabled, not open.
 */
export async function adminPlugin(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  const token = ctx.config.admin.token;
  const log = ctx.logger.child({ component: 'admin' });

  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    if (token === null) return notFound(reply, 'the admin API is disabled (set admin.token)');
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (!given || !sameSecret(given, token)) {
      reply.header('www-authenticate', 'Bearer realm="livegate"');
      return sendError(reply, 'UNAUTHORIZED', 'a valid admin bearer token is needed');
    }
  };

  app.get('/api/publishers', { onRequest: guard }, async () => ({
    publishers: [...ctx.bus.streams()].map((s) => ({
      id: s.publisher.id,
      app: s.app,
      stream: s.name,
      protocol: s.publisher.protocol,
      address: s.publisher.remoteAddress,
      bytesIn: s.stats.bytesIn,
      uptimeMs: Math.round(ctx.bus.now() - s.startedAt),
    })),
  }));

  app.get('/api/viewers', { onRequest: guard }, async () => ({ viewers: listViewers(ctx) }));

  app.delete('/api/streams/:app/:stream', { onRequest: guard }, async (req, reply) => {
    const p = StreamParams.safeParse(req.params);
    if (!p.success || !ctx.bus.kick(p.data.app, p.data.stream)) return notFound(reply, 'stream is not live');
    log.info({ stream: `${p.data.app}/${p.data.stream}` }, 'publisher kicked');
    return reply.code(204).send();
  });

  app.delete('/api/viewers/:id', { onRequest: guard }, async (req, reply) => {
    const p = ViewerParams.safeParse(req.params);
    if (!p.success) return notFound(reply, 'no such viewer');
    const id = p.data.id;
    const http = ctx.viewers.get(id);
    if (http) {
      http.close('kicked');
    } else {
      const s = ctx.rtmp ? [...ctx.rtmp.sessions()].find((x) => x.id === id && x.role === 'player') : undefined;
      if (!s) return notFound(reply, 'no such viewer');
      s.close('kicked by admin');
    }
    log.info({ viewer: id }, 'viewer kicked');
    return reply.code(204).send();
  });
}
