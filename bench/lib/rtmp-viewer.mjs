/**
 * RTMP play viewer (Adobe RTMP 1.0): simple handshake (5.2), connect / createStream / play like ffmpeg
 * and the C loadgen, a full chunk-stream parser (5.3: fmt 0-3, 1-3 byte basic headers, extended
 * timestamps, Set Chunk Size, Abort), Acknowledgements at half the server's window, PingResponse.
 * Media bodies are skipped; only their first two bytes are looked at (keyframe).
 */
import { randomBytes } from 'node:crypto';
import { TAG_AUDIO, TAG_VIDEO, isVideoKeyframe } from './flv-walker.mjs';
import { Viewer } from './viewer.mjs';

const HANDSHAKE_SIZE = 1536;
/** Control and command messages are gathered whole up to this size; larger ones are skipped. */
const MAX_GATHER = 64 * 1024;
/** Our outgoing chunk size (the default, so no Set Chunk Size is needed). */
const OUT_CHUNK = 128;
/** Window Acknowledgement Size we announce (as ffmpeg does). */
const OUR_WINDOW = 2_500_000;
/** SetBufferLength sent with play, in ms. */
const BUFFER_MS = 3000;

const MSG_SET_CHUNK_SIZE = 1;
const MSG_ABORT = 2;
const MSG_ACK = 3;
const MSG_USER_CONTROL = 4;
const MSG_WINDOW_ACK_SIZE = 5;
const MSG_COMMAND_AMF0 = 20;

// ---- AMF0 (just what commands need)
function amfString(s) {
  const b = Buffer.from(s, 'utf8');
  const out = Buffer.alloc(3 + b.length);
  out[0] = 0x02;
  out.writeUInt16BE(b.length, 1);
  b.copy(out, 3);
  return out;
}
function amfNumber(n) {
  const out = Buffer.alloc(9);
  out[0] = 0x00;
  out.writeDoubleBE(n, 1);
  return out;
}
const AMF_NULL = Buffer.from([0x05]);
function amfObject(obj) {
  const parts = [Buffer.from([0x03])];
  for (const [k, v] of Object.entries(obj)) {
    const key = Buffer.from(k, 'utf8');
    const kl = Buffer.alloc(2);
    kl.writeUInt16BE(key.length);
    parts.push(kl, key, typeof v === 'string' ? amfString(v) : typeof v === 'boolean' ? Buffer.from([0x01, v ? 1 : 0]) : amfNumber(v));
  }
  parts.push(Buffer.from([0, 0, 9]));
  return Buffer.concat(parts);
}

/** Decodes the AMF0 values of a command (numbers, booleans, strings, objects, ECMA arrays, null). */
function amfDecodeAll(b) {
  let p = 0;
  const str = () => {
    const n = b.readUInt16BE(p);
    const s = b.toString('utf8', p + 2, p + 2 + n);
    p += 2 + n;
    return s;
  };
  const value = (depth) => {
    if (depth > 8) throw new Error('AMF too deep');
    const t = b[p++];
    switch (t) {
      case 0x00: p += 8; return b.readDoubleBE(p - 8);
      case 0x01: return b[p++] !== 0;
      case 0x02: return str();
      case 0x05: case 0x06: return null;
      case 0x08: p += 4; // ECMA array: count, then like an object
      // falls through
      case 0x03: {
        const o = Object.create(null);
        for (;;) {
          const k = str();
          if (b[p] === 0x09) { p++; return o; }
          o[k] = value(depth + 1);
        }
      }
      default: throw new Error(`AMF0 type ${t} not handled`);
    }
  };
  const out = [];
  while (p < b.length) out.push(value(0));
  return out;
}

/** One chunk-stream header (5.3.1.2), kept across chunks. */
class ChunkStream {
  constructor() {
    this.ts = 0;
    this.delta = 0;
    this.len = 0;
    this.type = 0;
    this.sid = 0;
    this.left = 0;
    this.ext = false;
    /** @type {Buffer[] | null} */
    this.gather = null;
    this.b0 = -1;
    this.b1 = -1;
  }
}

const S_HANDSHAKE = 0;
const S_BASIC = 1;
const S_HEADER = 2;
const S_DATA = 3;

export class RtmpViewer extends Viewer {
  constructor(id, url, opts) {
    super(id, url, opts);
    const parts = url.pathname.split('/').filter(Boolean);
    this.app = parts.slice(0, -1).join('/');
    this.stream = parts[parts.length - 1];
    this.hs = Buffer.alloc(1 + 2 * HANDSHAKE_SIZE);
    this.hsLen = 0;
    this.c2Sent = false;
    this.state = S_HANDSHAKE;
    this.h = Buffer.alloc(18);
    this.hLen = 0;
    this.hNeed = 1;
    this.fmt = 0;
    this.csid = 0;
    /** @type {Map<number, ChunkStream>} */
    this.streams = new Map();
    /** @type {ChunkStream | null} */
    this.cs = null;
    this.chunkLeft = 0;
    this.inChunk = 128;
    this.window = 0;
    this.received = 0;
    this.lastAck = 0;
  }

