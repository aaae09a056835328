import type { CloseReason, LiveStream, MediaMessage, Sink, Subscription } from '@livegate/ingest';
import { FlvViewerMuxer } from '@livegate/remux';
import type { ViewerInfo, ViewerProtocol } from './registry.js';

/** Where an FLV viewer's bytes go: an HTTP response or a WebSocket. */
export interface FlvOutput {
  /** Write the buffers of one FLV tag (header, shared body, trailer) as one unit. */
  write(bufs: Buffer[]): void;
  /** Bytes queued and not yet sent. */
  backlog(): number;
  /** The stream ended: finish cleanly (end of HTTP body / WS close 1000). */
  end(): void;
  /** Drop the viewer now (slow, kicked). */
  destroy(): void;
}

/** Messages held before the FLV header can say which tracks exist (metadata and configs only). */
const MAX_PENDING = 16;

/** Does the stream carry audio / video, from what arrived or what onMetaData announces? undefined: not known yet. */
function tracks(s: LiveStream): { hasAudio: boolean; hasVideo: boolean } | undefined {
  const meta = s.metadata?.args[0];
  const announced = (k: string) => typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>)[k] !== undefined;
  const hasAudio = s.hasAudio || announced('audiocodecid');
  const hasVideo = s.hasVideo || announced('videocodecid');
  return hasAudio || hasVideo ? { hasAudio, hasVideo } : undefined;
}

/**
 * One HTTP-FLV or WS-FLV viewer: a bus Sink that turns messages into FLV tags for its output.
 * The FLV muxer rebases timestamps per viewer; bodies are shared, never copied.
 */
export class FlvViewer implements Sink, ViewerInfo {
  readonly startedAt = Date.now();
  readonly stream: string;
  /** Created once the tracks are known: the FLV header announces them and flv.js relies on it. */
  private muxer: FlvViewerMuxer | undefined;
  /** Messages that arrived before the tracks were known (a viewer that joined at the very start). */
  private pending: MediaMessage[] = [];
  private sent = 0;
  private sub: Subscription | undefined;
  private done = false;

  constructor(
    readonly id: string,
    readonly protocol: ViewerProtocol,
    readonly remoteAddress: string,
    private readonly live: LiveStream,
    private readonly out: FlvOutput,
    /** Called once when the viewer is gone, whatever the reason. */
    private readonly onGone: (v: FlvViewer, reason: string) => void,
  ) {
    this.stream = live.key;
    this.startIfKnown(false);
  }

  /** Attach the bus subscription (done after construction: subscribing primes the GOP at once). */
  attach(sub: Subscription): void {
    this.sub = sub;
  }

  bytesOut(): number {
    return this.sent;
  }

  dropped(): number {
    return this.sub?.dropped ?? 0;
  }

  backlog(): number {
    return this.out.backlog();
  }

  write(msg: MediaMessage): void {
    if (!this.muxer) {
      this.pending.push(msg);
      // The first media frame (or a full queue) settles it: what has arrived by then is what the stream has.
      const settled = (msg.kind !== 'data' && msg.packet === 'frame') || this.pending.length >= MAX_PENDING;
      if (!this.startIfKnown(settled)) return;
      const held = this.pending;
      this.pending = [];
      for (const m of held) this.write(m);
      return;
    }
    const bufs = this.muxer.push(msg);
    if (bufs.length > 0) this.emit(bufs);
  }

  /** Create the muxer and send the FLV header once the tracks are known (or `force`d). */
  private startIfKnown(force: boolean): boolean {
    const t = tracks(this.live) ?? (force ? { hasAudio: true, hasVideo: true } : undefined);
    if (!t) return false;
    this.muxer = new FlvViewerMuxer(t);
    this.emit([this.muxer.header()]);
    return true;
  }

  /** The bus ended this subscription. */
  close(reason: CloseReason | string): void {
    if (this.done) return;
    this.done = true;
    if (reason === 'ended' || reason === 'kicked' || reason === 'replaced' || reason === 'shutdown') this.out.end();
    else this.out.destroy();
    this.sub?.close('unsubscribed');
    this.onGone(this, reason);
  }

  /** The viewer's connection went away. */
  disconnected(): void {
    if (this.done) return;
    this.done = true;
    this.sub?.close('unsubscribed');
    this.onGone(this, 'disconnected');
  }

  private emit(bufs: Buffer[]): void {
    for (const b of bufs) this.sent += b.length;
    this.out.write(bufs);
  }
}
