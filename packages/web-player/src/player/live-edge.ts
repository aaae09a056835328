/**
 * Live-edge keeping: a live player drifts behind (stalls, a background tab, a slow start)
 * and every second behind is latency. The policy below looks at the buffer ahead of the
 * playhead and either speeds playback up a little or jumps close to the edge.
 */

export interface EdgePolicy {
  /** Buffer (s) to settle at: a little, so network jitter does not stall playback. */
  target: number;
  /** Above this buffer (s) play faster until back at `target`. */
  catchUp: number;
  /** Above this buffer (s) seek to `end - target` at once (speeding up would take too long). */
  jump: number;
  /** Playback rate while catching up (small enough that audio pitch change is barely heard). */
  rate: number;
}

/**
 * HTTP-FLV / WS-FLV: data arrives frame by frame, so the buffer can stay small. Glass-to-glass is
 * this buffer plus ~50 ms (encode, server, demux, decode, display: measured in bench/), so every
 * 0.1 s here is 0.1 s of latency; a stall refills the buffer by itself and catching up takes it back.
 */
export const FLV_EDGE: EdgePolicy = { target: 0.15, catchUp: 0.25, jump: 3, rate: 1.15 };

/** Native HLS: data arrives a segment at a time, so the buffer naturally swings by a segment. */
export const NATIVE_HLS_EDGE: EdgePolicy = { target: 3, catchUp: 8, jump: 14, rate: 1.1 };

/** At start, a buffer this much above the target is worth a seek (below it, a seek would gain too little). */
const START_SLACK_S = 0.1;

export type EdgeAction = { kind: 'none' } | { kind: 'rate'; rate: number } | { kind: 'seek'; to: number };

/**
 * What to do given the end of the buffered range containing the playhead, the playhead and
 * the current playback rate. Hysteresis: catching up starts above `catchUp` and stops at `target`.
 * `starting`: playback has just begun. The server's GOP cache starts a viewer on the last keyframe,
 * up to a GOP behind live; nothing has been watched yet, so a seek to the edge costs nothing.
 */
export function edgeAction(bufferedEnd: number, currentTime: number, playbackRate: number, p: EdgePolicy, starting = false): EdgeAction {
  const ahead = bufferedEnd - currentTime;
  if (!Number.isFinite(ahead) || ahead < 0) return playbackRate !== 1 ? { kind: 'rate', rate: 1 } : { kind: 'none' };
  if (ahead > p.jump || (starting && ahead > p.target + START_SLACK_S)) return { kind: 'seek', to: bufferedEnd - p.target };
  if (ahead > p.catchUp && playbackRate !== p.rate) return { kind: 'rate', rate: p.rate };
  if (ahead <= p.target && playbackRate !== 1) return { kind: 'rate', rate: 1 };
  return { kind: 'none' };
}

/** The end of the buffered range that contains `t` (or the last range's end when none does); NaN when empty. */
export function bufferedEndAt(ranges: { length: number; start(i: number): number; end(i: number): number }, t: number): number {
  if (ranges.length === 0) return Number.NaN;
  for (let i = 0; i < ranges.length; i++) {
    if (t >= ranges.start(i) - 0.1 && t <= ranges.end(i) + 0.1) return ranges.end(i);
  }
  return ranges.end(ranges.length - 1);
}
