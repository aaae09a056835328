import type { EdgeContext } from '../context.js';
import type { ViewerProtocol } from './registry.js';

const zero = (): Record<ViewerProtocol, number> => ({ 'http-flv': 0, 'ws-flv': 0, rtmp: 0, hls: 0 });

/** Viewers by protocol, for all streams or for one `app/stream`. */
export function viewerCounts(ctx: EdgeContext, stream?: string): Record<ViewerProtocol, number> {
  const out = zero();
  for (const v of ctx.viewers.all()) if (!stream || v.stream === stream) out[v.protocol]++;
  if (ctx.rtmp) for (const s of ctx.rtmp.sessions()) if (s.role === 'player' && (!stream || s.streamKey === stream)) out.rtmp++;
  if (ctx.hls) out.hls = ctx.hls.viewerCount(stream);
  return out;
}

/** Total bytes sent to viewers by protocol, including viewers that left. */
export function viewerBytesOut(ctx: EdgeContext): Record<ViewerProtocol, number> {
  const out = { ...ctx.viewers.bytesOutClosed };
  for (const v of ctx.viewers.all()) out[v.protocol] += v.bytesOut();
  out.rtmp = ctx.rtmp?.counters.bytesOut ?? 0;
  out.hls = ctx.hls?.bytesOut ?? 0;
  return out;
}

/**
 * Bytes sent so far to each current output of one stream (for its out bitrate): `[id, bytes]` per
 * HTTP-FLV / WS-FLV viewer and RTMP player, and HLS's total for the key. A viewer's bytes leave with it,
 * so the sampler sums each output's growth, never the difference of two totals.
 */
export function* streamOutputs(ctx: EdgeContext, stream: string): Generator<[string, number]> {
  for (const v of ctx.viewers.all()) if (v.stream === stream) yield [v.id, v.bytesOut()];
  if (ctx.rtmp) for (const s of ctx.rtmp.sessions()) if (s.role === 'player' && s.streamKey === stream) yield [s.id, s.bytesOut];
  if (ctx.hls) yield ['hls', ctx.hls.bytesOutOf(stream)];
}
