import { describe, expect, it } from 'vitest';
import { Fanout, StreamBus, type CloseReason, type FanoutViewer, type GroupEncoder, type MediaMessage, type VideoMessage, type AudioMessage } from '../src/index.js';

const video = (dts: number, keyframe: boolean, packet: VideoMessage['packet'] = 'frame'): VideoMessage => {
  const body = Buffer.from([keyframe ? 0x17 : 0x27, packet === 'config' ? 0 : 1, 0, 0, 0, dts & 0xff]);
  return { kind: 'video', codec: 'avc', fourcc: undefined, packet, dts, pts: dts, keyframe, body, payload: body.subarray(5) };
};
const audio = (dts: number): AudioMessage => {
  const body = Buffer.from([0xaf, 1, dts & 0xff]);
  return { kind: 'audio', codec: 'aac', fourcc: undefined, packet: 'frame', dts, pts: dts, soundRate: 44100, soundSize: 16, channels: 2, body, payload: body.subarray(2) };
};

/** Encodes each message as `<kind><dts - base>;` so a test can read what a viewer got and on which timeline. */
function textEncoder(): GroupEncoder {
  let base: number | undefined;
  return {
    start: () => [Buffer.from('H;')],
    push: (m: MediaMessage) => {
      if (m.kind !== 'data' && m.packet === 'frame') base ??= m.dts;
      const ts = m.kind !== 'data' && m.packet === 'frame' ? m.dts - base! : 0;
      return [Buffer.from(`${m.kind === 'video' ? (m.packet === 'config' ? 'C' : m.keyframe ? 'K' : 'v') : m.kind === 'audio' ? 'a' : 'd'}${ts};`)];
    },
  };
}

class Viewer implements FanoutViewer {
  text = '';
  writes = 0;
  pending = 0;
  stalled = false;
  closedWith: CloseReason | undefined;
  write(b: Buffer): void {
    this.text += b.toString();
    this.writes++;
    if (this.stalled) this.pending += b.length;
  }
  backlog(): number {
    return this.pending;
  }
  closed(r: CloseReason): void {
    this.closedWith = r;
  }
}

const turn = () => new Promise((r) => setImmediate(r));

function setup(limits: { maxBacklogBytes?: number; maxBehindMs?: number; gatherMs?: () => number; passSliceMs?: number; maxLagMs?: number; accepted?: () => number } = {}) {
  let t = 0;
  const bus = new StreamBus({ now: () => t });
  const live = bus.publish('live', 's', { id: 'p', protocol: 'rtmp', remoteAddress: '127.0.0.1' }, () => {});
  const f = new Fanout(live, {
    newEncoder: textEncoder,
    maxBacklogBytes: limits.maxBacklogBytes ?? 1000,
    maxBehindMs: limits.maxBehindMs ?? 1000,
    maxLagMs: limits.maxLagMs ?? 1e9,
    maxRecordBytes: 1 << 20,
    maxRecordMs: 10_000,
    counters: bus.counters,
    now: () => t,
    pacer: { delayMs: limits.gatherMs ?? (() => 0), get accepted() { return limits.accepted?.() ?? 0; } },
    passSliceMs: limits.passSliceMs,
  });
  live.subscribe(f, { internal: true });
  return { bus, live, f, advance: (ms: number) => (t += ms) };
}

/** `setup` with the stream started: a sequence header and a keyframe at 0, written. */
async function started(limits: Parameters<typeof setup>[0] = {}) {
  const s = setup(limits);
  s.live.push(video(0, false, 'config'));
  s.live.push(video(0, true));
  await turn();
  return s;
}

/** A viewer that also notes its name in `order` on each write (who was written when). */
class Recording<T> extends Viewer {
  constructor(
    private readonly order: T[],
    private readonly name: T,
  ) {
    super();
  }

  override write(b: Buffer): void {
    super.write(b);
    this.order.push(this.name);
  }
}

