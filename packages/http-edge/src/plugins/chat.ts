import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LiveStream } from '@livegate/ingest';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { EdgeContext } from '../context.js';
import { CaptionSink } from '../chat/caption-sink.js';
import { ChatHub, type ChatLimits } from '../chat/chat-hub.js';
import { CHAT_PING_INTERVAL_MS } from '../chat/limits.js';

const RoomParams = z.object({ app: z.string().min(1).max(128), stream: z.string().min(1).max(128) });

/** WebSocket close codes the chat uses (4000-4999 are the application's). */
const CLOSE_REFUSED = 4503;
const CLOSE_BAD_ROOM = 4400;
const CLOSE_GOING_AWAY = 1001;

export interface ChatPluginOptions {
  /** Override chat limits (tests lower them); defaults are in chat/limits.ts. */
  chatLimits?: Partial<ChatLimits>;
}

/**
 * Live chat: `ws://HOST/:app/:stream/chat`, one room per stream, open whether or not the
 * stream is live. Publisher captions (onTextData / onCuePoint) are broadcast to the room.
 * A plain GET on the path is a 404 (@fastify/websocket answers non-upgrade requests).
 */
export async function chatPlugin(app: FastifyInstance, opts: EdgeContext & ChatPluginOptions): Promise<void> {
  const ctx: EdgeContext = opts;
  const { bus, counters } = ctx;
  const log = ctx.logger.child({ component: 'chat' });
  const hub = new ChatHub({ counters, limits: opts.chatLimits });
  const sockets = new Set<WebSocket>();
  let nextConn = 1;

  // Captions: a light subscriber on every stream; system lines when a stream starts and ends.
  const onPublish = (s: LiveStream) => {
    s.subscribe(new CaptionSink((text) => hub.caption(s.key, text), bus.now), { internal: true });
    hub.system(s.key, `${s.key} is live`);
  };
  const onUnpublish = (s: LiveStream) => hub.system(s.key, `${s.key} ended`);
  for (const s of bus.streams()) s.subscribe(new CaptionSink((text) => hub.caption(s.key, text), bus.now), { internal: true });
  bus.on('publish', onPublish);
  bus.on('unpublish', onUnpublish);

  // A member that did not answer the previous ping by the next one is gone (half-open TCP).
  const alive = new WeakSet<WebSocket>();
  const pinger = setInterval(() => {
    for (const ws of sockets) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, CHAT_PING_INTERVAL_MS);
  pinger.unref();

  app.addHook('onClose', async () => {
    clearInterval(pinger);
    bus.off('publish', onPublish);
    bus.off('unpublish', onUnpublish);
    for (const ws of sockets) ws.close(CLOSE_GOING_AWAY, 'server shutting down');
    hub.close();
  });

  app.get('/:app/:stream/chat', { websocket: true }, (socket: WebSocket, req: FastifyRequest) => {
    const p = RoomParams.safeParse(req.params);
    if (!p.success) {
      socket.close(CLOSE_BAD_ROOM, 'bad room name');
      return;
    }
    const key = `${p.data.app}/${p.data.stream}`;
    const conn = `chat-${(nextConn++).toString(36)}`;
    const member = hub.join(key, { send: (data) => socket.send(data), bufferedBytes: () => socket.bufferedAmount });
    if ('type' in member) {
      counters.chatRefused++;
      log.info({ conn, remote: req.ip, room: key, reason: member.code }, 'refused');
      socket.send(JSON.stringify(member));
      socket.close(CLOSE_REFUSED, member.code);
      return;
    }
    sockets.add(socket);
    alive.add(socket);
    log.info({ conn, remote: req.ip, room: key }, 'opened');
    socket.on('pong', () => alive.add(socket));
    socket.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      member.receive(buf, isBinary);
    });
    socket.on('error', (err) => log.debug({ conn, err: err.message }, 'socket error'));
    socket.on('close', (code) => {
      sockets.delete(socket);
      member.leave();
      log.info({ conn, code, refused: member.refused, dropped: member.dropped }, 'closed');
    });
  });
}
