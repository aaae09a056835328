import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { EdgeContext } from '../context.js';
import { countReason } from '../counters.js';
import { notFound, sendError } from '../http-errors.js';
import { FlvViewer, type FlvOutput } from '../viewers/flv-viewer.js';

/** `/:app/:name.flv` -> app and stream, or undefined for anything else. */
function parseFlvPath(params: unknown): { app: string; stream: string } | undefined {
  const p = params as { app?: string; file?: string };
  if (!p.app || !p.file || !p.file.endsWith('.flv')) return undefined;
  const stream = p.file.slice(0, -4);
  return stream ? { app: p.app, stream } : undefined;
}

/** HTTP response output: chunked body; each tag's buffers corked into one chunk. */
function httpOutput(reply: FastifyReply): FlvOutput {
  const res = reply.raw;
  return {
    write(bufs) {
      if (res.destroyed) return;
      res.cork();
      for (const b of bufs) res.write(b);
      res.uncork();
    },
    backlog: () => res.writableLength + (res.socket?.writableLength ?? 0),
    end: () => res.end(),
    destroy: () => res.destroy(),
  };
}

/** WebSocket output: each tag is one binary message sent as fragments, so the body is never copied. */
function wsOutput(ws: WebSocket): FlvOutput {
  return {
    write(bufs) {
      if (ws.readyState !== ws.OPEN) return;
      for (let i = 0; i < bufs.length; i++) ws.send(bufs[i]!, { binary: true, fin: i === bufs.length - 1, compress: false });
    },
    backlog: () => ws.bufferedAmount,
    end: () => ws.close(1000, 'stream ended'),
    destroy: () => ws.terminate(),
  };
}

/**
 * HTTP-FLV (`GET /:app/:stream.flv`) and WS-FLV (the same path upgraded to WebSocket).
 * Unknown or ended streams: 404 (HTTP) or close code 4404 (WS).
 */
export async function httpFlvPlugin(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  const { bus, viewers, counters, logger } = ctx;

  const start = (protocol: 'http-flv' | 'ws-flv', remote: string, key: { app: string; stream: string }, out: FlvOutput): FlvViewer | 'not_found' | 'limit' => {
    const live = bus.get(key.app, key.stream);
    if (!live) return 'not_found';
    const id = viewers.newId(protocol === 'http-flv' ? 'flv' : 'wsflv');
    const log = logger.child({ conn: id });
    const viewer = new FlvViewer(id, protocol, remote, live, out, (v, reason) => {
      viewers.remove(v);
      if (reason === 'slow') counters.viewersClosedSlow++;
      log.info({ reason, bytesOut: v.bytesOut(), dropped: v.dropped() }, 'closed');
    });
    const sub = live.subscribe(viewer);
    if (!sub) return 'limit';
    viewer.attach(sub);
    viewers.add(viewer);
    log.info({ remote, protocol, stream: live.key }, 'opened');
    return viewer;
  };

  const httpHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    const key = parseFlvPath(req.params);
    if (!key) return notFound(reply);
    const live = bus.get(key.app, key.stream);
    if (!live) {
      countReason(counters.viewersRefused, 'not_found');
      return notFound(reply, `${key.app}/${key.stream} is not live`);
    }
    if (live.subscriberCount >= bus.limits.maxSubscribersPerStream) {
      countReason(counters.viewersRefused, 'limit');
      return sendError(reply, 'TOO_MANY_VIEWERS', `${key.app}/${key.stream} has too many viewers`);
    }
    reply.hijack();
    const res = reply.raw;
    res.socket?.setNoDelay(true);
    res.writeHead(200, {
      'content-type': 'video/x-flv',
      'cache-control': 'no-cache, no-store',
      'access-control-allow-origin': ctx.config.http.corsOrigin,
      connection: 'keep-alive',
    });
    const v = start('http-flv', req.ip, key, httpOutput(reply));
    if (typeof v === 'string') {
      countReason(counters.viewersRefused, v);
      res.end();
      return;
    }
    res.on('close', () => v.disconnected());
  };

  const wsHandler = (socket: WebSocket, req: FastifyRequest) => {
    const key = parseFlvPath(req.params);
    const v = key ? start('ws-flv', req.ip, key, wsOutput(socket)) : 'not_found';
    if (typeof v === 'string') {
      countReason(counters.viewersRefused, v);
      socket.close(v === 'not_found' ? 4404 : 4503, v === 'not_found' ? 'stream is not live' : 'too many viewers');
      return;
    }
    socket.on('close', () => v.disconnected());
    socket.on('message', () => {}); // viewers have nothing to say; data is ignored
  };

  app.route({ method: 'GET', url: '/:app/:file', handler: httpHandler, wsHandler });
}