describe('Fanout', () => {
  it('turns who is written first with each batch, every viewer still getting every batch once and in order', async () => {
    const { live, f } = await started();
    const order: number[] = [];
    const vs = [0, 1, 2].map((n) => new Recording(order, n));
    for (const v of vs) f.add(v);
    order.length = 0; // (the joins' recorded GOP)
    for (let i = 1; i <= 6; i++) {
      live.push(video(i * 40, false));
      await turn();
    }
    const firsts = [0, 3, 6, 9, 12, 15].map((k) => order[k]);
    expect(new Set(firsts)).toEqual(new Set([0, 1, 2])); // each viewer goes first in turn
    for (let k = 0; k < order.length; k += 3) expect(new Set(order.slice(k, k + 3))).toEqual(new Set([0, 1, 2]));
    for (const v of vs) expect(v.text).toBe('H;C0;K0;v40;v80;v120;v160;v200;v240;');
  });

  it('turns the order across groups too: a viewer in the newest group is not always written last', async () => {
    const { live, f } = await started();
    const order: string[] = [];
    const a = new Recording(order, 'a');
    f.add(a); // group of the first GOP
    live.push(video(2000, true)); // a new GOP: a new group for joiners
    await turn();
    const b = new Recording(order, 'b');
    f.add(b);
    order.length = 0;
    for (let i = 1; i <= 4; i++) {
      live.push(video(2000 + i * 40, false));
      await turn();
    }
    expect(order).toHaveLength(8);
    const firsts = [0, 2, 4, 6].map((k) => order[k]);
    expect(firsts).toContain('a');
    expect(firsts).toContain('b');
    expect(a.text.endsWith('v2040;v2080;v2120;v2160;')).toBe(true); // a keeps its own timeline (group of GOP 1)
    expect(b.text).toBe('H;C0;K0;v40;v80;v120;v160;');
  });

  it('a viewer that leaves in the middle of a batch (closed as slow) is not written to again, the others are', async () => {
    const { live, f, advance } = setup({ maxBacklogBytes: 1, maxBehindMs: 5 });
    live.push(video(0, false, 'config'));
    live.push(video(0, true));
    await turn();
    const a = new Viewer();
    const b = new Viewer();
    const c = new Viewer();
    for (const v of [a, b, c]) f.add(v);
    b.stalled = true;
    b.pending = 10; // behind from now on
    for (let i = 1; i <= 4; i++) {
      live.push(video(i * 40, false));
      advance(10);
      await turn();
    }
    expect(b.closedWith).toBe('slow');
    const bWrites = b.writes;
    live.push(video(200, false));
    await turn();
    expect(b.writes).toBe(bWrites);
    for (const v of [a, c]) expect(v.text).toBe('H;C0;K0;v40;v80;v120;v160;v200;');
  });

  it('batches a video frame with the audio before it into one write per viewer, encoded once per group', async () => {
    const { live, f } = await started();
    const a = new Viewer();
    const b = new Viewer();
    f.add(a);
    f.add(b);
    expect(a.text).toBe('H;C0;K0;'); // the recorded GOP: intro, then the keyframe batch
    const writesBefore = a.writes;
    live.push(audio(10));
    live.push(audio(20));
    live.push(video(40, false));
    await turn();
    expect(a.writes - writesBefore).toBe(1);
    expect(a.text.endsWith('a10;a20;v40;')).toBe(true);
    expect(b.text).toBe(a.text);
    expect(f.groupCount).toBe(1);
  });

  it('writes the audio before a keyframe with the keyframe (one write, one pass); joiners start at the keyframe', async () => {
    const { live, f } = await started();
    const a = new Viewer();
    f.add(a);
    live.push(video(40, false));
    await turn();
    const before = a.writes;
    live.push(audio(60));
    live.push(video(80, true));
    const j = new Viewer();
    f.add(j); // joins after the keyframe arrived, before it was written
    await turn();
    expect(a.writes - before).toBe(1);
    expect(a.text).toBe('H;C0;K0;v40;a60;K80;');
    expect(j.text).toBe('H;C0;K0;'); // its own timeline, from the keyframe: not the audio before it
    const late = new Viewer();
    f.add(late);
    expect(late.text).toBe('H;C0;K0;');
    live.push(audio(100));
    live.push(video(120, false));
    await turn();
    expect(a.text.endsWith('K80;a100;v120;')).toBe(true);
    for (const v of [j, late]) expect(v.text).toBe('H;C0;K0;a20;v40;');
  });

  it('resumes a skipping viewer at the keyframe of a batch that starts before it', async () => {
    const { bus, live, f } = await started({ maxBacklogBytes: 10, maxBehindMs: 10_000 });
    const slow = new Viewer();
    const ok = new Viewer();
    f.add(slow);
    f.add(ok);
    slow.stalled = true;
    for (const dts of [40, 80, 120, 160]) {
      live.push(video(dts, false));
      await turn();
    }
    expect(bus.counters.framesDropped).toBe(1); // the frame at 160
    slow.stalled = false;
    slow.pending = 0;
    live.push(audio(190));
    live.push(video(200, true));
    await turn();
    expect(slow.text).toBe('H;C0;K0;v40;v80;v120;K200;');
    expect(ok.text).toBe('H;C0;K0;v40;v80;v120;v160;a190;K200;');
    live.push(video(240, false));
    await turn();
    expect(slow.text.endsWith('K200;v240;')).toBe(true);
  });

  it('puts joiners of a later GOP on their own timeline starting at 0', async () => {
    const { live, f } = setup();
    live.push(video(0, false, 'config'));
    live.push(video(1000, true));
    await turn();
    const early = new Viewer();
    f.add(early);
    live.push(video(1040, false));
    await turn();
    live.push(video(3000, true));
    await turn();
    const late = new Viewer();
    f.add(late);
    expect(late.text).toBe('H;C0;K0;');
    live.push(video(3040, false));
    await turn();
    expect(early.text.endsWith('K2000;v2040;')).toBe(true);
    expect(late.text.endsWith('K0;v40;')).toBe(true);
    expect(f.groupCount).toBe(2);
  });

  it('makes a joiner wait for the first keyframe when none is cached', async () => {
    const { live, f } = setup();
    const v = new Viewer();
    f.add(v);
    live.push(video(0, false, 'config'));
    live.push(video(0, false));
    await turn();
    expect(v.text).toBe('');
    live.push(video(40, true));
    await turn();
    expect(v.text).toBe('H;C0;K0;');
  });

  it('skips a stalled viewer to the next keyframe batch and closes it when it stays behind', async () => {
    const { bus, live, f, advance } = await started({ maxBacklogBytes: 10, maxBehindMs: 500 });
    const slow = new Viewer();
    const ok = new Viewer();
    f.add(slow);
    f.add(ok);
    slow.stalled = true;
    for (let i = 1; i <= 4; i++) {
      advance(40);
      live.push(video(i * 40, false));
      await turn();
    }
    expect(bus.counters.framesDropped).toBeGreaterThan(0);
    const frozen = slow.text;
    slow.stalled = false;
    slow.pending = 0;
    advance(40);
    live.push(video(200, false));
    await turn();
    expect(slow.text).toBe(frozen); // waits for a keyframe
    advance(40);
    live.push(video(240, true));
    await turn();
    expect(slow.text.endsWith('K240;')).toBe(true);
    slow.stalled = true;
    let last = 6;
    for (let i = 7; i < 40 && !slow.closedWith; i++) {
      advance(40);
      live.push(video(i * 40, false));
      await turn();
      last = i;
    }
    expect(slow.closedWith).toBe('slow');
    expect(bus.counters.subscribersClosedSlow).toBe(1);
    expect(f.size).toBe(1);
    expect(ok.closedWith).toBeUndefined();
    // the other viewer got every frame: the keyframe at 0 and frames 1..last
    expect(ok.text.split(';').filter((x) => x.startsWith('v') || x.startsWith('K')).length).toBe(last + 1);
  });

  it('sends a changed sequence header to a skipping viewer and ends everyone with the stream', async () => {
    const { bus, live, f } = setup({ maxBacklogBytes: 5 });
    live.push(video(0, false, 'config'));
    live.push(video(0, true));
    await turn();
    const v = new Viewer();
    f.add(v);
    v.stalled = true;
    live.push(video(40, false));
    await turn();
    live.push(video(50, false, 'config'));
    expect(v.text.endsWith('C0;')).toBe(true);
    bus.unpublish(live);
    expect(v.closedWith).toBe('ended');
    expect(f.size).toBe(0);
    expect(f.add(new Viewer())).toBeUndefined();
  });

  it('gives viewer slots through the stream limit', () => {
    const bus = new StreamBus({ limits: { maxSubscribersPerStream: 2 } });
    const live = bus.publish('live', 's', { id: 'p', protocol: 'rtmp', remoteAddress: '127.0.0.1' }, () => {});
    expect(live.reserveViewer()).toBe(true);
    expect(live.reserveViewer()).toBe(true);
    expect(live.reserveViewer()).toBe(false);
    live.releaseViewer();
    expect(live.viewerCount).toBe(1);
  });
});

