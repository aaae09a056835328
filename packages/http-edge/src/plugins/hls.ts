import type { FastifyInstance } from 'fastify';
import type { EdgeContext } from '../context.js';
import { notFound } from '../http-errors.js';

/** Segment file names the segmenter produces: `<prefix><sequence>.ts` (prefix of [0-9a-z-]). */
const SEGMENT_NAME = /^[0-9a-z-]{1,40}\.(ts|m4s|mp4)$/;

/**
 * HLS: `GET /:app/:stream/index.m3u8` (short cache) and its segments (immutable: names are never reused).
 */
export async function hlsPlugin(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  const { hls } = ctx;
  if (!hls) return;
  const segmentDuration = ctx.config.hls.segmentDuration;

  app.get('/:app/:stream/index.m3u8', async (req, reply) => {
    const { app: a, stream } = req.params as { app: string; stream: string };
    const text = hls.playlist(`${a}/${stream}`, req.ip);
    if (text === undefined) return notFound(reply, `${a}/${stream} has no HLS playlist (not live, or no segment yet)`);
    return reply
      .type('application/vnd.apple.mpegurl')
      .header('cache-control', `public, max-age=${Math.max(1, Math.floor(segmentDuration / 2))}`)
      .send(text);
  });

  app.get('/:app/:stream/:segment', async (req, reply) => {
    const { app: a, stream, segment } = req.params as { app: string; stream: string; segment: string };
    if (!SEGMENT_NAME.test(segment)) return notFound(reply);
    const bytes = hls.segment(`${a}/${stream}`, segment);
    if (!bytes) return notFound(reply, 'segment expired or unknown');
    const type = segment.endsWith('.ts') ? 'video/mp2t' : 'video/mp4';
    return reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(bytes);
  });
}
