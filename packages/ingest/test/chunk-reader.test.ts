import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChunkReader, MAX_CHUNK_HEADER_SIZE } from '../src/chunk/index.js';
import type { ChunkReaderOptions } from '../src/chunk/index.js';
import type { RtmpMessage } from '../src/message/types.js';
import { buildVectorStream, pattern, rawChunk } from './chunk-vectors.js';

function reader(opts: Partial<ChunkReaderOptions> = {}): { r: ChunkReader; got: RtmpMessage[] } {
  const got: RtmpMessage[] = [];
  const r = new ChunkReader({ ...opts, onMessage: (m) => got.push(m) });
  return { r, got };
}

/** Messages as plain data (payload as hex) so toEqual compares bytes, not Buffer identity. */
function plain(ms: RtmpMessage[]) {
  return ms.map((m) => ({ ...m, payload: m.payload.toString('hex') }));
}

function feed(r: ChunkReader, data: Buffer, cuts: number[]): void {
  const points = [0, ...[...cuts].sort((a, b) => a - b), data.length];
  for (let i = 1; i < points.length; i++) r.push(data.subarray(points[i - 1]!, points[i]!));
}

/** Decodes `data` in one push and at every two-piece split; asserts they agree and returns the messages. */
function decodeEverySplit(data: Buffer): ReturnType<typeof plain> {
  const { r, got } = reader();
  r.push(data);
  const ref = plain(got);
  for (let i = 0; i <= data.length; i++) {
    const x = reader();
    x.r.push(data.subarray(0, i));
    x.r.push(data.subarray(i));
    expect(plain(x.got)).toEqual(ref);
  }
  return ref;
}

const { stream, messages } = buildVectorStream();
const expected = plain(messages);

