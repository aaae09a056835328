import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { EdgeContext } from '../context.js';
import { countReason } from '../counters.js';
import { endWithError, notFound, sendError } from '../http-errors.js';
import { FlvFanouts, FlvViewer, type FlvOutput } from '../viewers/flv-fanout.js';
import { httpOutput } from '../viewers/http-output.js';
import type { ViewerInfo } from '../viewers/registry.js';
import { WorkerViewer } from '../workers/viewer-workers.js';
import type { Socket } from 'node:net';
import type { EdgeAccessRequest } from '../access/policy.js';

/** `/:app/:name.flv` -> app and stream, or undefined for anything else. */
function parseFlvPath(params: unknown): { app: string; stream: string } | undefined {
  const p = params as { app?: string; file?: string };
  if (!p.app || !p.file || !p.file.endsWith('.flv')) return undefined;
  const stream = p.file.slice(0, -4);
  return stream ? { app: p.app, stream } : undefined;
}

/**
 * WebSocket output: one binary message per batch, framed once per group by the fan-out (`wsBinaryFrame`)
 * and written straight to the upgraded socket. ws keeps the handshake, the client's frames (ping, close)
 * and its own replies; it writes each frame whole and without compression on this route, so the frames
 * cannot interleave, and none is written once ws has started closing.
 */
function wsOutput(ws: WebSocket, socket: Socket, noDelay: boolean): FlvOutput {
  socket.setNoDelay(noDelay);
  return {
    write: (b) => {
      if (ws.readyState === ws.OPEN && !socket.destroyed) socket.write(b);
    },
    backlog: () => socket.writableLength,
    end: () => ws.close(1000, 'stream ended'),
    destroy: () => ws.terminate(),
  };
}

