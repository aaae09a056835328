import { performance } from 'node:perf_hooks';

/** How fan-outs trade a little delay for fewer writes when the process is busy. */
export interface PacingOptions {
  /** Longest a fan-out gathers messages before it writes (ms); 0 writes every frame at once, always. */
  maxDelayMs: number;
  /** Event-loop utilization (0..1) up to which every frame is written at once. */
  loadLow: number;
  /** Utilization at which fan-outs gather for `maxDelayMs`; in between, proportionally. */
  loadHigh: number;
}

export const DEFAULT_PACING: PacingOptions = { maxDelayMs: 50, loadLow: 0.75, loadHigh: 0.95 };

/** Utilization is re-measured at most this often (ms), on demand: no timer of its own. */
const SAMPLE_MS = 250;
/** Each measurement moves the delay this fraction of the way to its target (damps the feedback: fewer writes, less load, less delay). */
const SMOOTHING = 0.3;

/**
 * Decides how long a fan-out gathers messages before it writes them to its viewers. Each write
 * to a socket costs about the same whatever its size (the syscall, a TCP segment, waking the
 * reader), so at a few thousand viewers the number of writes, not the bytes, fills the core.
 * While the event loop has room every frame goes out at once (lowest delay); as it fills, frames
 * are gathered for up to `maxDelayMs` so each viewer gets fewer, larger writes and the process
 * carries more viewers instead of falling behind. One pacer per process (the bus's), measured
 * from the event-loop utilization, which counts time in syscalls too.
 */
export class FlushPacer {
  private delay = 0;
  private load = 0;
  private acceptedCount = 0;
  private lastAt: number;
  private last: { idle: number; active: number };

  constructor(
    private readonly opts: PacingOptions = DEFAULT_PACING,
    /** Cumulative event-loop idle/active ms (injectable for tests). */
    private readonly sample: () => { idle: number; active: number } = () => performance.eventLoopUtilization(),
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(opts.loadHigh > opts.loadLow)) throw new RangeError(`pacing: loadHigh (${opts.loadHigh}) must be above loadLow (${opts.loadLow})`);
    this.last = sample();
    this.lastAt = now();
  }

  /** The process's servers note each connection they accept (fan-outs let the loop turn while joins come). */
  noteAccepted(): void {
    this.acceptedCount++;
  }

  /** Connections accepted so far. */
  get accepted(): number {
    return this.acceptedCount;
  }

  /** The event-loop utilization last measured (0..1). */
  get utilization(): number {
    return this.load;
  }

  /** The gathering delay now in force (ms), without re-measuring. */
  get currentDelayMs(): number {
    return this.delay;
  }

  /** How long a fan-out that has just received a message may wait before it writes (ms). */
  delayMs(): number {
    const { maxDelayMs, loadLow, loadHigh } = this.opts;
    if (maxDelayMs <= 0) return 0;
    const t = this.now();
    if (t - this.lastAt >= SAMPLE_MS) {
      const cur = this.sample();
      const idle = cur.idle - this.last.idle;
      const active = cur.active - this.last.active;
      this.last = cur;
      this.lastAt = t;
      this.load = idle + active > 0 ? active / (idle + active) : 0;
      const target = Math.min(1, Math.max(0, (this.load - loadLow) / (loadHigh - loadLow))) * maxDelayMs;
      this.delay += SMOOTHING * (target - this.delay);
      if (target === 0 && this.delay < 1) this.delay = 0;
    }
    return this.delay;
  }
}
