/** 2^32: RTMP timestamps are 32-bit milliseconds and wrap after ~49.7 days (RTMP 1.0 section 5.3.1.3). */
const WRAP = 2 ** 32;
const HALF = 2 ** 31;

/**
 * Turns the 32-bit timestamps of one message stream into a monotonic-ish millisecond
 * timeline: a backwards jump of more than half the range is a wrap, smaller backwards steps
 * (some encoders send them) stay as they are.
 */
export class TimestampUnwrapper {
  private epoch = 0;
  private last = -1;

  /** Unwrap a 32-bit timestamp. */
  unwrap(ts32: number): number {
    const ts = ts32 >>> 0;
    if (this.last >= 0) {
      if (ts < this.last && this.last - ts > HALF) this.epoch += WRAP;
      else if (ts > this.last && ts - this.last > HALF && this.epoch >= WRAP) this.epoch -= WRAP; // a late message from before the wrap
    }
    this.last = ts;
    return this.epoch + ts;
  }
}
