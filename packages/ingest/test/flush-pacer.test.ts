import { describe, expect, it } from 'vitest';
import { FlushPacer } from '../src/index.js';

/** A pacer driven by a fake clock and a fake event loop that is busy `load` of the time. */
function fake(opts = { maxDelayMs: 50, loadLow: 0.6, loadHigh: 0.9 }) {
  let t = 0;
  let idle = 0;
  let active = 0;
  const pacer = new FlushPacer(opts, () => ({ idle, active }), () => t);
  /** Runs `ms` of wall time at utilization `load`, asking the pacer as fan-outs do; returns its last answer. */
  const run = (ms: number, load: number) => {
    let d = 0;
    for (let i = 0; i < ms / 50; i++) {
      t += 50;
      active += 50 * load;
      idle += 50 * (1 - load);
      d = pacer.delayMs();
    }
    return d;
  };
  return { pacer, run };
}

describe('FlushPacer', () => {
  it('writes every frame at once while the event loop has room', () => {
    const { pacer, run } = fake();
    expect(run(5000, 0.3)).toBe(0);
    expect(run(5000, 0.6)).toBe(0);
    expect(pacer.utilization).toBeCloseTo(0.6);
  });

  it('gathers up to maxDelayMs as utilization reaches loadHigh, proportionally in between, and lets go when the load goes', () => {
    const { pacer, run } = fake();
    expect(run(10_000, 1)).toBeCloseTo(50, 1);
    expect(run(10_000, 0.95)).toBeCloseTo(50, 1);
    expect(run(10_000, 0.75)).toBeCloseTo(25, 1);
    expect(pacer.currentDelayMs).toBeCloseTo(25, 1);
    expect(run(10_000, 0.2)).toBe(0);
  });

  it('moves gradually (damped), re-measuring at most every 250 ms', () => {
    const { run } = fake();
    const first = run(250, 1);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(50);
    expect(run(200, 1)).toBe(first); // no new measurement yet
    expect(run(250, 1)).toBeGreaterThan(first);
  });

  it('maxDelayMs 0 never gathers', () => {
    const { run } = fake({ maxDelayMs: 0, loadLow: 0.6, loadHigh: 0.9 });
    expect(run(5000, 1)).toBe(0);
  });

  it('refuses loadHigh not above loadLow', () => {
    expect(() => new FlushPacer({ maxDelayMs: 50, loadLow: 0.9, loadHigh: 0.9 })).toThrow(RangeError);
  });
});