describe('ChunkReader on the vector stream', () => {
  it('decodes it in one push', () => {
    const { r, got } = reader();
    r.push(stream);
    expect(plain(got)).toEqual(expected);
    expect(r.bytesReceived).toBe(stream.length);
    expect(r.bufferedBytes).toBe(0);
    expect(r.chunkSize).toBe(4096);
    expect(r.chunkStreamCount).toBe(13);
  });

  it('decodes it identically at every split point', () => {
    for (let i = 0; i <= stream.length; i++) {
      const { r, got } = reader();
      r.push(stream.subarray(0, i));
      r.push(stream.subarray(i));
      expect(plain(got)).toEqual(expected);
      expect(r.bufferedBytes).toBe(0);
    }
  });

  it('decodes it one byte at a time', () => {
    const { r, got } = reader();
    for (let i = 0; i < stream.length; i++) r.push(stream.subarray(i, i + 1));
    expect(plain(got)).toEqual(expected);
  });

  it('decodes it identically in random pieces (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 40 }), (cuts) => {
        const { r, got } = reader();
        feed(r, stream, cuts);
        expect(plain(got)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('hands out a single-chunk message as a subarray of the input (zero-copy)', () => {
    const { r, got } = reader();
    r.push(stream);
    const v5 = got[got.length - 1]!;
    expect(v5.payload.length).toBe(1000);
    expect(v5.payload.buffer).toBe(stream.buffer);
  });

  it('copies only what it keeps: a partial message does not pin the pushed buffer', () => {
    const { r, got } = reader();
    const first = Buffer.from(stream.subarray(0, 100)); // csid 3 message partial at the end
    r.push(first);
    first.fill(0); // the caller reuses its buffer
    r.push(stream.subarray(100));
    expect(plain(got)).toEqual(expected);
  });
});

describe('ChunkReader extended timestamps on type 3 chunks', () => {
  it('tells a repeated extended timestamp from payload bytes that differ', () => {
    const payload = pattern(6, 1);
    const s = Buffer.concat([
      rawChunk({ fmt: 0, csid: 3, ext: 0x01020304, len: 6, type: 9, payload: payload.subarray(0, 4) }),
      // No repetition, but the continuation payload is 2 bytes: the peek spans into the next header.
      rawChunk({ fmt: 3, csid: 3, payload: payload.subarray(4) }),
      rawChunk({ fmt: 0, csid: 4, ts: 1, len: 1, type: 9, payload: Buffer.from([7]) }),
    ]);
    const setChunkSize4 = rawChunk({ fmt: 0, csid: 2, type: 1, payload: Buffer.from('00000004', 'hex') });
    expect(decodeEverySplit(Buffer.concat([setChunkSize4, s])).slice(1)).toEqual([
      { csid: 3, typeId: 9, streamId: 0, timestamp: 0x01020304, payload: payload.toString('hex') },
      { csid: 4, typeId: 9, streamId: 0, timestamp: 1, payload: '07' },
    ]);
  });

  it('reads a type 3 new message without the extended field (old ffmpeg) as payload', () => {
    const a = pattern(3, 1);
    const b = pattern(3, 2);
    const s = Buffer.concat([
      rawChunk({ fmt: 0, csid: 3, ext: 0x01000000, len: 3, type: 8, payload: a }),
      rawChunk({ fmt: 3, csid: 3, payload: b }),
      rawChunk({ fmt: 0, csid: 3, ts: 5, len: 1, type: 8, payload: Buffer.from([1]) }),
    ]);
    expect(decodeEverySplit(s).map((m) => [m.timestamp, m.payload])).toEqual([
      [0x01000000, a.toString('hex')],
      [0x02000000, b.toString('hex')],
      [5, '01'],
    ]);
  });
});

describe('ChunkReader tolerance and protocol errors', () => {
  it('accepts a fresh chunk stream that starts with type 1 (librtmp ping, SRS #98)', () => {
    const { r, got } = reader();
    r.push(rawChunk({ fmt: 1, csid: 2, ts: 0, type: 4, payload: Buffer.from('000600000d0f', 'hex') }));
    expect(plain(got)).toEqual([{ csid: 2, typeId: 4, streamId: 0, timestamp: 0, payload: '000600000d0f' }]);
  });

  it.each([2, 3] as const)('refuses a fresh chunk stream that starts with type %i (no length known)', (fmt) => {
    const { r } = reader();
    expect(() => r.push(rawChunk({ fmt, csid: 5, ts: 1, payload: Buffer.from([1, 2, 3]) }))).toThrow(
      expect.objectContaining({ code: 'ERR_RTMP_BAD_CHUNK', message: expect.stringMatching(/chunk stream 5 starts with a type/) }),
    );
  });

  it.each([0, 1, 2] as const)('refuses a type %i header while a message is partial on that chunk stream', (fmt) => {
    const { r } = reader();
    r.push(rawChunk({ fmt: 0, csid: 3, len: 300, type: 9, payload: pattern(128, 1) }));
    expect(() => r.push(rawChunk({ fmt, csid: 3, len: 4, type: 9, payload: pattern(4, 1) }))).toThrow(
      expect.objectContaining({ code: 'ERR_RTMP_BAD_CHUNK', message: expect.stringMatching(/128 of 300 bytes/) }),
    );
  });

  it.each([
    ['zero', '00000000'],
    ['bit 31 set', '80000080'],
  ])('refuses Set Chunk Size %s', (_name, hex) => {
    const { r } = reader();
    expect(() => r.push(rawChunk({ fmt: 0, csid: 2, type: 1, payload: Buffer.from(hex, 'hex') }))).toThrow(
      expect.objectContaining({ code: 'ERR_RTMP_CHUNK_SIZE' }),
    );
  });

  it('accepts the largest chunk size, 0x7FFFFFFF, without allocating from it', () => {
    const { r, got } = reader();
    r.push(rawChunk({ fmt: 0, csid: 2, type: 1, payload: Buffer.from('7fffffff', 'hex') }));
    expect(r.chunkSize).toBe(0x7fffffff);
    r.push(rawChunk({ fmt: 0, csid: 3, type: 9, payload: pattern(5000, 1) }));
    expect(got[1]!.payload.equals(pattern(5000, 1))).toBe(true);
  });

  it('stays dead after an error', () => {
    const { r } = reader();
    expect(() => r.push(rawChunk({ fmt: 3, csid: 9, payload: Buffer.alloc(0) }))).toThrow();
    expect(() => r.push(stream)).toThrow(expect.objectContaining({ code: 'ERR_RTMP_BAD_CHUNK' }));
  });
});

describe('ChunkReader limits', () => {
  it('refuses a declared length over maxMessageSize at the header, naming value and limit', () => {
    const { r } = reader({ maxMessageSize: 1000 });
    const header = rawChunk({ fmt: 0, csid: 3, len: 1001, type: 9, payload: Buffer.alloc(0) });
    expect(() => r.push(header)).toThrow(
      expect.objectContaining({ code: 'ERR_RTMP_MESSAGE_TOO_LARGE', message: expect.stringMatching(/1001 bytes, over the limit of 1000/) }),
    );
  });

  it('refuses a new chunk stream past maxChunkStreams', () => {
    const { r } = reader({ maxChunkStreams: 2 });
    r.push(rawChunk({ fmt: 0, csid: 3, type: 9, payload: Buffer.from([1]) }));
    r.push(rawChunk({ fmt: 0, csid: 4, type: 9, payload: Buffer.from([1]) }));
    r.push(rawChunk({ fmt: 0, csid: 3, type: 9, payload: Buffer.from([1]) }));
    expect(() => r.push(rawChunk({ fmt: 0, csid: 5, type: 9, payload: Buffer.from([1]) }))).toThrow(
      expect.objectContaining({ code: 'ERR_RTMP_TOO_MANY_CHUNK_STREAMS', message: expect.stringMatching(/limit of 2/) }),
    );
  });

  it('bounds the bytes held by interleaved partial messages (maxBufferedBytes)', () => {
    const { r } = reader({ maxMessageSize: 1000, maxBufferedBytes: 300 });
    r.push(rawChunk({ fmt: 0, csid: 3, len: 1000, type: 9, payload: pattern(128, 1) }));
    r.push(rawChunk({ fmt: 0, csid: 4, len: 1000, type: 9, payload: pattern(128, 1) }));
    expect(r.bufferedBytes).toBe(256);
    expect(() => r.push(rawChunk({ fmt: 0, csid: 5, len: 1000, type: 9, payload: pattern(128, 1) }))).toThrow(
      expect.objectContaining({ code: 'ERR_RTMP_MESSAGE_TOO_LARGE', message: expect.stringMatching(/384 bytes, over the limit of 300/) }),
    );
  });

  it('does not allocate a 16 MiB message that is announced but never sent', () => {
    const { r } = reader({ maxMessageSize: 0xffffff });
    const before = process.memoryUsage().arrayBuffers;
    r.push(rawChunk({ fmt: 0, csid: 3, len: 0xffffff, type: 9, payload: pattern(100, 1) }));
    const after = process.memoryUsage().arrayBuffers;
    expect(r.bufferedBytes).toBe(100);
    expect(after - before).toBeLessThan(1024 * 1024);
  });

  it('keeps a partial header of at most 18 bytes between pushes', () => {
    const { r } = reader();
    const c = rawChunk({ fmt: 0, csid: 320, ext: 0x01000000, type: 9, payload: Buffer.from([1]) });
    expect(c.length).toBe(MAX_CHUNK_HEADER_SIZE + 1);
    r.push(c.subarray(0, MAX_CHUNK_HEADER_SIZE - 1));
    expect(r.bufferedBytes).toBe(MAX_CHUNK_HEADER_SIZE - 1);
  });
});
