/**
 * Server-added delay from samples: matching what viewers received to what was published, and the
 * split per frame. Pure (no processes, no sockets), so tests can import it.
 */
import { pct, round } from './stats.mjs';

/** Fields per published video tag in `pacedPublisher().sent`: ts, size, send ms, keyframe. */
export const SENT = 4;

/**
 * Matches a viewer's received video tags to published ones: candidates by size, kept when the
 * timestamp offset is the viewer's modal one. `delays[k]` (arrival - send, ms) belongs to the
 * published tag at `sent[at[k]]`.
 * @param {number[]} sent [ts, size, send ms, keyframe] per published tag
 * @param {number[]} got [ts, size, arrival ms] per received tag
 */
export function matchDelays(sent, got) {
  /** @type {Map<number, number[]>} */
  const bySize = new Map();
  for (let i = 0; i < sent.length; i += SENT) {
    const l = bySize.get(sent[i + 1]);
    if (l) l.push(i);
    else bySize.set(sent[i + 1], [i]);
  }
  const offsets = new Map();
  const cands = [];
  for (let j = 0; j < got.length; j += 3) {
    for (const i of bySize.get(got[j + 1]) ?? []) {
      const d = got[j + 2] - sent[i + 2];
      if (d < 0 || d > 10_000) continue;
      const off = got[j] - sent[i];
      offsets.set(off, (offsets.get(off) ?? 0) + 1);
      cands.push(off, d, i);
    }
  }
  let best = 0;
  let bestN = -1;
  for (const [off, c] of offsets) if (c > bestN) (best = off), (bestN = c);
  /** @type {number[]} */
  const delays = [];
  /** @type {number[]} */
  const at = [];
  for (let k = 0; k < cands.length; k += 3) if (cands[k] === best) delays.push(cands[k + 1]), at.push(cands[k + 2]);
  return { delays, at };
}

/**
 * Splits the delay per published frame, over the frames every measured viewer received: `firstMs`,
 * the earliest viewer's delay (the way in: publisher → server → the first write of that frame), and
 * `spreadMs`, latest minus earliest (how long the server took to write it to the viewers between);
 * and the delay of keyframes against other frames.
 * @param {number[]} sent @param {{ delays: number[], at: number[] }[]} each
 */
export function perFrame(sent, each) {
  /** @type {Map<number, number[]>} */
  const byFrame = new Map();
  for (const { delays, at } of each) {
    for (let k = 0; k < delays.length; k++) {
      const l = byFrame.get(at[k]);
      if (l) l.push(delays[k]);
      else byFrame.set(at[k], [delays[k]]);
    }
  }
  const first = [];
  const spread = [];
  const key = [];
  const other = [];
  for (const [i, ds] of byFrame) {
    (sent[i + 3] ? key : other).push(...ds);
    if (ds.length < each.length) continue;
    const lo = Math.min(...ds);
    first.push(lo);
    spread.push(Math.max(...ds) - lo);
  }
  const r2 = (/** @type {number[]} */ xs, /** @type {number} */ p) => round(pct(xs, p), 2);
  return {
    frames: first.length,
    firstP50Ms: r2(first, 50),
    firstP99Ms: r2(first, 99),
    spreadP50Ms: r2(spread, 50),
    spreadP99Ms: r2(spread, 99),
    keyframeP50Ms: r2(key, 50),
    keyframeP99Ms: r2(key, 99),
    otherP99Ms: r2(other, 99),
  };
}
