import type { AudioMessage, DataMessage, MediaMessage, VideoMessage } from '../media/message.js';
import { isVideoKeyframe } from '../media/message.js';
import type { BusLimits } from './limits.js';
import { Subscription, type BusCounters, type CloseReason, type Sink } from './subscription.js';

/** Who is publishing a stream. */
export interface PublisherInfo {
  /** The connection id, as it appears in the logs. */
  readonly id: string;
  readonly protocol: 'rtmp' | 'rtmps' | (string & {});
  readonly remoteAddress: string;
}

/** Per-stream counters, sampled by the API and /metrics to compute rates. */
export interface StreamStats {
  bytesIn: number;
  videoFrames: number;
  audioFrames: number;
  keyframes: number;
  dataMessages: number;
  /** dts of the last media message (ms), -1 before the first. */
  lastDts: number;
}

/**
 * One live publication of `app/stream`: its decoder configs, latest metadata, the GOP cache
 * and its subscribers. A republish creates a new LiveStream.
 */
export class LiveStream {
  /** Latest onMetaData (replayed to late joiners). */
  metadata: DataMessage | undefined;
  videoConfig: VideoMessage | undefined;
  audioConfig: AudioMessage | undefined;
  readonly stats: StreamStats = { bytesIn: 0, videoFrames: 0, audioFrames: 0, keyframes: 0, dataMessages: 0, lastDts: -1 };
  /** True once a video message arrived: late joiners then wait for a video keyframe. */
  hasVideo = false;
  hasAudio = false;
  /** Set when the stream ended; no more messages are accepted. */
  endedReason: CloseReason | undefined;

  private gop: MediaMessage[] = [];
  private gopBytes = 0;
  private readonly subs = new Set<Subscription>();
  /** The gateway's own subscribers (remuxers, caption readers): not viewers, not limited. */
  private readonly internal = new Set<Subscription>();
  private nextSubId = 1;

  constructor(
    readonly app: string,
    readonly name: string,
    readonly publisher: PublisherInfo,
    /** Bus clock time (ms) of the publish. */
    readonly startedAt: number,
    private readonly limits: BusLimits,
    private readonly counters: BusCounters,
    private readonly now: () => number,
    /** Called when the bus must end this publisher (replaced, kicked, shutdown). */
    readonly onKick: (reason: CloseReason) => void,
  ) {}

  /** `app/stream`. */
  get key(): string {
    return `${this.app}/${this.name}`;
  }

  /** Number of current subscribers (viewers and the gateway's own). */
  get subscriberCount(): number {
    return this.subs.size;
  }

  /** Viewers served through a shared fan-out: they are not bus subscribers themselves, but count. */
  private fanoutViewers = 0;

  /** Viewers: subscribers that are not `internal`, plus fan-out viewers; `maxSubscribersPerStream` bounds these. */
  get viewerCount(): number {
    return this.subs.size - this.internal.size + this.fanoutViewers;
  }

  /** Take a viewer slot for a fan-out viewer; false at the limit or when ended. */
  reserveViewer(): boolean {
    if (this.endedReason !== undefined || this.viewerCount >= this.limits.maxSubscribersPerStream) return false;
    this.fanoutViewers++;
    return true;
  }

  /** Give back a slot taken with reserveViewer. */
  releaseViewer(): void {
    if (this.fanoutViewers > 0) this.fanoutViewers--;
  }

  /** The longest any of this stream's fan-outs made its last batch wait for its pass over the viewers (ms). */
  fanoutLagMs(): number {
    let max = 0;
    for (const s of this.internal) max = Math.max(max, s.sink.lagMs ?? 0);
    return max;
  }

  /** Bytes held by the GOP cache (bounded by `gopCacheMaxBytes`). */
  get gopCacheBytes(): number {
    return this.gopBytes;
  }

  /** Messages in the GOP cache (first is a keyframe when non-empty). */
  get gopCacheLength(): number {
    return this.gop.length;
  }

  /** The current subscriptions (for the admin API). */
  subscriptions(): IterableIterator<Subscription> {
    return this.subs.values();
  }

