/** The ways the page can play a stream. */
export type Protocol = 'flv' | 'ws' | 'hls';

export const PROTOCOLS: readonly Protocol[] = ['flv', 'ws', 'hls'];

export const PROTOCOL_LABELS: Record<Protocol, string> = { flv: 'HTTP-FLV', ws: 'WS-FLV', hls: 'HLS' };

/** `?protocol=` value, if valid. */
export function parseProtocol(v: string | null): Protocol | undefined {
  return v === 'flv' || v === 'ws' || v === 'hls' ? v : undefined;
}

/** True when Media Source Extensions exist (flv.js and hls.js need them). */
export function hasMse(): boolean {
  const w = window as unknown as { MediaSource?: unknown; ManagedMediaSource?: unknown; WebKitMediaSource?: unknown };
  return Boolean(w.MediaSource || w.ManagedMediaSource || w.WebKitMediaSource);
}

/** True when the browser plays HLS itself (Safari, iOS). */
export function hasNativeHls(video: HTMLVideoElement): boolean {
  return video.canPlayType('application/vnd.apple.mpegurl') !== '';
}

/** What this browser can play: FLV needs MSE; HLS needs MSE (hls.js) or native support. */
export function supportedProtocols(video: HTMLVideoElement): Set<Protocol> {
  const out = new Set<Protocol>();
  if (hasMse()) {
    out.add('flv');
    if (typeof WebSocket !== 'undefined') out.add('ws');
    out.add('hls');
  }
  if (hasNativeHls(video)) out.add('hls');
  return out;
}

/** The protocol to start with: the requested one when supported, else HTTP-FLV where MSE exists, else HLS. */
export function pickProtocol(requested: Protocol | undefined, supported: Set<Protocol>): Protocol {
  if (requested && supported.has(requested)) return requested;
  if (supported.has('flv')) return 'flv';
  return 'hls';
}