  onConnect() {
    const c01 = Buffer.alloc(1 + HANDSHAKE_SIZE);
    c01[0] = 3;
    c01.writeUInt32BE(Math.floor(performance.now()) >>> 0, 1);
    randomBytes(HANDSHAKE_SIZE - 8).copy(c01, 9);
    this.send(c01);
  }

  feed(buf, start, end) {
    let p = start;
    this.received += end - start;
    if (this.state === S_HANDSHAKE) {
      const n = Math.min(this.hs.length - this.hsLen, end - p);
      buf.copy(this.hs, this.hsLen, p, p + n);
      this.hsLen += n;
      p += n;
      if (!this.c2Sent && this.hsLen >= 1 + HANDSHAKE_SIZE) {
        this.c2Sent = true;
        this.send(this.hs.subarray(1, 1 + HANDSHAKE_SIZE)); // C2 = S1
        this.sendCommand(3, 0, ['connect', 1, {
          app: this.app, flashVer: 'LNX 9,0,124,2', tcUrl: `rtmp://${this.url.host}/${this.app}`, fpad: false,
          capabilities: 15, audioCodecs: 4071, videoCodecs: 252, videoFunction: 1,
        }]);
      }
      if (this.hsLen < this.hs.length) return;
      this.state = S_BASIC;
      this.hLen = 0;
      this.hNeed = 1;
    }
    while (p < end && !this.closed) {
      if (this.state === S_DATA) {
        const cs = /** @type {ChunkStream} */ (this.cs);
        const n = Math.min(this.chunkLeft, end - p);
        if (cs.gather) cs.gather.push(Buffer.from(buf.subarray(p, p + n)));
        else if (cs.b1 < 0 && (cs.type === TAG_VIDEO)) {
          for (let i = p; i < p + n && cs.b1 < 0; i++) {
            if (cs.b0 < 0) cs.b0 = buf[i];
            else cs.b1 = buf[i];
          }
        }
        this.chunkLeft -= n;
        cs.left -= n;
        p += n;
        if (this.chunkLeft === 0) {
          if (cs.left === 0) this.messageDone(cs);
          this.state = S_BASIC;
          this.hLen = 0;
          this.hNeed = 1;
        }
        continue;
      }
      const n = Math.min(this.hNeed - this.hLen, end - p);
      buf.copy(this.h, this.hLen, p, p + n);
      this.hLen += n;
      p += n;
      if (this.hLen < this.hNeed) break;
      this.headerProgress();
    }
    if (this.window > 0 && this.received - this.lastAck >= this.window / 2) {
      this.lastAck = this.received;
      const b = Buffer.alloc(4);
      b.writeUInt32BE(this.received >>> 0);
      this.sendMessage(2, MSG_ACK, 0, b);
    }
  }

  /** @private called whenever `hNeed` header bytes are in `h` */
  headerProgress() {
    const h = this.h;
    if (this.state === S_BASIC) {
      const low = h[0] & 0x3f;
      const basic = low === 0 ? 2 : low === 1 ? 3 : 1;
      if (this.hLen < basic) {
        this.hNeed = basic;
        return;
      }
      this.fmt = h[0] >> 6;
      this.csid = low === 0 ? 64 + h[1] : low === 1 ? 64 + h[1] + h[2] * 256 : low;
      let cs = this.streams.get(this.csid);
      if (!cs) {
        cs = new ChunkStream();
        this.streams.set(this.csid, cs);
      }
      this.cs = cs;
      this.basic = basic;
      this.state = S_HEADER;
      const mh = [11, 7, 3, 0][this.fmt];
      this.hNeed = basic + mh + (this.fmt === 3 && cs.ext ? 4 : 0);
      if (this.hLen < this.hNeed) return;
    }
    const cs = /** @type {ChunkStream} */ (this.cs);
    const o = this.basic;
    if (this.fmt < 3) {
      const tsField = h.readUIntBE(o, 3);
      const ext = tsField === 0xffffff;
      const need = o + [11, 7, 3][this.fmt] + (ext ? 4 : 0);
      if (this.hNeed < need) {
        this.hNeed = need;
        return;
      }
      const ts = ext ? h.readUInt32BE(need - 4) : tsField;
      cs.ext = ext;
      if (this.fmt === 0) {
        cs.ts = ts;
        cs.delta = 0;
      } else {
        cs.delta = ts;
        cs.ts = (cs.ts + ts) >>> 0;
      }
      if (this.fmt <= 1) {
        cs.len = h.readUIntBE(o + 3, 3);
        cs.type = h[o + 6];
      }
      if (this.fmt === 0) cs.sid = h.readUInt32LE(o + 7);
      if (cs.left !== 0) return this.close('new message header inside a message');
      this.beginMessage(cs);
    } else if (cs.left === 0) {
      cs.ts = (cs.ts + cs.delta) >>> 0; // type 3 starting a new message: same delta again
      this.beginMessage(cs);
    }
    this.chunkLeft = Math.min(cs.left, this.inChunk);
    this.state = S_DATA;
    if (this.chunkLeft === 0) {
      this.messageDone(cs);
      this.state = S_BASIC;
      this.hLen = 0;
      this.hNeed = 1;
    }
  }

