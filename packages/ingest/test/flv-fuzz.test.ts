import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIngestError } from '../src/index.js';
import { parseAudioTag, parseVideoTag } from '../src/flv/index.js';
import { AUDIO_TRUNCATED, AUDIO_VECTORS, VIDEO_TRUNCATED, VIDEO_VECTORS } from './flv-vectors.js';

/** Parses or throws an IngestError; a returned message's payload must be a view at the end of body. */
function parsesOrThrowsOwnError(parse: (b: Buffer, dts: number) => { body: Buffer; payload: Buffer }, body: Buffer): void {
  try {
    const m = parse(body, 0);
    expect(m.body).toBe(body);
    expect(m.payload.buffer).toBe(body.buffer);
    expect(m.payload.byteOffset).toBeGreaterThanOrEqual(body.byteOffset);
    expect(m.payload.byteOffset + m.payload.length).toBe(body.byteOffset + body.length);
  } catch (e) {
    if (!isIngestError(e)) throw e;
    expect(e.code).toBe('ERR_FLV_TRUNCATED');
  }
}

const seeds = (vectors: readonly { bytes: Buffer }[]) => vectors.map((v) => v.bytes);
const videoSeeds = [...seeds(VIDEO_VECTORS), ...seeds(VIDEO_TRUNCATED)];
const audioSeeds = [...seeds(AUDIO_VECTORS), ...seeds(AUDIO_TRUNCATED)];

/** A golden vector with random bytes overwritten, cut at a random length. */
function mutated(pool: Buffer[]) {
  return fc
    .tuple(fc.constantFrom(...pool), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat())
    .map(([seed, flips, cut]) => {
      const b = Buffer.from(seed);
      for (const [i, v] of flips) if (b.length > 0) b[i % b.length] = v;
      return b.subarray(0, b.length === 0 ? 0 : cut % (b.length + 1));
    });
}

describe('random and mutated bytes: parse or throw IngestError, never anything else', () => {
  it('video: every prefix of every golden vector', () => {
    for (const seed of videoSeeds) for (let n = 0; n <= seed.length; n++) parsesOrThrowsOwnError(parseVideoTag, seed.subarray(0, n));
  });

  it('audio: every prefix of every golden vector', () => {
    for (const seed of audioSeeds) for (let n = 0; n <= seed.length; n++) parsesOrThrowsOwnError(parseAudioTag, seed.subarray(0, n));
  });

  it('video: mutated golden vectors', () => {
    fc.assert(fc.property(mutated(videoSeeds), (b) => parsesOrThrowsOwnError(parseVideoTag, b)), { numRuns: 2000 });
  });

  it('audio: mutated golden vectors', () => {
    fc.assert(fc.property(mutated(audioSeeds), (b) => parsesOrThrowsOwnError(parseAudioTag, b)), { numRuns: 2000 });
  });

  it('video: random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (a) => parsesOrThrowsOwnError(parseVideoTag, Buffer.from(a))),
      { numRuns: 3000 },
    );
  });

  it('audio: random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (a) => parsesOrThrowsOwnError(parseAudioTag, Buffer.from(a))),
      { numRuns: 3000 },
    );
  });
});
