import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { FlvOutput } from './flv-fanout.js';

/**
 * The server side of a WS-FLV viewer's WebSocket without a WebSocket library, for viewer workers:
 * the main process validates the opening handshake and hands the socket over before answering it;
 * the worker writes the 101, the fan-out's pre-framed binary messages, and reads the client's frames
 * (RFC 6455 5): pings are answered, a close is echoed, data is read and dropped (a viewer has
 * nothing to say), anything malformed closes with 1002. Nothing is buffered but a control frame's
 * payload (at most 125 bytes).
 */

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Largest client message (bytes, across fragments), as the main process's ws (maxPayload). */
export const WS_MAX_CLIENT_MESSAGE = 64 * 1024;
/** How long a closing socket waits for the client's close before it is dropped. */
const CLOSE_WAIT_MS = 5000;

export const WS_OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (RFC 6455 4.2.2). */
export function wsAccept(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** What the server's 101 needs from a valid opening handshake. */
export interface WsHandshake {
  key: string;
  /** The subprotocol chosen: the client's first, as ws chooses when the server has no preference. */
  protocol: string | undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The opening handshake of an upgrade request (RFC 6455 4.2.1), checked as ws checks it; undefined
 * when it is not one a WebSocket server accepts (ws then answers it with its 400).
 */
export function wsHandshake(method: string | undefined, headers: IncomingHttpHeaders): WsHandshake | undefined {
  const key = headers['sec-websocket-key'];
  const version = headers['sec-websocket-version'];
  if (method !== 'GET' || headers.upgrade?.toLowerCase() !== 'websocket') return undefined;
  if (typeof key !== 'string' || !/^[+/0-9A-Za-z]{22}==$/.test(key)) return undefined;
  if (version !== '13' && version !== '8') return undefined;
  const offered = headers['sec-websocket-protocol'];
  const protocols = typeof offered === 'string' ? offered.split(',').map((p) => p.trim()) : [];
  if (protocols.some((p) => !TOKEN.test(p))) return undefined;
  return { key, protocol: protocols[0] };
}

/** The server's 101 response to a valid handshake (no extensions: frames are never compressed). */
export function wsUpgradeHead(h: WsHandshake): string {
  return (
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${wsAccept(h.key)}\r\n${h.protocol ? `Sec-WebSocket-Protocol: ${h.protocol}\r\n` : ''}\r\n`
  );
}

/**
 * One unmasked, final frame (RFC 6455 5.2: 7-bit, 16-bit or 64-bit length). A server's frames are not
 * masked, so the same bytes can go to every viewer.
 */
export function wsFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = n;
  else if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    out.writeUInt32BE(n >>> 0, 6);
  }
  payload.copy(out, head);
  return out;
}

/** An unmasked control frame (payload at most 125 bytes). */
export function wsControlFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new RangeError(`control frame payload ${payload.length} > 125`);
  return wsFrame(opcode, payload);
}

/** A close frame with a status code and a reason (cut to fit 125 bytes). */
export function wsCloseFrame(code: number, reason = ''): Buffer {
  let r = Buffer.from(reason, 'utf8');
  if (r.length > 123) r = Buffer.from(new TextDecoder().decode(r.subarray(0, 123)).replace(/\uFFFD$/, ''), 'utf8');
  const payload = Buffer.allocUnsafe(2 + r.length);
  payload.writeUInt16BE(code, 0);
  r.copy(payload, 2);
  return wsControlFrame(WS_OPCODE.close, payload);
}

/** A client broke the framing rules: close with `code` (1002 protocol error, 1007 bad UTF-8, 1009 too big). */
export class WsFrameError extends Error {
  constructor(
    readonly code: 1002 | 1007 | 1009,
    message: string,
  ) {
    super(message);
    this.name = 'WsFrameError';
  }
}

/** Close codes a peer may send (RFC 6455 7.4; 1004-1006 are reserved, 1015 is never sent), as ws accepts them. */
function validCloseCode(c: number): boolean {
  return (c >= 1000 && c <= 1014 && c !== 1004 && c !== 1005 && c !== 1006) || (c >= 3000 && c <= 4999);
}

/**
 * Incremental reader of a client's frames (any split point): every frame must be masked, control
 * frames final and at most 125 bytes, no reserved bits or opcodes; data messages are counted and
 * dropped, at most `maxMessage` bytes each, a text message's bytes checked as UTF-8 as they arrive
 * (as ws does: 1007 otherwise). Calls `control` for each ping, pong and close (payload unmasked; a
 * close's code and reason validated). Throws WsFrameError; reads nothing after a close.
 */
export class WsClientReader {
  /** The frame header being read (at most 14 bytes). */
  private readonly head = Buffer.alloc(14);
  private headLen = 0;
  /** Payload bytes of the current frame still to come. */
  private remaining = 0;
  private opcode = 0;
  private readonly mask = Buffer.alloc(4);
  /** A control frame's payload as it arrives (data payloads are skipped). */
  private control: Buffer | undefined;
  private controlLen = 0;
  /** Bytes of a fragmented data message so far; -1 when none is open. */
  private message = -1;
  /** The open text message's UTF-8 check (streaming: a character may span frames and chunks). */
  private text: InstanceType<typeof TextDecoder> | undefined;
  /** Whether the current frame ends its message, and how much of its payload was read. */
  private fin = false;
  private frameRead = 0;
  private done = false;

  constructor(
    private readonly onControl: (opcode: number, payload: Buffer) => void,
    private readonly maxMessage = WS_MAX_CLIENT_MESSAGE,
  ) {}

  push(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && !this.done) {
      if (this.remaining === 0 && this.control === undefined) {
        // header: 2 bytes, then the extended length and the mask key
        const need = this.headLen < 2 ? 2 : this.headerSize();
        const take = Math.min(need - this.headLen, chunk.length - i);
        chunk.copy(this.head, this.headLen, i, i + take);
        this.headLen += take;
        i += take;
        if (this.headLen < need) continue;
        if (need === 2) {
          this.checkStart(); // what the first two bytes say is wrong fails now, not after more bytes
          continue; // then the extended length and the mask key
        }
        this.startFrame();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - i);
      if (this.control) {
        const off = this.controlLen;
        for (let k = 0; k < take; k++) this.control[off + k] = chunk[i + k]! ^ this.mask[(off + k) & 3]!;
        this.controlLen += take;
      } else if (this.text) this.checkText(chunk, i, take);
      this.remaining -= take;
      i += take;
      if (this.remaining === 0) this.endFrame();
    }
  }

  /** Size of the whole header from its first two bytes. */
  private headerSize(): number {
    const len = this.head[1]! & 0x7f;
    return 2 + (len === 126 ? 2 : len === 127 ? 8 : 0) + 4;
  }

  private checkStart(): void {
    const b0 = this.head[0]!;
    const opcode = b0 & 0x0f;
    if (b0 & 0x70) throw new WsFrameError(1002, 'reserved bits set (no extension was negotiated)');
    if (!(this.head[1]! & 0x80)) throw new WsFrameError(1002, 'client frame not masked');
    if ((opcode > WS_OPCODE.binary && opcode < WS_OPCODE.close) || opcode > WS_OPCODE.pong) throw new WsFrameError(1002, `reserved opcode ${opcode}`);
  }

  private startFrame(): void {
    const b0 = this.head[0]!;
    const b1 = this.head[1]!;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    this.headLen = 0;
    let len = b1 & 0x7f;
    let at = 2;
    if (len === 126) {
      len = this.head.readUInt16BE(2);
      at = 4;
    } else if (len === 127) {
      const hi = this.head.readUInt32BE(2);
      if (hi > 0x1fffff) throw new WsFrameError(1009, 'frame length beyond 2^53');
      len = hi * 2 ** 32 + this.head.readUInt32BE(6);
      at = 10;
    }
    this.head.copy(this.mask, 0, at, at + 4);
    if (opcode >= 8) {
      if (!fin) throw new WsFrameError(1002, 'fragmented control frame');
      if (len > 125) throw new WsFrameError(1002, `control frame of ${len} bytes`);
      this.control = Buffer.alloc(len);
      this.controlLen = 0;
    } else {
      if (opcode === WS_OPCODE.continuation ? this.message < 0 : this.message >= 0) {
        throw new WsFrameError(1002, opcode === 0 ? 'continuation without a message' : 'new message inside a fragmented one');
      }
      const total = (this.message < 0 ? 0 : this.message) + len;
      if (total > this.maxMessage) throw new WsFrameError(1009, `message of more than ${this.maxMessage} bytes`);
      this.message = fin ? -1 : total;
      if (opcode === WS_OPCODE.text) this.text = new TextDecoder('utf-8', { fatal: true });
    }
    this.fin = fin;
    this.frameRead = 0;
    this.opcode = opcode;
    this.remaining = len;
    if (len === 0) this.endFrame();
  }

  /** Unmask `take` bytes of a text frame's payload at `chunk[i]` and check them (at most 64 KiB a message). */
  private checkText(chunk: Buffer, i: number, take: number): void {
    const bytes = Buffer.allocUnsafe(take);
    const off = this.frameRead;
    for (let k = 0; k < take; k++) bytes[k] = chunk[i + k]! ^ this.mask[(off + k) & 3]!;
    this.frameRead += take;
    try {
      this.text!.decode(bytes, { stream: true });
    } catch {
      throw new WsFrameError(1007, 'text message is not UTF-8');
    }
  }

  private endFrame(): void {
    const payload = this.control;
    this.control = undefined;
    if (!payload) {
      if (this.fin && this.text) {
        const t = this.text;
        this.text = undefined;
        try {
          t.decode(); // a character cut off at the end of the message
        } catch {
          throw new WsFrameError(1007, 'text message is not UTF-8');
        }
      }
      return;
    }
    if (this.opcode === WS_OPCODE.close) {
      if (payload.length === 1) throw new WsFrameError(1002, 'close payload of 1 byte');
      if (payload.length >= 2) {
        const code = payload.readUInt16BE(0);
        if (!validCloseCode(code)) throw new WsFrameError(1002, `invalid close code ${code}`);
        if (!isUtf8(payload.subarray(2))) throw new WsFrameError(1007, 'close reason is not UTF-8');
      }
      this.done = true;
    }
    this.onControl(this.opcode, payload);
  }
}

/**
 * A WS-FLV viewer's output on a raw upgraded socket (in a viewer worker): writes the 101 now, then
 * the fan-out's binary frames; answers pings, echoes the client's close and ends; closes with 1002
 * (or 1007/1009) on a malformed frame, reported through `onBadFrame`.
 */
export function rawWsOutput(socket: Socket, upgradeHead: string, noDelay: boolean, onBadFrame: (err: WsFrameError) => void): FlvOutput {
  socket.setNoDelay(noDelay);
  socket.write(upgradeHead);
  let closing = false;
  const close = (frame: Buffer) => {
    if (closing || socket.destroyed) return;
    closing = true;
    socket.end(frame);
    setTimeout(() => socket.destroy(), CLOSE_WAIT_MS).unref();
  };
  const reader = new WsClientReader((opcode, payload) => {
    if (opcode === WS_OPCODE.ping && !closing && !socket.destroyed) socket.write(wsControlFrame(WS_OPCODE.pong, payload));
    else if (opcode === WS_OPCODE.close) close(payload.length >= 2 ? wsCloseFrame(payload.readUInt16BE(0)) : wsCloseFrame(1000));
  });
  socket.on('data', (d: Buffer) => {
    if (closing) return;
    try {
      reader.push(d);
    } catch (err) {
      if (!(err instanceof WsFrameError)) throw err;
      onBadFrame(err);
      close(wsCloseFrame(err.code, err.message));
    }
  });
  return {
    write: (b) => {
      if (!closing && !socket.destroyed) socket.write(b);
    },
    backlog: () => socket.writableLength,
    end: () => close(wsCloseFrame(1000, 'stream ended')),
    destroy: () => socket.destroy(),
  };
}
