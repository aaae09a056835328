import type { CloseReason, LiveStream, MediaMessage, Sink, StreamBus } from '@livegate/ingest';
import { HlsSegmenter } from '@livegate/remux';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';

/** How long an ended stream's playlist (with EXT-X-ENDLIST) and segments stay served. */
export const ENDED_RETENTION_MS = 60_000;
/** A client that fetched a playlist within this window counts as an HLS viewer. */
export const HLS_VIEWER_WINDOW_MS = 10_000;
/** Distinct HLS clients tracked per stream (the viewer estimate saturates here, memory does not grow). */
export const MAX_TRACKED_HLS_CLIENTS = 20_000;

/** The HLS state of one `app/stream` key; it outlives one publish so players see a discontinuity, not a 404. */
interface HlsEntry {
  readonly segmenter: HlsSegmenter;
  /** Client address -> last playlist fetch (ms). */
  readonly clients: Map<string, number>;
  bytesOut: number;
  expiry: NodeJS.Timeout | undefined;
}

/**
 * Remuxes every live stream to HLS in-process: a bus subscriber per stream feeds an HlsSegmenter.
 * Never slow: its sink reports no backlog, the segmenter works synchronously and is bounded.
 */
export class HlsManager {
  private readonly entries = new Map<string, HlsEntry>();
  /** Segments produced by entries that were removed (so the metric never goes down). */
  private producedRemoved = 0;
  private bytesOutRemoved = 0;

  constructor(
    private readonly bus: StreamBus,
    private readonly cfg: Config['hls'],
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {
    bus.on('publish', this.onPublish);
  }

  private readonly onPublish = (stream: LiveStream): void => {
    let entry = this.entries.get(stream.key);
    if (entry?.expiry) {
      clearTimeout(entry.expiry);
      entry.expiry = undefined;
    }
    if (!entry) {
      const key = stream.key;
      const segmenter = new HlsSegmenter({
        targetDurationMs: this.cfg.segmentDuration * 1000,
        playlistLength: this.cfg.playlistLength,
        // Names are unique across gateway restarts, so a CDN may cache segments as immutable.
        segmentPrefix: `${Date.now().toString(36)}-`,
        now: () => Date.now(),
        onError: (e) => this.log.warn({ stream: key, err: { code: e.code, message: e.message } }, 'HLS dropped media'),
      });
      entry = { segmenter, clients: new Map(), bytesOut: 0, expiry: undefined };
      this.entries.set(key, entry);
    }
    const e = entry;
    const sink: Sink = {
      backlog: () => 0,
      write: (m: MediaMessage) => e.segmenter.push(m),
      close: (reason: CloseReason) => this.onEnded(stream.key, e, reason),
    };
    stream.subscribe(sink, { internal: true });
  };

  private onEnded(key: string, e: HlsEntry, reason: CloseReason): void {
    e.segmenter.end();
    if (reason === 'replaced') return; // the new publisher continues the same playlist
    e.expiry = setTimeout(() => this.remove(key), ENDED_RETENTION_MS);
    e.expiry.unref();
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.producedRemoved += e.segmenter.stats.segmentsProduced;
    this.bytesOutRemoved += e.bytesOut;
  }

  /** The live playlist of `app/stream`, or undefined (unknown key, or no segment yet). Counts the client as a viewer. */
  playlist(key: string, client: string): string | undefined {
    const e = this.entries.get(key);
    const text = e?.segmenter.playlist();
    if (!e || text === undefined) return undefined;
    if (e.clients.size < MAX_TRACKED_HLS_CLIENTS || e.clients.has(client)) e.clients.set(client, this.now());
    e.bytesOut += text.length;
    return text;
  }

  /** A segment's bytes, while the playlist lists it or shortly after. */
  segment(key: string, name: string): Buffer | undefined {
    const e = this.entries.get(key);
    const b = e?.segmenter.segment(name);
    if (e && b) e.bytesOut += b.length;
    return b;
  }

  /** HLS viewers (distinct clients that fetched a playlist recently), for one stream or all. */
  viewerCount(key?: string): number {
    const since = this.now() - HLS_VIEWER_WINDOW_MS;
    let n = 0;
    for (const [k, e] of this.entries) {
      for (const [c, t] of e.clients) if (t < since) e.clients.delete(c);
      if (!key || k === key) n += e.clients.size;
    }
    return n;
  }

  /** Segments produced since start. */
  get segmentsProduced(): number {
    let n = this.producedRemoved;
    for (const e of this.entries.values()) n += e.segmenter.stats.segmentsProduced;
    return n;
  }

  /** Bytes of playlists and segments served. */
  get bytesOut(): number {
    let n = this.bytesOutRemoved;
    for (const e of this.entries.values()) n += e.bytesOut;
    return n;
  }

  /** Bytes served for one stream key. */
  bytesOutOf(key: string): number {
    return this.entries.get(key)?.bytesOut ?? 0;
  }

  /** Retained HLS bytes (segments) across all streams, for memory checks. */
  get retainedBytes(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.segmenter.stats.retainedBytes + e.segmenter.stats.pendingBytes;
    return n;
  }

  close(): void {
    this.bus.off('publish', this.onPublish);
    for (const [k, e] of this.entries) {
      if (e.expiry) clearTimeout(e.expiry);
      this.entries.delete(k);
    }
  }
}
