import type { MediaMessage } from '../media/message.js';
import { isVideoKeyframe } from '../media/message.js';
import type { BusCounters, CloseReason, Sink } from './subscription.js';
import type { LiveStream } from './live-stream.js';
import type { FlushPacer } from './flush-pacer.js';

/**
 * Turns messages into bytes for one group of viewers that share a timeline (for FLV: viewers
 * that joined in the same GOP, so the same timestamp base). One encoder per group, not per viewer.
 */
export interface GroupEncoder {
  /** Bytes that open the byte stream (e.g. the FLV header). */
  start(): Buffer[];
  /** Bytes for one message (possibly none). */
  push(msg: MediaMessage): Buffer[];
}

/** The socket side of one fan-out viewer. */
export interface FanoutViewer {
  /** Queue bytes (shared with other viewers: never modify). */
  write(bytes: Buffer): void;
  /** Bytes queued and not yet sent. */
  backlog(): number;
  /** The fan-out ended this viewer: the stream ended, or it stayed behind (`slow`). Called once. */
  closed(reason: CloseReason): void;
}

export interface FanoutOptions {
  /** A fresh encoder for a group that starts now, on `stream`'s current tracks. */
  newEncoder(stream: LiveStream): GroupEncoder;
  /** Unsent bytes after which a viewer skips to the next keyframe. */
  maxBacklogBytes: number;
  /** A viewer behind for longer than this is closed. */
  maxBehindMs: number;
  /**
   * Longest a gathered batch may wait for its pass over the viewers (ms): past it the process cannot
   * write this stream to all its viewers in time, and every viewer skips to the next keyframe together.
   */
  maxLagMs: number;
  /** Bound of the recorded GOP (bytes / ms); past it, joiners wait for the next keyframe. */
  maxRecordBytes: number;
  maxRecordMs: number;
  counters: BusCounters;
  now: () => number;
  /** How long audio may wait for the next video message before it is sent on its own. */
  audioHoldMs?: number;
  /**
   * Under load, how long messages are gathered before a write (none: every frame at once); and the
   * connections the process has accepted so far: while that goes up between two slices of a pass,
   * the pass waits another event-loop turn (up to a bound), so a burst of joins is accepted at the
   * rate the loop can turn, not one per slice.
   */
  pacer?: Pick<FlushPacer, 'delayMs'> & Partial<Pick<FlushPacer, 'accepted'>>;
  /** Transport framing applied once per batch (e.g. HTTP chunked encoding), shared by every viewer. */
  frame?: (batch: Buffer) => Buffer;
  /**
   * Every viewer shares one timeline (RTMP play keeps the publisher's timestamps): one group and
   * one encoding per batch for all; a keyframe only restarts what joiners are given.
   */
  singleTimeline?: boolean;
  /**
   * Longest a pass over the viewers runs (ms, by `now`) before it lets the event loop go round and
   * goes on in the next turn (default 5). Node accepts one connection per event-loop turn, so a pass
   * over thousands of viewers in one turn would hold new viewers (and the publisher's reads) back.
   */
  passSliceMs?: number;
}

/** A viewer's standing in the fan-out (kept small: there may be thousands). */
export interface FanoutHandle {
  readonly viewer: FanoutViewer;
  /** Batches skipped because the viewer was behind. */
  dropped: number;
  /** Bytes handed to the viewer. */
  bytes: number;
}

interface ViewerState extends FanoutHandle {
  skipping: boolean;
  behindSince: number;
  group: Group | undefined;
}

/** One group's bytes of one batch: all of it, and the part from the batch's keyframe on. */
interface Out {
  readonly whole: Buffer;
  /** From the keyframe on (what is recorded for joiners, and what a resuming viewer gets); `whole` if the batch starts there. */
  readonly tail: Buffer | undefined;
}

interface Group {
  readonly encoder: GroupEncoder;
  readonly viewers: Set<ViewerState>;
  /** While this is the current group: every batch since it started, for joiners. */
  recording: Buffer[] | undefined;
  recordedBytes: number;
  startDts: number;
}

