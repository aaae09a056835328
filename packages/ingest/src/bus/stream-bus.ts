import { EventEmitter } from 'node:events';
import { IngestError } from '../errors.js';
import { DEFAULT_BUS_LIMITS, type BusLimits } from './limits.js';
import { LiveStream, type PublisherInfo } from './live-stream.js';
import { DEFAULT_PACING, FlushPacer, type PacingOptions } from './flush-pacer.js';
import type { BusCounters, CloseReason, Sink, Subscription } from './subscription.js';

/** What happens when a second publisher asks for a key that is live. */
export type ConflictPolicy = 'refuse' | 'replace';

export interface StreamBusOptions {
  limits?: Partial<BusLimits>;
  onConflict?: ConflictPolicy;
  /** How fan-outs gather frames under load (see FlushPacer). */
  pacing?: PacingOptions;
  /** Monotonic clock in ms (injectable for tests). */
  now?: () => number;
}

interface BusEvents {
  publish: [stream: LiveStream];
  unpublish: [stream: LiveStream, reason: CloseReason];
}

/**
 * The in-process stream bus, keyed by `app/stream`. Publishers `publish` and push messages
 * onto their LiveStream; remuxers and players `subscribe`. Emits `publish` and `unpublish`.
 */
export class StreamBus extends EventEmitter<BusEvents> {
  readonly limits: BusLimits;
  readonly onConflict: ConflictPolicy;
  readonly counters: BusCounters = { framesDropped: 0, framesShed: 0, subscribersClosedSlow: 0 };
  readonly now: () => number;
  /** The process's fan-out pacing: every fan-out on this bus asks it how long to gather. */
  readonly pacer: FlushPacer;
  private readonly live = new Map<string, LiveStream>();

  constructor(opts: StreamBusOptions = {}) {
    super();
    this.limits = { ...DEFAULT_BUS_LIMITS, ...opts.limits };
    this.onConflict = opts.onConflict ?? 'refuse';
    this.now = opts.now ?? (() => performance.now());
    this.pacer = new FlushPacer(opts.pacing ?? DEFAULT_PACING);
  }

  /**
   * Start publishing `app/stream`. Throws ERR_STREAM_TAKEN when the key is live and the policy
   * is `refuse`; with `replace` the old publisher is kicked first. Throws ERR_STREAM_LIMIT at
   * the stream limit. `onKick` is how the bus ends this publisher later.
   */
  publish(app: string, name: string, publisher: PublisherInfo, onKick: (reason: CloseReason) => void): LiveStream {
    const key = `${app}/${name}`;
    const old = this.live.get(key);
    if (old) {
      if (this.onConflict === 'refuse') {
        throw new IngestError('ERR_STREAM_TAKEN', `stream ${key} is already publishing`);
      }
      this.unpublish(old, 'replaced');
      old.onKick('replaced');
    }
    if (this.live.size >= this.limits.maxStreams) {
      throw new IngestError('ERR_STREAM_LIMIT', `live streams (${this.live.size}) at the limit (${this.limits.maxStreams})`);
    }
    const stream = new LiveStream(app, name, publisher, this.now(), this.limits, this.counters, this.now, onKick);
    this.live.set(key, stream);
    this.emit('publish', stream);
    return stream;
  }

  /** End a publication: every subscriber is closed at once and the key becomes free. Idempotent. */
  unpublish(stream: LiveStream, reason: CloseReason = 'ended'): void {
    if (this.live.get(stream.key) !== stream) return;
    this.live.delete(stream.key);
    stream.end(reason);
    this.emit('unpublish', stream, reason);
  }

  /** Kick the publisher of `app/stream` (admin action); true when there was one. */
  kick(app: string, name: string): boolean {
    const s = this.get(app, name);
    if (!s) return false;
    this.unpublish(s, 'kicked');
    s.onKick('kicked');
    return true;
  }

  /** The live stream for `app/stream`, if any. */
  get(app: string, name: string): LiveStream | undefined {
    return this.live.get(`${app}/${name}`);
  }

  /** Subscribe to a live stream; undefined when it is not live or at its subscriber limit. */
  subscribe(app: string, name: string, sink: Sink): Subscription | undefined {
    return this.get(app, name)?.subscribe(sink);
  }

  /** All live streams. */
  streams(): IterableIterator<LiveStream> {
    return this.live.values();
  }

  /** Number of live streams. */
  get size(): number {
    return this.live.size;
  }

  /** End every stream (graceful shutdown). */
  close(): void {
    for (const s of [...this.live.values()]) {
      this.unpublish(s, 'shutdown');
      s.onKick('shutdown');
    }
  }
}
