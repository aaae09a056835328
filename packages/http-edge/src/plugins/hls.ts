import type { FastifyInstance } from 'fastify';
import type { EdgeContext } from '../context.js';
import { countReason } from '../counters.js';
import { notFound, sendError } from '../http-errors.js';
import { urlQuery } from './http-flv.js';

/** Segment file names the segmenter produces: `<prefix><sequence>.ts` (prefix of [0-9a-z-]). */
const SEGMENT_NAME = /^[0-9a-z-]{1,40}\.(ts|m4s|mp4)$/;

/**
 * Add `?sign=VALUE` to every URI line of a media playlist (segment lines: not empty, not a tag),
 * so a player that fetched a signed playlist fetches signed segments.
 */
export function signPlaylistUris(playlist: string, sign: string): string {
  const q = `?sign=${encodeURIComponent(sign)}`;
  return playlist
    .split('\n')
    .map((line) => (line !== '' && !line.startsWith('#') ? `${line}${q}` : line))
    .join('\n');
}

/**
 * HLS: `GET /:app/:stream/index.m3u8` (short cache) and its segments (immutable: names are never reused).
 * With access.signPlay the playlist needs a valid `sign` and its segment URIs carry the same one;
 * with a play callback each playlist fetch is a play request.
 */
export async function hlsPlugin(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  const { hls, access, counters, logger } = ctx;
  if (!hls) return;
  const segmentDuration = ctx.config.hls.segmentDuration;
  const cacheScope = access.signPlay ? 'private' : 'public';

  app.get('/:app/:stream/index.m3u8', async (req, reply) => {
    const { app: a, stream } = req.params as { app: string; stream: string };
    const query = urlQuery(req.url);
    if (access.playChecked) {
      const clientId = `hls-${req.ip}`;
      const verdict = await access.check({ action: 'play', app: a, stream, query, connectQuery: '', clientId, remoteAddress: req.ip, protocol: 'hls' });
      if (verdict !== true) {
        countReason(counters.viewersRefused, 'unauthorized');
        logger.info({ conn: clientId, stream: `${a}/${stream}`, why: verdict }, 'play refused');
        return sendError(reply, 'FORBIDDEN', verdict);
      }
    }
    const text = hls.playlist(`${a}/${stream}`, req.ip);
    if (text === undefined) return notFound(reply, `${a}/${stream} has no HLS playlist (not live, or no segment yet)`);
    const sign = access.signPlay ? new URLSearchParams(query).get('sign') : null;
    return reply
      .type('application/vnd.apple.mpegurl')
      .header('cache-control', `${cacheScope}, max-age=${Math.max(1, Math.floor(segmentDuration / 2))}`)
      .send(sign ? signPlaylistUris(text, sign) : text);
  });

  app.get('/:app/:stream/:segment', async (req, reply) => {
    const { app: a, stream, segment } = req.params as { app: string; stream: string; segment: string };
    if (!SEGMENT_NAME.test(segment)) return notFound(reply);
    if (access.signPlay) {
      const ok = access.verifySign(a, stream, new URLSearchParams(urlQuery(req.url)).get('sign'));
      if (ok !== true) {
        countReason(counters.viewersRefused, 'unauthorized');
        return sendError(reply, 'FORBIDDEN', ok);
      }
    }
    const bytes = hls.segment(`${a}/${stream}`, segment);
    if (!bytes) return notFound(reply, 'segment expired or unknown');
    const type = segment.endsWith('.ts') ? 'video/mp2t' : 'video/mp4';
    return reply.type(type).header('cache-control', `${cacheScope}, max-age=31536000, immutable`).send(bytes);
  });
}
