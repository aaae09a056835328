import type { MediaMessage } from '../media/message.js';
import { isVideoKeyframe } from '../media/message.js';
import type { BusLimits } from './limits.js';

/** Why a subscription ended. */
export type CloseReason = 'ended' | 'slow' | 'unsubscribed' | 'replaced' | 'shutdown' | 'kicked';

/**
 * Where a subscriber's messages go. The bus calls `write` synchronously on the publisher's
 * turn; the sink must not block and must not copy `body` (hand it to the socket as it is).
 */
export interface Sink {
  /** Bytes handed to this sink and not yet sent (e.g. `socket.writableLength`). */
  backlog(): number;
  /** Deliver one message. */
  write(msg: MediaMessage): void;
  /** The subscription is over: the stream ended or the bus closed a slow subscriber. Called once. */
  close(reason: CloseReason): void;
  /** A fan-out's: how long its last batch waited for its pass over the viewers (ms). */
  readonly lagMs?: number;
}

/** Counters the bus keeps for metrics. */
export interface BusCounters {
  framesDropped: number;
  /** Frames no viewer got: a fan-out was behind (the process past its capacity) and its stream skipped to a keyframe. */
  framesShed: number;
  subscribersClosedSlow: number;
}

/** waiting: joined with no keyframe cached, starts at the next one (not counted as dropping). */
type State = 'waiting' | 'live' | 'skipping' | 'closed';

/**
 * One subscriber of one live stream. Implements the slow-viewer policy: when the sink's
 * backlog passes the limit the subscriber drops media until the next keyframe (sequence
 * headers and metadata always pass), and one that stays behind past `subscriberMaxBehindMs`
 * is closed. The publisher and the other subscribers never wait for it.
 */
export class Subscription {
  /** Messages dropped for this subscriber because it was behind. */
  dropped = 0;
  private state: State;
  private behindSince = -1;

  constructor(
    readonly id: number,
    readonly sink: Sink,
    private readonly limits: BusLimits,
    private readonly counters: BusCounters,
    private readonly now: () => number,
    /** Where the subscription removes itself from its stream. */
    private readonly detach: (s: Subscription) => void,
    /** True when the stream has video: only then does skipping wait for a video keyframe. */
    private readonly waitsForVideoKeyframe: () => boolean,
    startWaiting: boolean,
  ) {
    this.state = startWaiting ? 'waiting' : 'live';
  }

  /** True once closed (by the bus or by `unsubscribe`). */
  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Deliver the initial burst (metadata, configs, cached GOP) without the backlog check. */
  prime(msg: MediaMessage): void {
    if (this.state !== 'closed') this.sink.write(msg);
  }

  /** Deliver one live message, applying the slow-viewer policy. */
  deliver(msg: MediaMessage): void {
    if (this.state === 'closed') return;
    const essential = msg.kind === 'data' ? msg.name === 'onMetaData' : msg.packet === 'config' || msg.packet === 'end';
    if (essential) {
      this.sink.write(msg);
      return;
    }
    if (this.state === 'waiting') {
      if (!this.isResumePoint(msg)) return;
      this.state = 'live';
      this.sink.write(msg);
      return;
    }
    const backlog = this.sink.backlog();
    if (this.state === 'skipping') {
      // Resume only at a point a decoder can start from, and only with room to spare.
      if (this.isResumePoint(msg) && backlog <= this.limits.subscriberMaxBacklogBytes / 2) {
        this.state = 'live';
        this.behindSince = -1;
      } else {
        this.drop();
        return;
      }
    } else if (backlog > this.limits.subscriberMaxBacklogBytes) {
      this.state = 'skipping';
      this.drop();
      return;
    }
    this.sink.write(msg);
  }

  /** End the subscription; the sink's close is called once with `reason`. */
  close(reason: CloseReason): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.detach(this);
    this.sink.close(reason);
  }

  private isResumePoint(msg: MediaMessage): boolean {
    return this.waitsForVideoKeyframe() ? isVideoKeyframe(msg) : msg.kind === 'audio';
  }

  private drop(): void {
    this.dropped++;
    this.counters.framesDropped++;
    const t = this.now();
    if (this.behindSince < 0) this.behindSince = t;
    else if (t - this.behindSince > this.limits.subscriberMaxBehindMs) {
      this.counters.subscribersClosedSlow++;
      this.close('slow');
    }
  }
}
