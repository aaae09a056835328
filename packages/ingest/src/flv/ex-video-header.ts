import { readFourCc } from './fourcc.js';
import { readModEx } from './mod-ex.js';
import { readMultitrackHeader } from './multitrack.js';
import { need } from './need.js';
import { VideoFrameType, VideoPacketType } from './video-constants.js';

/** The ExVideoTagHeader, once ModEx and multitrack framing are resolved (E-RTMP v2 "Enhanced Video"). */
export interface ExVideoHeader {
  /** VideoFrameType, UB[3]. */
  readonly frameType: number;
  /** The real VideoPacketType (after ModEx blocks; the per-track type of a multitrack message). */
  readonly packetType: number;
  /** The FourCC; undefined for command frames and ManyTracksManyCodecs multitrack. */
  readonly fourcc: string | undefined;
  /** VideoCommand (UI8) when FrameType is Command and the packet is not Metadata; the body ends here. */
  readonly command: number | undefined;
  /** AvMultitrackType when VideoPacketType was Multitrack, else undefined. */
  readonly multitrack: number | undefined;
  /** TrackId of a OneTrack multitrack message. */
  readonly trackId: number | undefined;
  /** TimestampOffsetNano from a ModEx block, in ns (not applied to the ms timestamps). */
  readonly timestampOffsetNano: number | undefined;
  /** Offset of what follows the header: the command byte, the track data, or the packet body. */
  readonly offset: number;
}

/** Reads the ExVideoTagHeader of a tag whose IsExVideoHeader bit is set (E-RTMP v2 "Extended VideoTagHeader"). */
export function readExVideoHeader(body: Buffer): ExVideoHeader {
  need(body, 1, 'ExVideoTagHeader');
  const b0 = body[0]!;
  const frameType = (b0 >> 4) & 0x07;
  const modEx = readModEx(body, 1, b0 & 0x0f);
  const packetType = modEx.packetType;
  const off = modEx.offset;
  const base = { frameType, timestampOffsetNano: modEx.timestampOffsetNano };
  if (packetType !== VideoPacketType.Metadata && frameType === VideoFrameType.Command) {
    need(body, off + 1, 'VideoCommand');
    return { ...base, packetType, fourcc: undefined, command: body[off]!, multitrack: undefined, trackId: undefined, offset: off };
  }
  if (packetType !== VideoPacketType.Multitrack) {
    const fourcc = readFourCc(body, off);
    return { ...base, packetType, fourcc, command: undefined, multitrack: undefined, trackId: undefined, offset: off + 4 };
  }
  const mt = readMultitrackHeader(body, off, 'video');
  return { ...base, packetType: mt.packetType, fourcc: mt.fourcc, command: undefined, multitrack: mt.multitrack, trackId: mt.trackId, offset: mt.offset };
}