/** A batch's pass over the viewers that has not reached them all yet. */
interface Pass {
  readonly targets: ViewerState[];
  /** What each target gets (its group's encoding). */
  readonly outs: Out[];
  readonly resumable: boolean;
  readonly essential: boolean;
  /** Where the loop over the targets started (it turns with each batch). */
  readonly start: number;
  /** Targets done so far. */
  done: number;
  /** The pacer's `accepted` when the pass last looked, and the turns it has waited since its last slice. */
  accepted: number;
  waited: number;
}

/** Default wait of audio for the next video frame (one frame at 25 fps). */
const AUDIO_HOLD_MS = 40;
/** Default longest slice of a pass over the viewers (ms). */
const PASS_SLICE_MS = 5;
/** Most event-loop turns a pass waits between two slices while connections are being accepted. */
const MAX_ACCEPT_TURNS = 256;

/**
 * Shared fan-out of one live stream to many viewers of one protocol. It is a single (internal)
 * bus subscriber. Messages are gathered into batches (a video frame with the audio before it,
 * flushed at the end of the event-loop turn); each batch is encoded once per group and the same
 * Buffer goes to every viewer of the group with one write (a keyframe too: the audio before it and
 * the keyframe go out together, while joiners and resuming viewers get the part from the keyframe
 * on). A new viewer gets the recorded batches of the current GOP (shared Buffers) and joins the
 * current group. A viewer whose backlog passes the limit skips batches until one with a keyframe,
 * and is closed if it stays behind. Publisher and other viewers never wait for it.
 *
 * A pass over the viewers is cut into slices of a few milliseconds, one per event-loop turn, so
 * that connections are accepted and the publisher is read while it goes on; what arrives meanwhile
 * is gathered for the next batch, which starts when the pass ends (every viewer gets every batch,
 * in order). Under load this makes batches larger and writes fewer, like the pacer.
 *
 * Past the process's capacity passes take longer than the media they carry and batches wait
 * longer and longer. When one has waited more than `maxLagMs`, the stream sheds: the batch (up to
 * its keyframe, if it has one that has not waited as long) and everything up to the next keyframe
 * are dropped for every viewer alike. Viewers stay live and equal (each misses the same frames), nobody's backlog grows and
 * nobody is closed for the server's slowness.
 */
export class Fanout implements Sink {
  private readonly groups = new Set<Group>();
  private current: Group | undefined;
  /** Viewers waiting for a keyframe, or for the batch that carries one to be written (then the GOP is theirs). */
  private readonly waiting = new Set<ViewerState>();
  private pending: MediaMessage[] = [];
  /**
   * Where in `pending` the current group started (its keyframe), or -1. Messages before it (audio
   * waiting for this video frame) go to the older groups' viewers in the same write as the keyframe:
   * a keyframe costs one pass over the viewers, not two.
   */
  private split = -1;
  /** The scheduled flush of `pending` (an immediate or a timer) and when it is due. */
  private flushTimer: NodeJS.Immediate | NodeJS.Timeout | undefined;
  private flushDue = Infinity;
  private ended: CloseReason | undefined;
  private count = 0;
  /** Batches written so far: where the next batch's loop over the viewers starts. */
  private turn = 0;
  /**
   * When the oldest gathered message arrived (undefined: nothing gathered), and the batch's keyframe; a
   * message relayed to a viewer worker arrived when the main process relayed it (LiveStream.arrivalAgeMs).
   */
  private pendingSince: number | undefined;
  private splitSince = 0;
  /** How long the last batch waited for its pass (ms). */
  private lastLag = 0;
  /** Behind: messages are dropped for everyone until the next keyframe. */
  private shedding = false;
  /** The pass over the viewers still going on, and its next slice. */
  private pass: Pass | undefined;
  private passSlice: NodeJS.Immediate | undefined;

  constructor(
    private readonly stream: LiveStream,
    private readonly opts: FanoutOptions,
  ) {}

  /** Viewers attached (waiting or live). */
  get size(): number {
    return this.count;
  }

  /** Groups with viewers, plus the current one (each costs one encode per batch). */
  get groupCount(): number {
    return this.groups.size;
  }

  /** How long the last batch waited for its pass over the viewers (ms). */
  get lagMs(): number {
    return this.lastLag;
  }

  /** True once the stream ended. */
  get closed(): boolean {
    return this.ended !== undefined;
  }