describe('Fanout passes in slices (the event loop goes round during a long pass)', () => {
  /** Viewers whose every write takes 1 ms on the fan-out's clock; slices of 2 ms (2 writes). */
  async function sliced(n: number, accepted?: () => number) {
    const s = await started({ passSliceMs: 2, accepted });
    const order: number[] = [];
    const vs = Array.from({ length: n }, (_, i) => {
      const v = new Recording(order, i);
      const write = v.write.bind(v);
      v.write = (b: Buffer) => {
        write(b);
        s.advance(1);
      };
      return v;
    });
    const handles = vs.map((v) => s.f.add(v)!);
    order.length = 0;
    return { ...s, vs, handles, order };
  }

  it('goes on in the next turn; what arrives meanwhile is one batch after the pass, every viewer in order', async () => {
    const { live, vs, order } = await sliced(6);
    live.push(video(40, false));
    await turn(); // the pass starts: 2 viewers written
    expect(order).toHaveLength(2);
    live.push(audio(60));
    live.push(video(80, false)); // gathered while the pass goes on
    await turn();
    expect(order).toHaveLength(4);
    for (let i = 0; i < 4; i++) await turn();
    expect(order.slice(0, 6).sort()).toEqual([0, 1, 2, 3, 4, 5]); // the first batch reached everyone once...
    expect(order.length).toBe(12); // ...then the second (audio and video in one write each)
    for (const v of vs) {
      expect(v.text).toBe('H;C0;K0;v40;a60;v80;');
      expect(v.writes).toBe(4); // the GOP on joining (intro, keyframe), then two batches
    }
  });

  it('finishes the pass first when a sequence header, the end of the stream or flushNow comes during it', async () => {
    const { live, f, vs } = await sliced(5);
    live.push(video(40, false));
    await turn();
    live.push(video(40, false, 'config')); // essential: after v40 for everyone, at once
    for (const v of vs) expect(v.text).toBe('H;C0;K0;v40;C0;');
    live.push(video(80, false));
    await turn();
    f.flushNow();
    live.push(video(120, false));
    await turn();
    f.close('ended');
    for (const v of vs) {
      expect(v.text).toBe('H;C0;K0;v40;C0;v80;v120;');
      expect(v.closedWith).toBe('ended');
    }
  });

  it('waits event-loop turns between slices while connections are being accepted (up to a bound)', async () => {
    let accepted = 0;
    const { live, order } = await sliced(6, () => accepted);
    live.push(video(40, false));
    await turn();
    expect(order).toHaveLength(2);
    accepted++; // a connection came in this turn
    await turn();
    expect(order).toHaveLength(2); // the pass let the loop turn once more
    accepted++;
    await turn();
    expect(order).toHaveLength(2);
    await turn(); // none this turn: the pass goes on
    expect(order).toHaveLength(4);
    for (let i = 0; i < 300; i++) {
      accepted++;
      await turn();
    }
    expect(order).toHaveLength(6); // a flood of connections does not stop it
  });

  it('a viewer that joins during a pass gets the GOP with that batch once; one that leaves is not written again', async () => {
    const { live, f, vs, handles } = await sliced(6);
    live.push(video(40, false));
    await turn();
    const late = new Viewer();
    f.add(late); // between two slices of v40's pass
    expect(late.text).toBe('H;C0;K0;v40;');
    const left = vs.find((v) => !v.text.endsWith('v40;'))!;
    const handleless = left.writes;
    f.remove(handles[vs.indexOf(left)]!); // its connection closed before the pass reached it
    for (let i = 0; i < 4; i++) await turn();
    expect(left.writes).toBe(handleless);
    live.push(video(80, false));
    for (let i = 0; i < 4; i++) await turn();
    expect(late.text).toBe('H;C0;K0;v40;v80;');
    for (const v of vs) if (v !== left) expect(v.text).toBe('H;C0;K0;v40;v80;');
  });
});

