import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fanout, StreamBus, type FanoutViewer, type MediaMessage, type VideoMessage, type AudioMessage } from '../src/index.js';

// What a viewer of the fan-out may see, for any interleaving of frames, event-loop turns, joins and
// stalls: media in publish order with no duplicates, starting at a keyframe, and after every gap
// (frames skipped while it was behind) again at a keyframe; a viewer that never stalls misses nothing.
// Also with passes cut into slices (each write takes 1 ms of a 2 ms slice) and real event-loop turns
// between them, so frames, joins and stalls land in the middle of a pass; and with batches that wait
// too long (the stream sheds frames to a keyframe for everyone: gaps, but again only at keyframes).

const video = (dts: number, keyframe: boolean, packet: VideoMessage['packet'] = 'frame'): VideoMessage => {
  const body = Buffer.from([keyframe ? 0x17 : 0x27, packet === 'config' ? 0 : 1, 0, 0, 0]);
  return { kind: 'video', codec: 'avc', fourcc: undefined, packet, dts, pts: dts, keyframe, body, payload: body.subarray(5) };
};
const audio = (dts: number): AudioMessage => {
  const body = Buffer.from([0xaf, 1]);
  return { kind: 'audio', codec: 'aac', fourcc: undefined, packet: 'frame', dts, pts: dts, soundRate: 44100, soundSize: 16, channels: 2, body, payload: body.subarray(2) };
};
/** `<kind><dts>;` with the publisher's dts, so a viewer's bytes name exactly which messages it got. */
const token = (m: MediaMessage) => `${m.kind === 'video' ? (m.packet === 'config' ? 'C' : m.keyframe ? 'K' : 'v') : m.kind === 'audio' ? 'a' : 'd'}${m.dts};`;

class Viewer implements FanoutViewer {
  text = '';
  stalled = false;
  pending = 0;
  constructor(private readonly onWrite: () => void) {}
  write(b: Buffer): void {
    this.text += b.toString();
    if (this.stalled) this.pending += b.length;
    this.onWrite();
  }
  backlog(): number {
    return this.pending;
  }
  closed(): void {}
}

type Op = { op: 'a' | 'v' | 'k' | 'c' | 'turn' | 'join' | 'late' } | { op: 'stall'; who: number };
const ops = fc.array(
  fc.oneof(
    { arbitrary: fc.constantFrom<Op>({ op: 'a' }, { op: 'v' }, { op: 'turn' }), weight: 12 },
    { arbitrary: fc.constantFrom<Op>({ op: 'k' }, { op: 'join' }), weight: 2 },
    { arbitrary: fc.constantFrom<Op>({ op: 'c' }, { op: 'late' }), weight: 1 },
    { arbitrary: fc.nat(3).map((who): Op => ({ op: 'stall', who })), weight: 1 }, // rare: a stall lasts a while
  ),
  { maxLength: 200, size: 'max' },
);

const turn = () => new Promise((r) => setImmediate(r));

async function run(script: Op[], singleTimeline: boolean, sliced: boolean): Promise<void> {
  let t = 0;
  const bus = new StreamBus();
  const live = bus.publish('live', 's', { id: 'p', protocol: 'rtmp', remoteAddress: '127.0.0.1' }, () => {});
  const f = new Fanout(live, {
    newEncoder: () => ({ start: () => [Buffer.from('H;')], push: (m) => [Buffer.from(token(m))] }),
    singleTimeline,
    maxBacklogBytes: 24,
    maxBehindMs: 1e9,
    maxLagMs: 500,
    maxRecordBytes: 1 << 20,
    maxRecordMs: 1e9,
    counters: bus.counters,
    now: () => t,
    passSliceMs: sliced ? 2 : undefined,
  });
  live.subscribe(f, { internal: true });
  const published: MediaMessage[] = [];
  const viewers: { v: Viewer; everStalled: boolean; joinedAt: number }[] = [];
  let dts = 0;
  live.push(video(0, false, 'config'));
  for (const s of script) {
    if (s.op === 'a' || s.op === 'v' || s.op === 'k') {
      const m = s.op === 'a' ? audio(++dts) : video(++dts, s.op === 'k');
      published.push(m);
      live.push(m);
    } else if (s.op === 'c') live.push(video(++dts, false, 'config'));
    else if (s.op === 'late') t += sliced ? 1000 : 0; // what is gathered now waits past maxLagMs
    else if (s.op === 'turn') {
      if (sliced) await turn();
      else f.flushNow();
    } else if (s.op === 'join') {
      const v = new Viewer(() => sliced && t++);
      f.add(v);
      viewers.push({ v, everStalled: false, joinedAt: published.length });
    } else if (s.op === 'stall') {
      const w = viewers[s.who % Math.max(1, viewers.length)];
      if (!w) continue;
      w.v.stalled = !w.v.stalled;
      if (w.v.stalled) w.everStalled = true;
      else w.v.pending = 0; // drained
    }
  }
  f.flushNow();
  const order = published.map(token);
  const at = new Map(order.map((t, i) => [t, i]));
  const keys = order.flatMap((t, i) => (t.startsWith('K') ? [i] : []));
  const shed = bus.counters.framesShed > 0; // then a viewer may start at a later keyframe, or get none
  for (const { v, everStalled, joinedAt } of viewers) {
    const got = v.text.split(';').filter((t) => t !== '' && t !== 'H' && !t.startsWith('C')).map((t) => `${t};`);
    if (got.length === 0) {
      expect(keys.length === 0 || shed).toBe(true); // else it had the cached GOP or the next keyframe
      continue;
    }
    // it starts with the GOP being cached when it joined, or the first keyframe after it joined
    const start = keys.filter((k) => k < joinedAt).at(-1) ?? keys.find((k) => k >= joinedAt);
    if (!singleTimeline) expect(v.text.startsWith('H;C')).toBe(true); // the group's header and sequence header first
    expect(got[0]!.startsWith('K')).toBe(true);
    const idx = got.map((t) => at.get(t)!);
    if (shed) expect(idx[0]).toBeGreaterThanOrEqual(start!);
    else expect(idx[0]).toBe(start);
    for (let i = 1; i < idx.length; i++) {
      expect(idx[i]!).toBeGreaterThan(idx[i - 1]!); // publish order, no duplicates
      if (idx[i] !== idx[i - 1]! + 1) expect(got[i]!.startsWith('K')).toBe(true); // after a gap: a keyframe
    }
    if (!everStalled && !shed) expect(idx.at(-1)).toBe(order.length - 1); // up to the last frame
    if (!everStalled && !shed) expect(idx.at(-1)! - idx[0]! + 1).toBe(idx.length); // and nothing missed
  }
}

describe('Fanout properties', () => {
  it('per-group timelines: every viewer gets frames in order from a keyframe, resuming only at keyframes', async () => {
    await fc.assert(fc.asyncProperty(ops, (s) => run(s, false, false)), { numRuns: 500 });
  });
  it('one shared timeline (RTMP play): the same', async () => {
    await fc.assert(fc.asyncProperty(ops, (s) => run(s, true, false)), { numRuns: 500 });
  });
  it('passes in slices with event-loop turns between them: the same, for both', async () => {
    await fc.assert(fc.asyncProperty(ops, fc.boolean(), (s, single) => run(s, single, true)), { numRuns: 500 });
  });
});