  /** Attach a viewer: it gets the current GOP at once, or waits for the next keyframe. */
  add(viewer: FanoutViewer): FanoutHandle | undefined {
    if (this.ended) return undefined;
    const vs: ViewerState = { viewer, dropped: 0, bytes: 0, skipping: false, behindSince: -1, group: undefined };
    this.count++;
    this.waiting.add(vs);
    this.admitWaiting();
    return vs;
  }

  /**
   * Send what is gathered for the next batch now (a viewer about to move to its own subscription
   * must not lose it: the bus continues with the next message).
   */
  flushNow(): void {
    this.flush('sync');
  }

  /** Detach a viewer that left (its connection closed). */
  remove(handle: FanoutHandle): void {
    const vs = handle as ViewerState;
    if (this.waiting.delete(vs) || vs.group?.viewers.delete(vs)) {
      this.count--;
      const g = vs.group;
      if (g && g !== this.current && g.viewers.size === 0) this.groups.delete(g); // (never the single timeline's: it is current)
      vs.group = undefined;
    }
  }

  // --- Sink (the bus side) ---

  backlog(): number {
    return 0; // the fan-out applies the slow-viewer policy per viewer itself
  }

  write(msg: MediaMessage): void {
    if (this.ended) return;
    const essential = msg.kind === 'data' ? msg.name === 'onMetaData' : msg.packet === 'config' || msg.packet === 'end';
    if (essential) {
      // Sequence headers and metadata go out on their own, to every viewer, skipping or not.
      this.flush('sync');
      this.pending.push(msg);
      this.flush('essential');
      return;
    }
    const audioOnly = !this.stream.hasVideo;
    const keyframe = isVideoKeyframe(msg);
    if (this.shedding) {
      if (!(keyframe || (audioOnly && msg.kind === 'audio'))) {
        this.opts.counters.framesShed++;
        return;
      }
      this.shedding = false;
    }
    const arrived = this.opts.now() - this.stream.arrivalAgeMs; // (a relayed message may come in late)
    if (keyframe || (audioOnly && msg.kind === 'audio' && msg.packet === 'frame' && !this.current)) {
      if (this.split >= 0) this.flush('now'); // one group start per batch (an all-intra stream under load)
      this.split = this.pending.length;
      this.splitSince = arrived;
      this.startGroup(msg.dts);
    }
    if (this.pending.length === 0) this.pendingSince = arrived;
    this.pending.push(msg);
    // A video frame goes out at the end of this event-loop turn, or after the pacer's delay under
    // load; audio waits for the next video frame (one write for both), but not for long.
    const gather = this.count > 0 ? (this.opts.pacer?.delayMs() ?? 0) : 0; // nobody to write to: nothing to gather
    this.scheduleFlush(msg.kind === 'video' || audioOnly ? gather : Math.max(gather, this.opts.audioHoldMs ?? AUDIO_HOLD_MS));
  }

  close(reason: CloseReason): void {
    if (this.ended) return;
    this.flush('sync');
    this.ended = reason;
    const all = [...this.waiting];
    for (const g of this.groups) all.push(...g.viewers);
    this.waiting.clear();
    this.groups.clear();
    this.current = undefined;
    this.count = 0;
    for (const vs of all) vs.viewer.closed(reason);
  }

  // --- internals ---

  /** Flush `pending` within `ms` (0: at the end of this event-loop turn); an earlier schedule stands. */
  private scheduleFlush(ms: number): void {
    const due = this.opts.now() + ms;
    if (due >= this.flushDue) return;
    this.cancelFlush();
    this.flushDue = due;
    const run = () => {
      this.flushTimer = undefined;
      this.flushDue = Infinity;
      this.flush('when-free');
    };
    this.flushTimer = ms < 1 ? setImmediate(run) : setTimeout(run, ms);
  }

  private cancelFlush(): void {
    const t = this.flushTimer;
    if (t === undefined) return;
    if ('refresh' in t) clearTimeout(t);
    else clearImmediate(t);
    this.flushTimer = undefined;
    this.flushDue = Infinity;
  }

