import { isUtf8 } from 'node:buffer';
import type { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import { WS_OPCODE, WsClientReader, WsFrameError, wsAccept, wsCloseFrame, wsControlFrame, wsHandshake, wsUpgradeHead } from '../src/viewers/ws-raw.js';

/** ws's frame builder and parser: the package exports them, @types/ws does not declare them. */
const { Sender, Receiver } = wsPackage as unknown as {
  Sender: { frame(data: Buffer, o: { fin: boolean; mask: boolean; opcode: number; readOnly: boolean; rsv1: boolean }): Buffer[] };
  Receiver: new (o: { isServer: boolean; maxPayload: number }) => Writable;
};

/** A frame as a client (a browser, ws) sends it: masked with a random key. */
const clientFrame = (opcode: number, payload: Buffer, fin = true) => Buffer.concat(Sender.frame(Buffer.from(payload), { fin, mask: true, opcode, readOnly: false, rsv1: false }));

/** Feeds `bytes` split at `cuts`; the control frames read, or the error thrown. */
function read(bytes: Buffer, cuts: number[] = [], maxMessage?: number): { control: [number, string][]; error?: WsFrameError } {
  const control: [number, string][] = [];
  const r = new WsClientReader((op, p) => control.push([op, p.toString('hex')]), maxMessage);
  let at = 0;
  try {
    for (const c of [...cuts, bytes.length]) {
      r.push(bytes.subarray(at, c));
      at = c;
    }
  } catch (e) {
    if (!(e instanceof WsFrameError)) throw e;
    return { control, error: e };
  }
  return { control };
}

const hex = (s: string) => Buffer.from(s).toString('hex');

describe('WebSocket opening handshake (RFC 6455 4.2)', () => {
  it('computes the accept value of the RFC example', () => {
    expect(wsAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('accepts what ws accepts and answers with a 101 (first subprotocol offered)', () => {
    const headers = { upgrade: 'WebSocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' };
    const h = wsHandshake('GET', headers);
    expect(h).toEqual({ key: 'dGhlIHNhbXBsZSBub25jZQ==', protocol: undefined });
    expect(wsUpgradeHead(h!)).toBe('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n');
    const p = wsHandshake('GET', { ...headers, 'sec-websocket-protocol': 'flv, chat' });
    expect(wsUpgradeHead(p!)).toContain('\r\nSec-WebSocket-Protocol: flv\r\n\r\n');
  });

  it('refuses what is not a valid handshake (ws answers those with 400)', () => {
    const ok = { upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' };
    expect(wsHandshake('POST', ok)).toBeUndefined();
    expect(wsHandshake('GET', { ...ok, upgrade: 'h2c' })).toBeUndefined();
    expect(wsHandshake('GET', { ...ok, 'sec-websocket-key': 'short==' })).toBeUndefined();
    expect(wsHandshake('GET', { ...ok, 'sec-websocket-version': '12' })).toBeUndefined();
    expect(wsHandshake('GET', { ...ok, 'sec-websocket-protocol': 'a b' })).toBeUndefined();
  });
});

describe('server control frames', () => {
  it('builds close frames (golden bytes) that a client parser reads, with the reason cut at a character boundary', () => {
    expect([...wsCloseFrame(1000, 'bye')]).toEqual([0x88, 0x05, 0x03, 0xe8, 0x62, 0x79, 0x65]);
    expect([...wsControlFrame(WS_OPCODE.pong, Buffer.from('abc'))]).toEqual([0x8a, 0x03, 0x61, 0x62, 0x63]);
    const long = wsCloseFrame(4404, 'é'.repeat(100)); // 200 bytes of UTF-8: cut to 122 (61 characters)
    expect(long[1]).toBe(2 + 122);
    const closes: [number, string][] = [];
    const r = new Receiver({ isServer: false, maxPayload: 0 });
    r.on('conclude', (code: number, reason: Buffer) => closes.push([code, reason.toString()]));
    r.write(long);
    expect(closes).toEqual([[4404, 'é'.repeat(61)]]);
  });
});

describe('WsClientReader', () => {
  // RFC 6455 5.7: a masked "Hello" text frame, a masked ping "Hello" (same mask), a masked close 1000
  const text = Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
  const ping = Buffer.from([0x89, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
  const stream = Buffer.concat([
    text,
    ping,
    clientFrame(WS_OPCODE.binary, Buffer.alloc(300, 1)), // 16-bit length
    clientFrame(WS_OPCODE.text, Buffer.from('frag'), false),
    clientFrame(WS_OPCODE.pong, Buffer.alloc(0)), // a control frame between fragments
    clientFrame(WS_OPCODE.continuation, Buffer.from('ment')),
    clientFrame(WS_OPCODE.close, Buffer.from([0x0f, 0xa0, 0x62, 0x79, 0x65])), // 4000 "bye"
    Buffer.from([0x89, 0x00]), // after the close: not read
  ]);
  const expected: [number, string][] = [
    [WS_OPCODE.ping, hex('Hello')],
    [WS_OPCODE.pong, ''],
    [WS_OPCODE.close, '0fa0' + hex('bye')],
  ];

  it('reads golden frames: pings and closes unmasked, data dropped, nothing after the close', () => {
    expect(read(stream)).toEqual({ control: expected });
  });

  it('reads the same at every split point and byte by byte', () => {
    for (let cut = 0; cut <= stream.length; cut++) expect(read(stream, [cut])).toEqual({ control: expected });
    expect(read(stream, Array.from({ length: stream.length }, (_, i) => i))).toEqual({ control: expected });
  });

  it('reads any sequence of client frames built by ws at random split points (fast-check)', () => {
    const frame = fc.oneof(
      fc.record({ op: fc.constantFrom(WS_OPCODE.ping, WS_OPCODE.pong), p: fc.uint8Array({ maxLength: 125 }) }),
      fc.record({ op: fc.constant(WS_OPCODE.binary), p: fc.uint8Array({ maxLength: 70_000 }) }),
      fc.record({ op: fc.constant(WS_OPCODE.text), p: fc.string({ unit: 'binary', maxLength: 20_000 }).map((t) => Buffer.from(t)) }),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (frames, rawCuts) => {
        const bytes = Buffer.concat(frames.map((f) => clientFrame(f.op, Buffer.from(f.p))));
        const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const want = frames.filter((f) => f.op >= 8).map((f): [number, string] => [f.op, Buffer.from(f.p).toString('hex')]);
        expect(read(bytes, cuts, 100_000)).toEqual({ control: want });
      }),
      { numRuns: 150 },
    );
  });

  it('checks text messages as UTF-8 across frames and chunks, as ws does (1007), against Node\'s isUtf8 (fast-check)', () => {
    const t = Buffer.from('héllo ✓ 😀 ok');
    const fragmented = Buffer.concat([
      clientFrame(WS_OPCODE.text, t.subarray(0, 12), false), // ends inside the 4-byte 😀
      clientFrame(WS_OPCODE.ping, Buffer.from('p')),
      clientFrame(WS_OPCODE.continuation, t.subarray(12)),
    ]);
    for (let cut = 0; cut <= fragmented.length; cut++) expect(read(fragmented, [cut])).toEqual({ control: [[WS_OPCODE.ping, hex('p')]] });
    const code = (payload: number[], fin = true) => read(clientFrame(WS_OPCODE.text, Buffer.from(payload), fin)).error?.code;
    expect(code([0x61, 0xff])).toBe(1007); // never in UTF-8
    expect(code([0xf0, 0x9f, 0x98])).toBe(1007); // a character cut off at the end of the message
    expect(code([0xf0, 0x9f, 0x98], false)).toBeUndefined(); // ... which a continuation may still complete
    expect(code([0xc0, 0x80])).toBe(1007); // overlong
    expect(code([0xed, 0xa0, 0x80])).toBe(1007); // a UTF-16 surrogate
    expect(read(clientFrame(WS_OPCODE.binary, Buffer.from([0xff]))).error).toBeUndefined(); // binary: not checked
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'binary', maxLength: 64 }).map((x) => new Uint8Array(Buffer.from(x))),
      fc.tuple(fc.string({ unit: 'binary', maxLength: 32 }), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([x, at, v]) => {
        const b = Buffer.from(x + 'é😀');
        b[at % b.length] = v; // one byte changed in otherwise valid text
        return new Uint8Array(b);
      }),
    );
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 4 }), (raw, rawFrags, rawCuts) => {
        const msg = Buffer.from(raw);
        const at = [...new Set(rawFrags.map((c) => c % (msg.length + 1)))].sort((a, b) => a - b);
        const parts = [...at, msg.length].map((end, k) => msg.subarray(k === 0 ? 0 : at[k - 1]!, end));
        const frames = Buffer.concat(parts.map((p, k) => clientFrame(k === 0 ? WS_OPCODE.text : WS_OPCODE.continuation, p, k === parts.length - 1)));
        const cuts = [...new Set(rawCuts.map((c) => c % (frames.length + 1)))].sort((a, b) => a - b);
        expect(read(frames, cuts).error?.code).toBe(isUtf8(msg) ? undefined : 1007);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses malformed frames with the close code the RFC names', () => {
    const code = (bytes: Buffer, maxMessage?: number) => read(bytes, [], maxMessage).error?.code;
    expect(code(Buffer.from([0x89, 0x00]))).toBe(1002); // not masked
    const rsv = Buffer.from(ping);
    rsv[0]! |= 0x40;
    expect(code(rsv)).toBe(1002); // RSV1 without an extension
    const reserved = Buffer.from(ping);
    reserved[0] = 0x83;
    expect(code(reserved)).toBe(1002); // opcode 3
    expect(code(clientFrame(WS_OPCODE.ping, Buffer.alloc(3), false))).toBe(1002); // fragmented control frame
    const bigPing = Buffer.concat([Buffer.from([0x89, 0xfe, 0x00, 0x7e, 0, 0, 0, 0]), Buffer.alloc(126)]);
    expect(code(bigPing)).toBe(1002); // control frame of 126 bytes
    expect(code(clientFrame(WS_OPCODE.continuation, Buffer.from('x')))).toBe(1002); // nothing to continue
    expect(code(Buffer.concat([clientFrame(WS_OPCODE.text, Buffer.from('a'), false), clientFrame(WS_OPCODE.text, Buffer.from('b'))]))).toBe(1002);
    expect(code(clientFrame(WS_OPCODE.binary, Buffer.alloc(101)), 100)).toBe(1009); // too big
    expect(code(Buffer.concat([clientFrame(WS_OPCODE.binary, Buffer.alloc(60), false), clientFrame(WS_OPCODE.continuation, Buffer.alloc(41))]), 100)).toBe(1009);
    expect(code(clientFrame(WS_OPCODE.close, Buffer.from([0x03])))).toBe(1002); // 1-byte close payload
    expect(code(clientFrame(WS_OPCODE.close, Buffer.from([0x03, 0xed])))).toBe(1002); // 1005 may not be sent
    expect(code(clientFrame(WS_OPCODE.close, Buffer.from([0x03, 0xe8, 0xff])))).toBe(1007); // reason not UTF-8
    // a 64-bit length beyond 2^53 (and beyond any message limit)
    expect(code(Buffer.from([0x82, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]))).toBe(1009);
  });

  it('never throws anything but WsFrameError on mutated frames (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(), (mutations, cut) => {
        const bytes = Buffer.from(stream);
        for (const [at, v] of mutations) bytes[at % bytes.length] = v;
        const r = read(bytes, [cut % (bytes.length + 1)]);
        expect(r.control.length).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 500 },
    );
  });
});
