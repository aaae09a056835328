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

/** Does the stream carry audio / video, from what arrived or what onMetaData announces? */
function tracks(s: LiveStream): { hasAudio: boolean; hasVideo: boolean } {
  const meta = s.metadata?.args[0] as Record<string, unknown> | undefined;
  const announced = (k: string) => meta !== undefined && typeof meta === 'object' && meta !== null && meta[k] !== undefined;
  return {
    hasAudio: s.hasAudio || announced('audiocodecid'),
    hasVideo: s.hasVideo || announced('videocodecid'),
  };
}

/**
 * One HTTP-FLV or WS-FLV viewer: a bus Sink that turns messages into FLV tags for its output.
 * The FLV muxer rebases timestamps per viewer; bodies are shared, never copied.
 */
export class FlvViewer implements Sink, ViewerInfo {
  readonly startedAt = Date.now();
  readonly stream: string;
  private readonly muxer: FlvViewerMuxer;
  private sent = 0;
  private sub: Subscription | undefined;
  private done = false;

  constructor(
    readonly id: string,
    readonly protocol: ViewerProtocol,
    readonly remoteAddress: string,
    live: LiveStream,
    private readonly out: FlvOutput,
    /** Called once when the viewer is gone, whatever the reason. */
    private readonly onGone: (v: FlvViewer, reason: string) => void,
  ) {
    this.stream = live.key;
    this.muxer = new FlvViewerMuxer(tracks(live));
    this.emit([this.muxer.header()]);
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
    const bufs = this.muxer.push(msg);
    if (bufs.length > 0) this.emit(bufs);
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
