import { IngestError } from '../errors.js';

/**
 * Throws ERR_FLV_TRUNCATED unless `body` holds at least `end` bytes (FLV 10.1 E.4.2/E.4.3:
 * every header field a tag declares must be present). `what` names the field being read.
 */
export function need(body: Buffer, end: number, what: string): void {
  if (body.length < end) {
    throw new IngestError(
      'ERR_FLV_TRUNCATED',
      `FLV tag body truncated reading ${what}: ${body.length} bytes, header needs ${end}`,
    );
  }
}
