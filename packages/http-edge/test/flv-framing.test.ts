import type { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as wsPackage from 'ws';
import { chunk, wsBinaryFrame } from '../src/viewers/flv-fanout.js';

/** ws's frame parser: the package exports it (`Receiver`), @types/ws does not declare it. */
const Receiver = (wsPackage as unknown as { Receiver: new (o: { isServer: boolean; maxPayload: number }) => Writable }).Receiver;

/** Frames as a browser's WebSocket would read them (ws's own client-side parser), split at `cuts`. */
function receive(bytes: Buffer, cuts: number[] = []): Buffer[] {
  const got: Buffer[] = [];
  const r = new Receiver({ isServer: false, maxPayload: 0 });
  r.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(true);
    got.push(Buffer.from(data));
  });
  r.on('error', (e: Error) => {
    throw e;
  });
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    r.write(bytes.subarray(at, c));
    at = c;
  }
  return got;
}

describe('FLV batch framing', () => {
  it('frames a WebSocket binary message with the shortest length form (RFC 6455 5.2 golden bytes)', () => {
    const head = (n: number) => [...wsBinaryFrame(Buffer.alloc(n, 7)).subarray(0, n < 126 ? 2 : n < 65536 ? 4 : 10)];
    expect(head(0)).toEqual([0x82, 0x00]);
    expect(head(125)).toEqual([0x82, 0x7d]);
    expect(head(126)).toEqual([0x82, 0x7e, 0x00, 0x7e]);
    expect(head(65535)).toEqual([0x82, 0x7e, 0xff, 0xff]);
    expect(head(65536)).toEqual([0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00]);
    expect(wsBinaryFrame(Buffer.alloc(65536, 7)).length).toBe(65546);
  });

  it('round-trips any batch through a WebSocket client parser, at any split point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 70_000 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        (sizes, rawCuts) => {
          const batches = sizes.map((n, i) => Buffer.alloc(n, i + 1).fill(n & 0xff, 0, Math.min(n, 3)));
          const stream = Buffer.concat(batches.map(wsBinaryFrame));
          const cuts = [...new Set(rawCuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const got = receive(stream, cuts);
          expect(got.length).toBe(batches.length);
          got.forEach((b, i) => expect(b.equals(batches[i]!)).toBe(true));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('frames an HTTP/1.1 chunk (size in hex, CRLFs)', () => {
    expect(chunk(Buffer.from('hello')).toString('latin1')).toBe('5\r\nhello\r\n');
    expect(chunk(Buffer.alloc(300, 0x41)).subarray(0, 5).toString('latin1')).toBe('12c\r\n');
  });
});
