/** Size of the FLV file header: 'FLV', version, flags, DataOffset (FLV 10.1 E.2). */
export const FLV_HEADER_SIZE = 9;

/** What an FLV header announces (FLV 10.1 E.2 TypeFlagsAudio / TypeFlagsVideo). */
export interface FlvHeaderFlags {
  readonly audio: boolean;
  readonly video: boolean;
}

/**
 * The 9-byte FLV header followed by PreviousTagSize0 = 0 (FLV 10.1 E.2, E.3): 13 bytes,
 * the first thing an HTTP-FLV viewer receives.
 */
export function flvHeader(flags: FlvHeaderFlags): Buffer {
  const out = Buffer.alloc(FLV_HEADER_SIZE + 4);
  out.write('FLV', 0, 'latin1');
  out[3] = 1; // version
  out[4] = (flags.audio ? 0x04 : 0) | (flags.video ? 0x01 : 0);
  out.writeUInt32BE(FLV_HEADER_SIZE, 5); // DataOffset
  // PreviousTagSize0 (bytes 9..12) stays 0
  return out;
}