  /** @private */
  beginMessage(cs) {
    cs.left = cs.len;
    cs.b0 = -1;
    cs.b1 = -1;
    const control = cs.type <= MSG_WINDOW_ACK_SIZE || cs.type === MSG_COMMAND_AMF0;
    cs.gather = control && cs.len <= MAX_GATHER ? [] : null;
  }

  /** @private */
  messageDone(cs) {
    const type = cs.type;
    if (type === TAG_VIDEO || type === TAG_AUDIO) {
      this.onTag(type, cs.ts, cs.len, type === TAG_VIDEO && cs.b1 >= 0 && isVideoKeyframe(cs.b0, cs.b1));
      return;
    }
    if (!cs.gather) return;
    const body = Buffer.concat(cs.gather);
    cs.gather = null;
    if (type === MSG_SET_CHUNK_SIZE && body.length >= 4) this.inChunk = body.readUInt32BE(0) & 0x7fffffff;
    else if (type === MSG_ABORT && body.length >= 4) {
      const a = this.streams.get(body.readUInt32BE(0));
      if (a) a.left = 0;
    } else if (type === MSG_WINDOW_ACK_SIZE && body.length >= 4) this.window = body.readUInt32BE(0);
    else if (type === MSG_USER_CONTROL && body.length >= 6 && body.readUInt16BE(0) === 6) {
      const pong = Buffer.alloc(6);
      pong.writeUInt16BE(7, 0);
      body.copy(pong, 2, 2, 6);
      this.sendMessage(2, MSG_USER_CONTROL, 0, pong);
    } else if (type === MSG_COMMAND_AMF0) this.onCommand(body);
  }

  /** @private connect -> createStream -> play */
  onCommand(body) {
    let v;
    try {
      v = amfDecodeAll(body);
    } catch (e) {
      return this.close(`bad command: ${/** @type {Error} */ (e).message}`);
    }
    const [name, txn] = v;
    if (name === '_result' && txn === 1) {
      const w = Buffer.alloc(4);
      w.writeUInt32BE(OUR_WINDOW);
      this.sendMessage(2, MSG_WINDOW_ACK_SIZE, 0, w);
      this.sendCommand(3, 0, ['createStream', 2, null]);
    } else if (name === '_result' && txn === 2) {
      const sid = typeof v[3] === 'number' ? v[3] : 1;
      this.sendCommand(8, sid, ['play', 0, null, this.stream, -2000]);
      const ub = Buffer.alloc(10);
      ub.writeUInt16BE(3, 0);
      ub.writeUInt32BE(sid, 2);
      ub.writeUInt32BE(BUFFER_MS, 6);
      this.sendMessage(2, MSG_USER_CONTROL, 0, ub);
    } else if (name === '_error') {
      this.close('RTMP _error');
    } else if (name === 'onStatus') {
      const info = v[3];
      const code = info && typeof info === 'object' ? String(info.code) : '';
      if (/StreamNotFound|Failed|Rejected|BadName/.test(code)) this.close(`RTMP ${code}`);
    }
  }

  /** @private */
  sendCommand(csid, sid, values) {
    const parts = values.map((x) =>
      typeof x === 'string' ? amfString(x) : typeof x === 'number' ? amfNumber(x) : x === null ? AMF_NULL : amfObject(x),
    );
    this.sendMessage(csid, MSG_COMMAND_AMF0, sid, Buffer.concat(parts));
  }

  /** @private fmt 0 chunk then fmt 3 continuations of OUT_CHUNK bytes (csid < 64) */
  sendMessage(csid, type, sid, payload) {
    const parts = [];
    const h = Buffer.alloc(12);
    h[0] = csid;
    h.writeUIntBE(0, 1, 3);
    h.writeUIntBE(payload.length, 4, 3);
    h[7] = type;
    h.writeUInt32LE(sid, 8);
    parts.push(h);
    for (let i = 0; i < payload.length; i += OUT_CHUNK) {
      if (i > 0) parts.push(Buffer.from([0xc0 | csid]));
      parts.push(payload.subarray(i, i + OUT_CHUNK));
    }
    this.send(Buffer.concat(parts));
  }
}