  /** A keyframe (or an audio-only stream's first frame) starts a new group; waiting viewers join it (see admitWaiting). */
  private startGroup(dts: number): void {
    const prev = this.current;
    if (prev) {
      prev.recording = undefined;
      prev.recordedBytes = 0;
      if (prev.viewers.size === 0 && !this.opts.singleTimeline) this.groups.delete(prev);
    }
    const reuse = this.opts.singleTimeline ? prev : undefined;
    const encoder = reuse?.encoder ?? this.opts.newEncoder(this.stream);
    const intro: Buffer[] = reuse ? [] : [...encoder.start()];
    const s = this.stream;
    for (const m of [s.metadata, s.videoConfig, s.audioConfig]) if (m) intro.push(...encoder.push(m));
    const introBytes = this.framed(Buffer.concat(intro));
    const g: Group = reuse ?? { encoder, viewers: new Set(), recording: undefined, recordedBytes: 0, startDts: dts };
    g.recording = [introBytes];
    g.recordedBytes = introBytes.length;
    g.startDts = dts;
    this.groups.add(g);
    this.current = g;
    this.admitWaiting();
  }

  /**
   * Waiting viewers join the current group and get its recorded GOP, unless the batch being gathered
   * starts before the group's keyframe: then they join once it is written (and recorded from the
   * keyframe on), so they never get what came before the keyframe.
   */
  private admitWaiting(): void {
    const g = this.current;
    if (!g?.recording || this.split > 0) return;
    for (const vs of this.waiting) {
      vs.group = g;
      g.viewers.add(vs);
      for (const b of g.recording) this.send(vs, b);
    }
    this.waiting.clear();
  }

  /**
   * Start a pass with what is gathered. A pass still going on is finished first, at once, except
   * for `when-free` (a scheduled flush): then what is gathered waits for that pass to end. `sync`
   * and `essential` (sequence headers, metadata: to every viewer, skipping or not) finish the new
   * pass before returning; the others run it in slices.
   */
  private flush(how: 'when-free' | 'now' | 'sync' | 'essential'): void {
    const essential = how === 'essential';
    if (!essential) this.cancelFlush();
    if (this.pass) {
      if (how === 'when-free') return; // (the pass's end flushes)
      this.runPass(Infinity);
    }
    let msgs = this.pending;
    if (msgs.length === 0) return;
    this.pending = [];
    let split = this.split;
    this.split = -1;
    const joinersWait = split > 0; // viewers who joined while this batch was gathered wait for it
    if (this.pendingSince !== undefined) {
      this.lastLag = this.opts.now() - this.pendingSince;
      this.pendingSince = undefined;
      if (this.lastLag > this.opts.maxLagMs) {
        // Behind: everyone skips to the next keyframe, this batch's if it has not waited too long itself.
        if (split < 0 || this.opts.now() - this.splitSince > this.opts.maxLagMs) {
          this.opts.counters.framesShed += msgs.length;
          this.shedding = true;
          return;
        }
        this.opts.counters.framesShed += split;
        msgs = msgs.slice(split);
        split = 0;
      }
    }
    const first = msgs[0]!;
    const resumable = split >= 0 || (!this.stream.hasVideo && first.kind === 'audio'); // (a keyframe always sets split)
    const lastDts = msgs[msgs.length - 1]!.dts;
    const targets: ViewerState[] = [];
    const outs: Out[] = [];
    for (const g of this.groups) {
      const out = this.encode(g, msgs, split);
      if (!out) continue;
      if (g.recording) this.record(g, out.tail ?? out.whole, lastDts);
      for (const vs of g.viewers) {
        targets.push(vs);
        outs.push(out);
      }
    }
    if (joinersWait) this.admitWaiting(); // (the recording has this batch from its keyframe on)
    // Who is written first turns with each batch, across groups: a loop over a thousand sockets takes
    // milliseconds (several µs per write, mostly the kernel's), and no viewer (say, the newest joiners,
    // in the newest group) should always be the one at its end.
    const n = targets.length;
    if (n === 0) return;
    this.pass = { targets, outs, resumable, essential, start: this.turn++ % n, done: 0, accepted: this.opts.pacer?.accepted ?? 0, waited: 0 };
    this.runPass(how === 'sync' || essential ? Infinity : (this.opts.passSliceMs ?? PASS_SLICE_MS));
  }

