import { AudioPacketType } from './audio-constants.js';
import { readFourCc } from './fourcc.js';
import { readModEx } from './mod-ex.js';
import { readMultitrackHeader } from './multitrack.js';
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
  const off = modEx.offset;
  const nano = modEx.timestampOffsetNano;
  if (modEx.packetType !== AudioPacketType.Multitrack) {
    const fourcc = readFourCc(body, off);
    return { packetType: modEx.packetType, fourcc, multitrack: undefined, trackId: undefined, timestampOffsetNano: nano, offset: off + 4 };
  }
  const mt = readMultitrackHeader(body, off, 'audio');
  return { packetType: mt.packetType, fourcc: mt.fourcc, multitrack: mt.multitrack, trackId: mt.trackId, timestampOffsetNano: nano, offset: mt.offset };
}
