import { FanoutSet, type CloseReason, type Fanout, type FanoutHandle, type FanoutViewer, type GroupEncoder, type LiveStream, type StreamBus } from '@livegate/ingest';
import { FlvViewerMuxer } from '@livegate/remux';
import type { ViewerInfo, ViewerProtocol } from './registry.js';
import { WS_OPCODE, wsFrame } from './ws-raw.js';

/** Does the stream carry audio / video, from what arrived or what onMetaData announces? */
function tracks(s: LiveStream): { hasAudio: boolean; hasVideo: boolean } {
  const meta = s.metadata?.args[0];
  const announced = (k: string) => typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>)[k] !== undefined;
  return { hasAudio: s.hasAudio || announced('audiocodecid'), hasVideo: s.hasVideo || announced('videocodecid') };
}

/** One FLV timeline for a group of viewers: header from the tracks known when the group starts (at a keyframe). */
function flvGroupEncoder(s: LiveStream): GroupEncoder {
  const muxer = new FlvViewerMuxer(tracks(s));
  return { start: () => [muxer.header()], push: (m) => muxer.push(m) };
}

/** HTTP/1.1 chunked framing of one batch (RFC 9112 7.1): one shared Buffer, one write per viewer. */
export function chunk(batch: Buffer): Buffer {
  const size = batch.length.toString(16);
  const out = Buffer.allocUnsafe(size.length + 2 + batch.length + 2);
  out.write(size, 0, 'latin1');
  out.write('\r\n', size.length, 'latin1');
  batch.copy(out, size.length + 2);
  out.write('\r\n', out.length - 2, 'latin1');
  return out;
}

/** One WebSocket binary frame around a batch (unmasked: every viewer of a group gets the same bytes). */
export function wsBinaryFrame(batch: Buffer): Buffer {
  return wsFrame(WS_OPCODE.binary, batch);
}

/** How a protocol frames the shared FLV bytes: HTTP-FLV as chunks, WS-FLV as binary frames (once per group). */
const FRAMING: Record<'http-flv' | 'ws-flv', (b: Buffer) => Buffer> = { 'http-flv': chunk, 'ws-flv': wsBinaryFrame };

/**
 * The FLV fan-outs of every live stream, one per protocol (their framing differs); the slow-viewer
 * limits are the bus's (viewers.maxBacklogBytes / maxBehindMs in the config).
 */
export class FlvFanouts extends FanoutSet<'http-flv' | 'ws-flv'> {
  constructor(bus: StreamBus) {
    super(bus, (protocol) => ({ frame: FRAMING[protocol], newEncoder: flvGroupEncoder }));
  }
}

/** Where an FLV viewer's bytes go: its HTTP socket or its WebSocket. */
export interface FlvOutput {
  write(bytes: Buffer): void;
  backlog(): number;
  /** The stream ended: finish cleanly. */
  end(): void;
  /** Drop now (slow, kicked). */
  destroy(): void;
}

/** One HTTP-FLV or WS-FLV viewer of a fan-out. */
export class FlvViewer implements FanoutViewer, ViewerInfo {
  readonly startedAt = Date.now();
  readonly stream: string;
  private handle: FanoutHandle | undefined;
  private done = false;

  constructor(
    readonly id: string,
    readonly protocol: ViewerProtocol,
    readonly remoteAddress: string,
    private readonly live: LiveStream,
    private readonly fanout: Fanout,
    private readonly out: FlvOutput,
    /** Called once when the viewer is gone, whatever the reason. */
    private readonly onGone: (v: FlvViewer, reason: string) => void,
  ) {
    this.stream = live.key;
  }

  /** Take a viewer slot and join the fan-out; false when the stream is full or ended. */
  start(): boolean {
    if (!this.live.reserveViewer()) return false;
    this.handle = this.fanout.add(this);
    if (!this.handle) {
      this.live.releaseViewer();
      return false;
    }
    return true;
  }

  bytesOut(): number {
    return this.handle?.bytes ?? 0;
  }

  dropped(): number {
    return this.handle?.dropped ?? 0;
  }

  write(bytes: Buffer): void {
    this.out.write(bytes);
  }

  backlog(): number {
    return this.out.backlog();
  }

  /** The fan-out ended this viewer (stream ended, or too slow). */
  closed(reason: CloseReason): void {
    this.finish(reason, reason === 'slow' ? 'destroy' : 'end');
  }

  /** Admin kick or shutdown. */
  close(reason: string): void {
    this.finish(reason, reason === 'shutdown' ? 'end' : 'destroy');
  }

  /** The viewer's connection went away. */
  disconnected(): void {
    this.finish('disconnected', undefined);
  }

  private finish(reason: string, how: 'end' | 'destroy' | undefined): void {
    if (this.done) return;
    this.done = true;
    if (this.handle) {
      this.fanout.remove(this.handle);
      this.live.releaseViewer();
    }
    if (how === 'end') this.out.end();
    else if (how === 'destroy') this.out.destroy();
    this.onGone(this, reason);
  }
}