  /** Go on with the pass for up to `sliceMs`; then the rest in the next event-loop turn. */
  private runPass(sliceMs: number): void {
    const p = this.pass!;
    if (this.passSlice) {
      clearImmediate(this.passSlice);
      this.passSlice = undefined;
    }
    const until = sliceMs === Infinity ? Infinity : this.opts.now() + sliceMs;
    const n = p.targets.length;
    while (p.done < n) {
      const k = (p.start + p.done++) % n;
      const vs = p.targets[k]!;
      if (vs.group) this.deliver(vs, p.outs[k]!, p.resumable, p.essential); // (not one that left meanwhile)
      if (until !== Infinity && p.done < n && this.opts.now() >= until) {
        p.waited = 0;
        const next = () => {
          this.passSlice = undefined;
          const accepted = this.opts.pacer?.accepted ?? 0;
          if (accepted !== p.accepted && p.waited < MAX_ACCEPT_TURNS) {
            // A connection was accepted in the last turn: there may be more (Node takes one per turn).
            p.accepted = accepted;
            p.waited++;
            this.passSlice = setImmediate(next);
          } else this.runPass(sliceMs);
        };
        this.passSlice = setImmediate(next);
        return;
      }
    }
    this.pass = undefined;
    if (this.pending.length > 0 && this.flushTimer === undefined && !this.ended) this.scheduleFlush(0); // gathered meanwhile
  }

  /**
   * A batch in `g`'s encoding (none if it encodes to nothing). With a keyframe at `split` > 0, the part
   * from the keyframe on is kept apart too; a group that starts at that keyframe encodes only that part.
   */
  private encode(g: Group, msgs: MediaMessage[], split: number): Out | undefined {
    const from = split > 0 && g === this.current && !this.opts.singleTimeline ? split : 0; // a new encoder starts at its keyframe
    const head: Buffer[] = [];
    const tail: Buffer[] = [];
    for (let i = from; i < msgs.length; i++) for (const b of g.encoder.push(msgs[i]!)) (split > 0 && i >= split ? tail : head).push(b);
    if (head.length + tail.length === 0) return undefined;
    if (head.length === 0 || tail.length === 0) {
      const whole = this.framed(concat(head.length ? head : tail));
      return { whole, tail: head.length === 0 ? whole : undefined };
    }
    return { whole: this.framed(concat([...head, ...tail])), tail: this.framed(concat(tail)) };
  }

  private framed(b: Buffer): Buffer {
    return this.opts.frame ? this.opts.frame(b) : b;
  }

  private record(g: Group, batch: Buffer, lastDts: number): void {
    g.recording!.push(batch);
    g.recordedBytes += batch.length;
    if (g.recordedBytes > this.opts.maxRecordBytes || lastDts - g.startDts > this.opts.maxRecordMs) {
      // A GOP too long to replay: joiners wait for the next keyframe instead.
      g.recording = undefined;
      g.recordedBytes = 0;
    }
  }

  private deliver(vs: ViewerState, out: Out, resumable: boolean, essential: boolean): void {
    if (!essential) {
      const backlog = vs.viewer.backlog();
      if (vs.skipping) {
        if (!(resumable && backlog <= this.opts.maxBacklogBytes / 2)) return this.drop(vs);
        vs.skipping = false;
        vs.behindSince = -1;
        return this.send(vs, out.tail ?? out.whole); // from the keyframe on
      } else if (backlog > this.opts.maxBacklogBytes) {
        vs.skipping = true;
        return this.drop(vs);
      }
    }
    this.send(vs, out.whole);
  }

  private send(vs: ViewerState, b: Buffer): void {
    vs.bytes += b.length;
    vs.viewer.write(b);
  }

  private drop(vs: ViewerState): void {
    vs.dropped++;
    this.opts.counters.framesDropped++;
    const t = this.opts.now();
    if (vs.behindSince < 0) vs.behindSince = t;
    else if (t - vs.behindSince > this.opts.maxBehindMs) {
      this.opts.counters.subscribersClosedSlow++;
      this.remove(vs);
      vs.viewer.closed('slow');
    }
  }
}

function concat(parts: Buffer[]): Buffer {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