describe('Fanout past capacity (a batch waits longer than maxLagMs for its pass)', () => {
  it('drops the batch and everything up to the next keyframe for every viewer alike; nobody is closed', async () => {
    const { bus, live, f, advance } = await started({ maxLagMs: 100 });
    const a = new Viewer();
    const b = new Viewer();
    f.add(a);
    f.add(b);
    live.push(video(40, false));
    await turn(); // on time
    live.push(audio(60));
    live.push(video(80, false));
    advance(150); // the batch waited 150 ms (a long pass of another stream, say)
    await turn();
    expect(f.lagMs).toBe(150);
    expect(live.fanoutLagMs()).toBe(150);
    live.push(video(120, false)); // still before the next keyframe: shed
    live.push(audio(150));
    await turn();
    live.push(video(160, true));
    live.push(video(200, false));
    await turn();
    expect(a.text).toBe('H;C0;K0;v40;K160;v200;');
    expect(b.text).toBe(a.text);
    expect(bus.counters.framesShed).toBe(4);
    expect(bus.counters.framesDropped).toBe(0);
    expect(a.closedWith ?? b.closedWith).toBeUndefined();
    expect(f.lagMs).toBe(0);
    const late = new Viewer();
    f.add(late);
    expect(late.text).toBe('H;C0;K0;v40;'); // its own group, the GOP from K160 on
  });

  it("keeps a late batch's keyframe that has not waited that long itself, and drops what came before it", async () => {
    const { bus, live, f, advance } = await started({ maxLagMs: 100 });
    const a = new Viewer();
    f.add(a);
    live.push(video(40, false));
    advance(150);
    live.push(video(80, true)); // the same batch: v40 waited 150 ms, the keyframe none
    await turn();
    live.push(video(120, false));
    await turn();
    expect(a.text).toBe('H;C0;K0;K80;v120;');
    expect(bus.counters.framesShed).toBe(1);
  });

  it('drops a late batch whose keyframe is late too, and waits for the next keyframe', async () => {
    const { bus, live, f, advance } = await started({ maxLagMs: 100 });
    const a = new Viewer();
    f.add(a);
    live.push(audio(60));
    live.push(video(80, true));
    advance(150);
    await turn();
    const joiner = new Viewer();
    f.add(joiner); // K80's group lost its keyframe: a joiner gets the headers, its media starts at the next keyframe
    live.push(video(120, false));
    await turn();
    expect(a.text).toBe('H;C0;K0;');
    expect(joiner.text).toBe('H;C0;');
    live.push(video(160, true));
    await turn();
    expect(a.text).toBe('H;C0;K0;K160;');
    expect(joiner.text).toBe('H;C0;K0;');
    expect(bus.counters.framesShed).toBe(3);
  });
});

