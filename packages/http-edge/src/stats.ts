import type { LiveStream, StreamBus } from '@livegate/ingest';

/** Rates of one stream over the last sampling interval. */
export interface StreamRates {
  bitrateIn: number; // bits per second
  fps: number;
  /** Bits per second sent to this stream's viewers (all protocols). */
  bitrateOut: number;
}

/** How often rates are sampled. */
export const SAMPLE_MS = 2000;

/**
 * Samples per-stream counters every SAMPLE_MS and keeps the rates, so the API and /metrics
 * read numbers without doing work per frame.
 */
export class StreamStatsSampler {
  private readonly last = new WeakMap<LiveStream, { t: number; bytesIn: number; frames: number; outputs: Map<string, number> }>();
  private readonly rates = new WeakMap<LiveStream, StreamRates>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly bus: StreamBus,
    /** Bytes sent so far to each current output (viewer) of a stream, by output id. */
    private readonly outputsOf: (s: LiveStream) => Iterable<[string, number]>,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  /** Take a sample now (also called by the timer). */
  sample(): void {
    const t = this.now();
    for (const s of this.bus.streams()) {
      const cur = { t, bytesIn: s.stats.bytesIn, frames: s.stats.videoFrames, outputs: new Map(this.outputsOf(s)) };
      const prev = this.last.get(s);
      this.last.set(s, cur);
      if (!prev || t <= prev.t) continue;
      const dt = (t - prev.t) / 1000;
      // What each output was sent since the last sample (all of it for one that joined since);
      // outputs that left meanwhile are not subtracted.
      let sent = 0;
      for (const [id, bytes] of cur.outputs) sent += Math.max(0, bytes - (prev.outputs.get(id) ?? 0));
      this.rates.set(s, {
        bitrateIn: Math.round(((cur.bytesIn - prev.bytesIn) * 8) / dt),
        fps: Math.round(((cur.frames - prev.frames) / dt) * 100) / 100,
        bitrateOut: Math.round((sent * 8) / dt),
      });
    }
  }

  /** The last sampled rates of a stream (zeros before the second sample). */
  get(s: LiveStream): StreamRates {
    return this.rates.get(s) ?? { bitrateIn: 0, fps: 0, bitrateOut: 0 };
  }

  close(): void {
    clearInterval(this.timer);
  }
}