/** Query string of a request URL, without `?` ('' when none). */
export function urlQuery(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/** Why an HTTP viewer was not started (also its livegate_connections_refused_total reason). */
type Refusal = { reason: 'not_found' | 'viewer_limit' | 'http_per_ip' | 'unauthorized'; message: string };

/**
 * HTTP-FLV (`GET /:app/:stream.flv`) and WS-FLV (the same path upgraded to WebSocket).
 * Unknown or ended streams: 404 (HTTP) or close code 4404 (WS). Refused by the access policy:
 * 403 / 4403. Viewer limits (per stream, per IP): 503 / 4503.
 */
export async function httpFlvPlugin(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  const { bus, viewers, counters, logger, access } = ctx;
  const fanouts = new FlvFanouts(bus);
  const maxPerIp = ctx.config.viewers.maxPerIp;

  /** Limits and access policy, before anything is sent. `id` is the viewer's id if it starts. */
  const admit = async (protocol: 'http-flv' | 'ws-flv', id: string, remote: string, key: { app: string; stream: string }, url: string): Promise<EdgeAccessRequest | Refusal> => {
    const name = `${key.app}/${key.stream}`;
    const live = bus.get(key.app, key.stream);
    if (!live) return { reason: 'not_found', message: `${name} is not live` };
    if (live.viewerCount >= bus.limits.maxSubscribersPerStream) return { reason: 'viewer_limit', message: `${name} has too many viewers` };
    if (maxPerIp > 0 && viewers.countFrom(remote) >= maxPerIp) return { reason: 'http_per_ip', message: `${maxPerIp} viewers from one address at most` };
    const req: EdgeAccessRequest = { action: 'play', app: key.app, stream: key.stream, query: urlQuery(url), connectQuery: '', clientId: id, remoteAddress: remote, protocol };
    const verdict = await access.check(req);
    if (verdict !== true) {
      logger.info({ conn: id, remote, stream: name, why: verdict }, 'play refused');
      return { reason: 'unauthorized', message: verdict };
    }
    return req;
  };

  /**
   * Start the viewer: handed to a viewer worker (HTTP-FLV, when there are workers) or subscribed
   * here; a Refusal when the stream ended or filled up meanwhile.
   */
  const start = (req: EdgeAccessRequest, out: FlvOutput, socket?: Socket): FlvViewer | WorkerViewer | Refusal => {
    const live = bus.get(req.app, req.stream);
    if (!live) return { reason: 'not_found', message: `${req.app}/${req.stream} is not live` };
    const log = logger.child({ conn: req.clientId });
    const protocol = req.protocol as 'http-flv' | 'ws-flv';
    /** The viewer is gone, whatever the reason (here or in a worker). */
    const gone = (v: ViewerInfo, reason: string) => {
      viewers.remove(v);
      if (reason === 'slow') counters.viewersClosedSlow++;
      log.info({ reason, bytesOut: v.bytesOut(), dropped: v.dropped() }, 'closed');
      access.ended(req);
    };
    let viewer: FlvViewer | WorkerViewer | undefined = socket && ctx.workers?.hand(socket, req.clientId, live, req.remoteAddress, gone);
    if (!viewer) {
      const own = new FlvViewer(req.clientId, protocol, req.remoteAddress, live, fanouts.of(live, protocol), out, gone);
      if (!own.start()) return { reason: 'viewer_limit', message: `${live.key} has too many viewers` };
      viewer = own;
    }
    viewers.add(viewer);
    log.info({ remote: req.remoteAddress, protocol, stream: live.key, ...(viewer instanceof WorkerViewer ? { worker: viewer.worker } : {}) }, 'opened');
    return viewer;
  };

  const httpHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    const key = parseFlvPath(req.params);
    if (!key) return notFound(reply);
    const admitted = await admit('http-flv', viewers.newId('flv'), req.ip, key, req.url);
    if ('reason' in admitted) {
      countReason(counters.viewersRefused, admitted.reason);
      const name = admitted.reason === 'not_found' ? 'NOT_FOUND' : admitted.reason === 'unauthorized' ? 'FORBIDDEN' : 'TOO_MANY_VIEWERS';
      return sendError(reply, name, admitted.message);
    }
    if (req.raw.destroyed || req.raw.socket.destroyed) return; // left while the policy decided
    const live = bus.get(key.app, key.stream);
    if (!live) {
      countReason(counters.viewersRefused, 'not_found');
      return sendError(reply, 'NOT_FOUND', `${key.app}/${key.stream} is not live`);
    }
    reply.hijack();
    const socket = req.raw.socket;
    const v = start(admitted, httpOutput(socket, ctx.config.http.corsOrigin, ctx.config.viewers.tcpNoDelay), socket);
    if ('reason' in v) {
      countReason(counters.viewersRefused, v.reason);
      return endWithError(socket, v.reason === 'not_found' ? 'NOT_FOUND' : 'TOO_MANY_VIEWERS', v.message);
    }
    if (v instanceof FlvViewer) socket.on('close', () => v.disconnected()); // (a worker watches the sockets it was handed)
  };

  const wsHandler = async (socket: WebSocket, req: FastifyRequest) => {
    socket.on('message', () => {}); // viewers have nothing to say; data is ignored
    const key = parseFlvPath(req.params);
    const admitted: EdgeAccessRequest | Refusal = key
      ? await admit('ws-flv', viewers.newId('wsflv'), req.ip, key, req.url)
      : { reason: 'not_found', message: 'not an FLV path' };
    const raw = req.raw.socket; // the upgraded socket ws reads and writes
    const v = 'reason' in admitted ? admitted : socket.readyState === socket.OPEN ? start(admitted, wsOutput(socket, raw, ctx.config.viewers.tcpNoDelay)) : undefined;
    if (!v) return; // closed while the policy decided
    if ('reason' in v) {
      countReason(counters.viewersRefused, v.reason);
      const code = v.reason === 'not_found' ? 4404 : v.reason === 'unauthorized' ? 4403 : 4503;
      socket.close(code, v.reason === 'unauthorized' ? 'not authorized' : v.reason === 'not_found' ? 'stream is not live' : 'too many viewers');
      return;
    }
    if (v instanceof FlvViewer) socket.on('close', () => v.disconnected()); // (always: WS viewers are served here)
  };

  app.route({ method: 'GET', url: '/:app/:file', handler: httpHandler, wsHandler });
}