  /** How long the message being pushed had waited before it reached this bus (ms); see push. */
  private pushAge = 0;

  /**
   * While a message is being pushed: how long it had waited before it reached this process's bus
   * (ms). 0 for a publisher's; for a viewer worker's relay, its transit from the main process.
   * Fan-outs count it in the lag that makes them shed: a process that reads its relay late is behind too.
   */
  get arrivalAgeMs(): number {
    return this.pushAge;
  }

  /** Publish one message to every subscriber (synchronously) and update caches; `ageMs`: see arrivalAgeMs. */
  push(msg: MediaMessage, ageMs = 0): void {
    if (this.endedReason !== undefined) return;
    this.account(msg);
    this.cache(msg);
    this.pushAge = ageMs;
    for (const s of this.subs) s.deliver(msg);
    this.pushAge = 0;
  }

  /**
   * Subscribe a sink. It receives at once the metadata, the sequence headers and the cached
   * GOP (so it starts on a keyframe), then live messages. Returns undefined when the stream
   * is at its subscriber limit or has ended. `internal` subscribers (the gateway's own remuxers
   * and readers) take no viewer slot. `prime: false` hands over a player that already has the
   * headers and every message so far: no initial burst, it continues with the next message.
   */
  subscribe(sink: Sink, opts: { internal?: boolean; prime?: boolean } = {}): Subscription | undefined {
    const prime = opts.prime ?? true;
    if (this.endedReason !== undefined) return undefined;
    if (!opts.internal && this.viewerCount >= this.limits.maxSubscribersPerStream) return undefined;
    const waiting = prime && this.hasVideo && this.gop.length === 0;
    const sub = new Subscription(
      this.nextSubId++,
      sink,
      this.limits,
      this.counters,
      this.now,
      (s) => {
        this.subs.delete(s);
        this.internal.delete(s);
      },
      () => this.hasVideo,
      waiting,
    );
    this.subs.add(sub);
    if (opts.internal) this.internal.add(sub);
    if (!prime) return sub;
    if (this.metadata) sub.prime(this.metadata);
    if (this.videoConfig) sub.prime(this.videoConfig);
    if (this.audioConfig) sub.prime(this.audioConfig);
    for (const m of this.gop) sub.prime(m);
    return sub;
  }

  /** End the stream: every subscriber is closed with `reason`, caches are released. */
  end(reason: CloseReason): void {
    if (this.endedReason !== undefined) return;
    this.endedReason = reason;
    for (const s of [...this.subs]) s.close(reason);
    this.gop = [];
    this.gopBytes = 0;
  }

  private account(msg: MediaMessage): void {
    this.stats.bytesIn += msg.body.length;
    if (msg.kind === 'data') {
      this.stats.dataMessages++;
      if (msg.name === 'onMetaData') this.metadata = msg;
      return;
    }
    this.stats.lastDts = msg.dts;
    if (msg.kind === 'video') {
      this.hasVideo = true;
      if (msg.packet === 'config') this.videoConfig = msg;
      else if (msg.packet === 'frame') {
        this.stats.videoFrames++;
        if (msg.keyframe) this.stats.keyframes++;
      }
    } else {
      this.hasAudio = true;
      if (msg.packet === 'config') this.audioConfig = msg;
      else if (msg.packet === 'frame') this.stats.audioFrames++;
    }
  }

  private cache(msg: MediaMessage): void {
    if (!this.hasVideo) return; // audio-only streams start live; nothing to cache
    if (msg.kind === 'data' ? msg.name === 'onMetaData' : msg.packet === 'config') return; // replayed separately
    if (isVideoKeyframe(msg)) {
      this.gop = [msg];
      this.gopBytes = msg.body.length;
      return;
    }
    const first = this.gop[0];
    if (first === undefined) return; // overflowed or no keyframe yet: wait for the next one
    this.gopBytes += msg.body.length;
    if (this.gopBytes > this.limits.gopCacheMaxBytes || msg.dts - first.dts > this.limits.gopCacheMaxMs) {
      this.gop = [];
      this.gopBytes = 0;
      return;
    }
    this.gop.push(msg);
  }
}