describe('Fanout fed by a relay (a viewer worker): the time a message spent in transit counts as lag', () => {
  it('sheds messages that reached the bus too late, until a keyframe arrives in time; on-time ones go out', async () => {
    const { bus, live, f } = await started({ maxLagMs: 100 });
    const a = new Viewer();
    f.add(a);
    live.push(video(40, false), 30); // 30 ms in transit: in time
    await turn();
    expect(f.lagMs).toBe(30);
    live.push(video(80, false), 150); // read 150 ms after it was relayed: the process is behind
    await turn();
    expect(f.lagMs).toBe(150);
    live.push(video(120, false), 20); // in time itself, but after a shed frame: not before a keyframe
    live.push(video(160, true), 140); // a keyframe that is late too
    await turn();
    live.push(video(200, false), 10);
    live.push(video(240, true), 10); // caught up
    await turn();
    live.push(video(280, false));
    await turn();
    expect(a.text).toBe('H;C0;K0;v40;K240;v280;');
    expect(bus.counters.framesShed).toBe(4);
    expect(live.arrivalAgeMs).toBe(0); // only while a push is delivered
  });
});

describe('Fanout with one shared timeline (RTMP play)', () => {
  /** RTMP play's shape: no header, the publisher's timestamps (`<kind initial><dts>;`), one group; counts encodings. */
  async function rtmpLike() {
    const bus = new StreamBus();
    const live = bus.publish('live', 's', { id: 'p', protocol: 'rtmp', remoteAddress: '127.0.0.1' }, () => {});
    const counts = { encodes: 0 };
    const f = new Fanout(live, {
      newEncoder: () => ({ start: () => [], push: (m) => (counts.encodes++, [Buffer.from(`${m.kind[0]}${m.dts};`)]) }),
      singleTimeline: true,
      maxBacklogBytes: 1000,
      maxBehindMs: 1000,
      maxLagMs: 1e9,
      maxRecordBytes: 1 << 20,
      maxRecordMs: 10_000,
      counters: bus.counters,
      now: () => 0,
    });
    live.subscribe(f, { internal: true });
    live.push(video(0, false, 'config'));
    live.push(video(1000, true));
    await turn();
    return { live, f, counts };
  }

  it('keeps every viewer in one group and gives joiners the current GOP', async () => {
    const { live, f, counts } = await rtmpLike();
    const a = new Viewer();
    f.add(a);
    live.push(video(3000, true));
    live.push(video(3040, false));
    await turn();
    const b = new Viewer();
    f.add(b);
    expect(a.text).toBe('v0;v1000;v3000;v3040;');
    expect(b.text).toBe('v0;v3000;v3040;');
    expect(f.groupCount).toBe(1);
    counts.encodes = 0;
    live.push(video(3080, false));
    await turn();
    expect(counts.encodes).toBe(1); // one encoding for both viewers
    expect(a.text.endsWith('v3080;') && b.text.endsWith('v3080;')).toBe(true);
  });

  it('under load (pacer delay) gathers several frames into one write per viewer, then writes each frame at once again', async () => {
    let gather = 30;
    const { live, f } = setup({ gatherMs: () => gather });
    live.push(video(0, false, 'config'));
    live.push(video(0, true));
    await new Promise((r) => setTimeout(r, 40));
    const a = new Viewer();
    f.add(a);
    const before = a.writes;
    for (const dts of [33, 66, 100]) {
      live.push(audio(dts - 10));
      live.push(video(dts, false));
      await turn(); // each frame in its own event-loop turn, as from a real publisher
    }
    expect(a.writes).toBe(before); // still gathering
    await new Promise((r) => setTimeout(r, 40));
    expect(a.writes - before).toBe(1);
    expect(a.text).toMatch(/a23;v33;a56;v66;a90;v100;$/);
    gather = 0; // load gone: every frame at the end of its turn
    for (const dts of [133, 166]) {
      live.push(video(dts, false));
      await turn();
    }
    expect(a.writes - before).toBe(3);
    // a keyframe goes out with what was gathered before it (one write); two keyframes never share a batch
    gather = 30;
    live.push(video(200, false));
    live.push(video(233, true));
    await new Promise((r) => setTimeout(r, 40));
    expect(a.writes - before).toBe(4);
    expect(a.text).toMatch(/v166;v200;K233;$/);
    live.push(video(266, true));
    await turn();
    live.push(video(300, true));
    await turn();
    expect(a.writes - before).toBe(5); // the keyframe at 266, when the one at 300 arrived
    await new Promise((r) => setTimeout(r, 40));
    expect(a.writes - before).toBe(6);
    expect(a.text).toMatch(/K233;K266;K300;$/);
  });

  it('writes the audio before a keyframe and the keyframe in one write; joiners get the GOP from the keyframe on', async () => {
    const { live, f } = await rtmpLike();
    const a = new Viewer();
    f.add(a);
    const before = a.writes;
    live.push(audio(2990));
    live.push(video(3000, true));
    const b = new Viewer();
    f.add(b); // joins after the keyframe arrived, before it was written
    await turn();
    expect(a.writes - before).toBe(1);
    expect(a.text).toBe('v0;v1000;a2990;v3000;');
    expect(b.text).toBe('v0;v3000;');
    const c = new Viewer();
    f.add(c);
    expect(c.text).toBe('v0;v3000;');
    live.push(audio(3020));
    live.push(video(3040, false));
    await turn();
    for (const v of [a, b, c]) expect(v.text.endsWith('v3000;a3020;v3040;')).toBe(true);
  });
});
