import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { EdgeContext } from '../context.js';
import { countReason } from '../counters.js';
import { endWithError, notFound, sendError } from '../http-errors.js';
import { FlvFanouts, FlvViewer, type FlvOutput } from '../viewers/flv-fanout.js';
import { httpOutput } from '../viewers/http-output.js';
import { wsHandshake, wsUpgradeHead } from '../viewers/ws-raw.js';
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

  /** The viewer is gone, whatever the reason (here or in a worker). */
  const goneOf = (req: EdgeAccessRequest) => {
    const log = logger.child({ conn: req.clientId });
    return (v: ViewerInfo, reason: string) => {
      viewers.remove(v);
      if (reason === 'slow') counters.viewersClosedSlow++;
      log.info({ reason, bytesOut: v.bytesOut(), dropped: v.dropped() }, 'closed');
      access.ended(req);
    };
  };
  const opened = (req: EdgeAccessRequest, viewer: FlvViewer | WorkerViewer) => {
    viewers.add(viewer);
    const worker = viewer instanceof WorkerViewer ? { worker: viewer.worker } : {};
    logger.info({ conn: req.clientId, remote: req.remoteAddress, protocol: req.protocol, stream: viewer.stream, ...worker }, 'opened');
  };

  /**
   * Hand the viewer's socket to a viewer worker (config viewers.workers): HTTP-FLV, or WS-FLV with
   * the 101 the worker is to write. Undefined when there are no workers or none can take it.
   */
  const toWorker = (req: EdgeAccessRequest, socket: Socket, wsUpgradeHead?: string): WorkerViewer | undefined => {
    const live = bus.get(req.app, req.stream);
    const v = live && ctx.workers?.hand(socket, req.clientId, live, req.remoteAddress, goneOf(req), wsUpgradeHead);
    if (v) opened(req, v);
    return v;
  };

  /** Serve the viewer in this process; a Refusal when the stream ended or filled up meanwhile. */
  const serveHere = (req: EdgeAccessRequest, out: FlvOutput): FlvViewer | Refusal => {
    const live = bus.get(req.app, req.stream);
    if (!live) return { reason: 'not_found', message: `${req.app}/${req.stream} is not live` };
    const protocol = req.protocol as 'http-flv' | 'ws-flv';
    const v = new FlvViewer(req.clientId, protocol, req.remoteAddress, live, fanouts.of(live, protocol), out, goneOf(req));
    if (!v.start()) return { reason: 'viewer_limit', message: `${live.key} has too many viewers` };
    opened(req, v);
    return v;
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
    reply.hijack();
    const socket = req.raw.socket;
    if (toWorker(admitted, socket)) return; // (a worker watches the sockets it was handed)
    const v = serveHere(admitted, httpOutput(socket, ctx.config.http.corsOrigin, ctx.config.viewers.tcpNoDelay));
    if ('reason' in v) {
      countReason(counters.viewersRefused, v.reason);
      return endWithError(socket, v.reason === 'not_found' ? 'NOT_FOUND' : 'TOO_MANY_VIEWERS', v.message);
    }
    socket.on('close', () => v.disconnected());
  };

  /**
   * WS-FLV admission runs before the upgrade (a preHandler of the upgrade request): an admitted viewer
   * goes to a viewer worker with its socket still unanswered (the worker writes the 101), or waits for
   * the upgrade here; a refusal is answered after the upgrade with its close code, by wsHandler.
   */
  const wsAdmission = new WeakMap<FastifyRequest, EdgeAccessRequest | Refusal>();
  const wsPreHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.ws) return;
    const key = parseFlvPath(req.params);
    const admitted: EdgeAccessRequest | Refusal = key
      ? await admit('ws-flv', viewers.newId('wsflv'), req.ip, key, req.url)
      : { reason: 'not_found', message: 'not an FLV path' };
    wsAdmission.set(req, admitted);
    const socket = req.raw.socket;
    if ('reason' in admitted || !ctx.workers || socket.destroyed) return;
    const handshake = wsHandshake(req.raw.method, req.raw.headers);
    if (!handshake) return; // (not valid: ws answers it)
    if (!toWorker(admitted, socket, wsUpgradeHead(handshake))) return; // no worker took it: upgraded here
    reply.hijack(); // the worker has the socket: no upgrade here
    return reply;
  };

  const wsHandler = async (socket: WebSocket, req: FastifyRequest) => {
    socket.on('message', () => {}); // viewers have nothing to say; data is ignored
    const admitted = wsAdmission.get(req) ?? { reason: 'not_found', message: 'not admitted' };
    const raw = req.raw.socket; // the upgraded socket ws reads and writes
    const v = 'reason' in admitted ? admitted : socket.readyState === socket.OPEN ? serveHere(admitted, wsOutput(socket, raw, ctx.config.viewers.tcpNoDelay)) : undefined;
    if (!v) return; // closed meanwhile
    if ('reason' in v) {
      countReason(counters.viewersRefused, v.reason);
      const code = v.reason === 'not_found' ? 4404 : v.reason === 'unauthorized' ? 4403 : 4503;
      socket.close(code, v.reason === 'unauthorized' ? 'not authorized' : v.reason === 'not_found' ? 'stream is not live' : 'too many viewers');
      return;
    }
    socket.on('close', () => v.disconnected());
  };

  app.route({ method: 'GET', url: '/:app/:file', handler: httpHandler, wsHandler, preHandler: wsPreHandler });
}
