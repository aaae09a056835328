import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChunkReader, MAX_CHUNK_HEADER_SIZE } from '../src/chunk/index.js';
import { isIngestError } from '../src/errors.js';
import { buildVectorStream } from './chunk-vectors.js';

const LIMITS = { maxMessageSize: 4096, maxBufferedBytes: 6000, maxChunkStreams: 16 };
const { stream } = buildVectorStream();

type Mutation = { kind: 'flip' | 'set' | 'insert' | 'delete'; at: number; byte: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('flip', 'set', 'insert', 'delete'),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
});

function mutate(base: Buffer, mutations: Mutation[]): Buffer {
  const b = [...base];
  for (const m of mutations) {
    const at = m.at % (b.length + 1);
    if (m.kind === 'insert') b.splice(at, 0, m.byte);
    else if (at >= b.length) continue;
    else if (m.kind === 'delete') b.splice(at, 1);
    else if (m.kind === 'flip') b[at] = b[at]! ^ (1 << (m.byte & 7));
    else b[at] = m.byte;
  }
  return Buffer.from(b);
}

/** Feeds `data` in pieces; only IngestError may escape, and the reader's holdings stay bounded. */
function survive(data: Buffer, cuts: number[]): boolean {
  const r = new ChunkReader({ ...LIMITS, onMessage: (m) => expect(m.payload.length).toBeLessThanOrEqual(LIMITS.maxMessageSize) });
  const points = [0, ...cuts.map((c) => c % (data.length + 1)).sort((a, b) => a - b), data.length];
  for (let i = 1; i < points.length; i++) {
    try {
      r.push(data.subarray(points[i - 1]!, points[i]!));
    } catch (e) {
      if (!isIngestError(e)) throw e;
      return true;
    } finally {
      expect(r.bufferedBytes).toBeLessThanOrEqual(LIMITS.maxBufferedBytes + MAX_CHUNK_HEADER_SIZE);
      expect(r.chunkStreamCount).toBeLessThanOrEqual(LIMITS.maxChunkStreams);
    }
  }
  return true;
}

describe('ChunkReader mutation fuzz', () => {
  it('decodes the unmutated stream within the fuzz limits', () => {
    expect(survive(stream, [])).toBe(true);
  });

  it('throws only IngestError and stays bounded on mutated streams (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(arbMutation, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), (muts, cuts) =>
        survive(mutate(stream, muts), cuts),
      ),
      { numRuns: 1500 },
    );
  });

  it('throws only IngestError and stays bounded on random bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) =>
        survive(Buffer.from(bytes), cuts),
      ),
      { numRuns: 1000 },
    );
  });
});
