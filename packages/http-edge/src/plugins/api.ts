import type { FastifyInstance } from 'fastify';
import type { LiveStream } from '@livegate/ingest';
import { z } from 'zod';
import type { EdgeContext } from '../context.js';
import { audioInfo, videoInfo } from '../stream-info.js';
import { viewerCounts } from '../viewers/census.js';
import { notFound } from '../http-errors.js';

const StreamParams = z.object({ app: z.string().min(1).max(128), stream: z.string().min(1).max(128) });

/** The JSON the API gives for one live stream. */
export function streamJson(ctx: EdgeContext, s: LiveStream) {
  const rates = ctx.stats.get(s);
  return {
    app: s.app,
    stream: s.name,
    key: s.key,
    video: videoInfo(s) ?? null,
    audio: audioInfo(s) ?? null,
    fps: rates.fps,
    bitrateIn: rates.bitrateIn,
    bitrateOut: rates.bitrateOut,
    uptimeMs: Math.round(ctx.bus.now() - s.startedAt),
    viewers: viewerCounts(ctx, s.key),
    publisher: { id: s.publisher.id, protocol: s.publisher.protocol, address: s.publisher.remoteAddress },
    bytesIn: s.stats.bytesIn,
    frames: { video: s.stats.videoFrames, audio: s.stats.audioFrames, keyframes: s.stats.keyframes },
  };
}

/** `GET /api/streams`, `GET /api/streams/:app/:stream`, `GET /healthz`. */
export async function apiPlugin(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok', streams: ctx.bus.size, uptimeS: Math.round(process.uptime()) }));

  app.get('/api/streams', async () => ({ streams: [...ctx.bus.streams()].map((s) => streamJson(ctx, s)) }));

  app.get('/api/streams/:app/:stream', async (req, reply) => {
    const p = StreamParams.safeParse(req.params);
    const s = p.success ? ctx.bus.get(p.data.app, p.data.stream) : undefined;
    if (!s) return notFound(reply, 'stream is not live');
    return streamJson(ctx, s);
  });
}
