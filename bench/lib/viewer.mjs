/**
 * One load-generator viewer over a raw `node:net` socket: shared receive buffer (`onread`, no
 * allocation per read), time to first byte / media / keyframe, bytes, last video timestamp.
 * Subclasses speak the protocol (HTTP-FLV, WS-FLV, RTMP play).
 */
import net from 'node:net';
import { TAG_AUDIO, TAG_VIDEO } from './flv-walker.mjs';

/** One receive buffer shared by every viewer of the process (callbacks run one at a time). */
const SHARED = Buffer.allocUnsafe(256 * 1024);

/**
 * @typedef {{ probe?: boolean, recordTags?: boolean, readIntervalMs?: number,
 *   onKeyframe?: (v: Viewer) => void, onClose?: (v: Viewer) => void }} ViewerOptions
 */

export class Viewer {
  /** @param {number} id @param {URL} url @param {ViewerOptions} opts */
  constructor(id, url, opts = {}) {
    this.id = id;
    this.url = url;
    this.probe = !!opts.probe;
    this.readIntervalMs = opts.readIntervalMs ?? 0;
    this.opts = opts;
    /** @type {net.Socket | undefined} */
    this.socket = undefined;
    this.t0 = 0;
    this.ttfb = -1;
    this.ttfm = -1;
    this.ttfk = -1;
    this.bytes = 0;
    this.lastVideoTs = -1;
    this.videoTags = 0;
    this.closed = false;
    this.closeReason = '';
    /** Playing: has media; interval readers pause after each read from then on. */
    this.media = false;
    this.paused = false;
    /** Largest gap between two reads in ms (stall detector), from `gapFrom` on. */
    this.maxGap = 0;
    this.gapFrom = Infinity;
    this.lastRead = 0;
    /** Time of the current read (ms, performance.now()). */
    this.now = 0;
    /** [ts, size, arrival ms, ...] of every video tag when recordTags (delay viewers). */
    this.tags = opts.recordTags ? [] : undefined;
    this.onTag = this.onTag.bind(this);
  }

  /** Opens the TCP connection; the protocol starts on connect. */
  start() {
    this.t0 = performance.now();
    const sock = net.connect({
      host: this.url.hostname,
      port: Number(this.url.port),
      onread: { buffer: SHARED, callback: (n, buf) => this.onRead(n, buf) },
    });
    this.socket = sock;
    // Clients leave Nagle on by default (ffmpeg does); BENCH_NODELAY=1 turns it off to see its share of start-up.
    if (process.env.BENCH_NODELAY) sock.setNoDelay(true);
    sock.on('connect', () => this.onConnect());
    sock.on('error', (e) => this.close(`error ${/** @type {NodeJS.ErrnoException} */ (e).code ?? e.message}`));
    sock.on('close', () => this.close('closed by server'));
    sock.on('end', () => this.close('closed by server'));
  }

  /** @protected */
  onConnect() {}

  /** @protected @param {Buffer} _buf @param {number} _start @param {number} _end */
  feed(_buf, _start, _end) {}

  /** @private */
  onRead(n, buf) {
    const t = performance.now();
    this.now = t;
    if (this.ttfb < 0) this.ttfb = t - this.t0;
    if (t >= this.gapFrom && this.lastRead > 0 && t - this.lastRead > this.maxGap) this.maxGap = t - this.lastRead;
    this.lastRead = t;
    this.bytes += n;
    this.feed(buf, 0, n);
    if (this.readIntervalMs > 0 && this.media && !this.closed) {
      this.paused = true;
      return false;
    }
    return undefined;
  }

  /** Interval readers: the scheduler's turn for this viewer. */
  resume() {
    if (this.paused && !this.closed) {
      this.paused = false;
      this.socket?.resume();
    }
  }

  /** @protected FLV tag (or RTMP media message) seen. */
  onTag(type, ts, size, keyframe) {
    if (type !== TAG_AUDIO && type !== TAG_VIDEO) return;
    const t = this.now;
    if (this.ttfm < 0) {
      this.ttfm = t - this.t0;
      this.media = true;
    }
    if (type !== TAG_VIDEO) return;
    this.videoTags++;
    this.lastVideoTs = ts;
    if (this.tags) this.tags.push(ts, size, t);
    if (keyframe && this.ttfk < 0) {
      this.ttfk = t - this.t0;
      this.opts.onKeyframe?.(this);
    }
  }

  /** Sends bytes (requests, acks, pongs). */
  send(buf) {
    if (!this.closed) this.socket?.write(buf);
  }

  /** Closes once with a reason. */
  close(reason) {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.socket?.destroy();
    this.opts.onClose?.(this);
  }
}
