import { AudioPacketType } from './audio-constants.js';
import { readFourCc } from './fourcc.js';
import { readModEx } from './mod-ex.js';
import { AvMultitrackType } from './multitrack.js';
import { need } from './need.js';

/** The ExAudioTagHeader, once ModEx and multitrack framing are resolved (E-RTMP v2 "Enhanced Audio"). */
export interface ExAudioHeader {
  /** The real AudioPacketType (after ModEx blocks; the per-track type of a multitrack message). */
  readonly packetType: number;
  /** The FourCC; undefined for ManyTracksManyCodecs multitrack. */
  readonly fourcc: string | undefined;
  /** AvMultitrackType when AudioPacketType was Multitrack, else undefined. */
  readonly multitrack: number | undefined;
  /** TrackId of a OneTrack multitrack message. */
  readonly trackId: number | undefined;
  /** TimestampOffsetNano from a ModEx block, in ns (not applied to the ms timestamps). */
  readonly timestampOffsetNano: number | undefined;
  /** Offset of what follows the header: the track data or the packet body. */
  readonly offset: number;
}

/** Reads the ExAudioTagHeader of a tag whose SoundFormat is ExHeader (9) (E-RTMP v2 "Extended AudioTagHeader"). */
export function readExAudioHeader(body: Buffer): ExAudioHeader {
  need(body, 1, 'ExAudioTagHeader');
  const modEx = readModEx(body, 1, body[0]! & 0x0f);
  let off = modEx.offset;
  const nano = modEx.timestampOffsetNano;
  if (modEx.packetType !== AudioPacketType.Multitrack) {
    const fourcc = readFourCc(body, off);
    return { packetType: modEx.packetType, fourcc, multitrack: undefined, trackId: undefined, timestampOffsetNano: nano, offset: off + 4 };
  }
  need(body, off + 1, 'AvMultitrackType');
  const multitrack = body[off]! >> 4;
  const packetType = body[off]! & 0x0f;
  off += 1;
  let fourcc: string | undefined;
  if (multitrack === AvMultitrackType.OneTrack || multitrack === AvMultitrackType.ManyTracks) {
    fourcc = readFourCc(body, off);
    off += 4;
  }
  let trackId: number | undefined;
  if (multitrack === AvMultitrackType.OneTrack) {
    need(body, off + 1, 'audio TrackId');
    trackId = body[off]!;
    off += 1;
  }
  return { packetType, fourcc, multitrack, trackId, timestampOffsetNano: nano, offset: off };
}
