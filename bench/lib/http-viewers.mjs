/** HTTP-FLV and WS-FLV viewers: a hand-written HTTP/1.1 GET (identity or chunked) or RFC 6455 client. */
import { randomBytes } from 'node:crypto';
import { FlvWalker } from './flv-walker.mjs';
import { Viewer } from './viewer.mjs';

/** Response headers larger than this are refused (a streaming server sends a few hundred bytes). */
const MAX_HEADER_BYTES = 16 * 1024;

/** Reads an HTTP response head; returns the offset after it, or -1 while incomplete. */
class ResponseHead {
  constructor() {
    this.buf = Buffer.alloc(0);
    this.status = 0;
    /** @type {Record<string, string>} */
    this.headers = {};
  }

  /** @returns {number} bytes of `buf[start,end)` consumed by the head, or -1 (need more) */
  feed(buf, start, end) {
    const prev = this.buf.length;
    this.buf = Buffer.concat([this.buf, buf.subarray(start, end)]);
    const i = this.buf.indexOf('\r\n\r\n');
    if (i < 0) {
      if (this.buf.length > MAX_HEADER_BYTES) throw new Error('response head too large');
      return -1;
    }
    const lines = this.buf.subarray(0, i).toString('latin1').split('\r\n');
    this.status = Number(lines[0].split(' ')[1]);
    for (const l of lines.slice(1)) {
      const c = l.indexOf(':');
      if (c > 0) this.headers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
    }
    return i + 4 - prev;
  }
}

const CH_SIZE = 0;
const CH_DATA = 1;
const CH_CRLF = 2;

/** HTTP-FLV: `GET path`, then the FLV body, identity or `Transfer-Encoding: chunked` (node-media-server). */
export class HttpFlvViewer extends Viewer {
  constructor(id, url, opts) {
    super(id, url, opts);
    this.head = new ResponseHead();
    this.inBody = false;
    this.chunked = false;
    this.chState = CH_SIZE;
    this.chSize = 0;
    this.chLeft = 0;
    this.flv = new FlvWalker(this.onTag);
  }

  onConnect() {
    this.send(Buffer.from(`GET ${this.url.pathname} HTTP/1.1\r\nHost: ${this.url.host}\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`));
  }

  feed(buf, start, end) {
    let p = start;
    if (!this.inBody) {
      const used = this.head.feed(buf, p, end);
      if (used < 0) return;
      if (this.head.status !== 200) return this.close(`HTTP ${this.head.status}`);
      this.chunked = /chunked/i.test(this.head.headers['transfer-encoding'] ?? '');
      this.inBody = true;
      p += used;
    }
    if (!this.chunked) this.flv.feed(buf, p, end);
    else this.dechunk(buf, p, end);
    if (this.flv.error) this.close(this.flv.error);
  }

  /** @private chunked transfer coding (RFC 9112 7.1), extensions ignored */
  dechunk(buf, p, end) {
    while (p < end) {
      if (this.chState === CH_DATA) {
        const n = Math.min(this.chLeft, end - p);
        this.flv.feed(buf, p, p + n);
        this.chLeft -= n;
        p += n;
        if (this.chLeft === 0) {
          this.chState = CH_CRLF;
          this.chSize = 2;
        }
      } else if (this.chState === CH_CRLF) {
        const n = Math.min(this.chSize, end - p);
        this.chSize -= n;
        p += n;
        if (this.chSize === 0) {
          this.chState = CH_SIZE;
          this.chSize = 0;
          this.chExt = false;
        }
      } else {
        const c = buf[p++];
        if (c === 0x0a) {
          if (this.chSize === 0) return this.close('end of chunked body');
          this.chState = CH_DATA;
          this.chLeft = this.chSize;
        } else if (c === 0x3b || c === 0x0d) {
          this.chExt = true;
        } else if (!this.chExt) {
          const d = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
          if (d < 0 || d > 15) return this.close('bad chunk size');
          this.chSize = this.chSize * 16 + d;
        }
      }
    }
  }
}

const WS_HEAD = 0;
const WS_PAYLOAD = 1;

/** WS-FLV: RFC 6455 client handshake, then unmasked server frames whose binary payloads are FLV. */
export class WsFlvViewer extends Viewer {
  constructor(id, url, opts) {
    super(id, url, opts);
    this.head = new ResponseHead();
    this.upgraded = false;
    this.fr = Buffer.alloc(14);
    this.frLen = 0;
    this.frNeed = 2;
    this.frState = WS_HEAD;
    this.opcode = 0;
    this.dataOpcode = 2;
    this.left = 0;
    /** Control frame payload (ping/close) being gathered. */
    this.ctl = /** @type {Buffer[]} */ ([]);
    this.flv = new FlvWalker(this.onTag);
  }

  onConnect() {
    const key = randomBytes(16).toString('base64');
    this.send(
      Buffer.from(
        `GET ${this.url.pathname} HTTP/1.1\r\nHost: ${this.url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
  }

  feed(buf, start, end) {
    let p = start;
    if (!this.upgraded) {
      const used = this.head.feed(buf, p, end);
      if (used < 0) return;
      if (this.head.status !== 101) return this.close(`HTTP ${this.head.status}`);
      this.upgraded = true;
      p += used;
    }
    while (p < end && !this.closed) {
      if (this.frState === WS_PAYLOAD) {
        const n = Math.min(this.left, end - p);
        if (this.opcode === 2 || this.opcode === 0) this.flv.feed(buf, p, p + n);
        else if (this.opcode >= 8) this.ctl.push(Buffer.from(buf.subarray(p, p + n)));
        this.left -= n;
        p += n;
        if (this.left === 0) this.frameDone();
        continue;
      }
      const n = Math.min(this.frNeed - this.frLen, end - p);
      buf.copy(this.fr, this.frLen, p, p + n);
      this.frLen += n;
      p += n;
      if (this.frLen < this.frNeed) return;
      const b1 = this.fr[1];
      if (b1 & 0x80) return this.close('masked server frame');
      const len7 = b1 & 0x7f;
      const need = len7 === 126 ? 4 : len7 === 127 ? 10 : 2;
      if (this.frNeed < need) {
        this.frNeed = need;
        continue;
      }
      const op = this.fr[0] & 0x0f;
      // a continuation frame carries on the data message even after an interleaved control frame
      if (op !== 0 && op < 8) this.dataOpcode = op;
      this.opcode = op === 0 ? this.dataOpcode : op;
      this.left = len7 === 126 ? this.fr.readUInt16BE(2) : len7 === 127 ? Number(this.fr.readBigUInt64BE(2)) : len7;
      this.frState = WS_PAYLOAD;
      this.frLen = 0;
      this.frNeed = 2;
      if (this.left === 0) this.frameDone();
    }
    if (this.flv.error) this.close(this.flv.error);
  }

  /** @private */
  frameDone() {
    this.frState = WS_HEAD;
    if (this.opcode === 9) this.sendFrame(0x0a, Buffer.concat(this.ctl));
    else if (this.opcode === 8) this.close('websocket close');
    if (this.opcode >= 8) this.ctl = [];
  }

  /** @private masked client frame (payload < 126 bytes: pongs only) */
  sendFrame(opcode, payload) {
    const mask = randomBytes(4);
    const out = Buffer.alloc(6 + payload.length);
    out[0] = 0x80 | opcode;
    out[1] = 0x80 | payload.length;
    mask.copy(out, 2);
    for (let i = 0; i < payload.length; i++) out[6 + i] = payload[i] ^ mask[i & 3];
    this.send(out);
  }
}
