import { readFourCc } from './fourcc.js';
import { need } from './need.js';

/** AvMultitrackType, shared by audio and video (E-RTMP v2 "Enhanced Audio"/"Enhanced Video"). */
export const AvMultitrackType = { OneTrack: 0, ManyTracks: 1, ManyTracksManyCodecs: 2 } as const;

/**
 * The track livegate unwraps from a OneTrack multitrack message: trackId 0, the default / highest
 * priority track (E-RTMP v2 "Track Ordering"). Other track ids are relayed as packet 'other' so two
 * one-track messages of different tracks are never merged into one elementary stream.
 */
export const DEFAULT_TRACK_ID = 0;

/** The multitrack prefix of an enhanced audio or video tag (E-RTMP v2 Multitrack): type, packet type, FourCC, track id. */
export interface MultitrackHeader {
  readonly multitrack: number;
  readonly packetType: number;
  /** Present for OneTrack and ManyTracks (one codec for all tracks). */
  readonly fourcc: string | undefined;
  /** Present for OneTrack (the other types carry a track id per track in the body). */
  readonly trackId: number | undefined;
  /** Offset after the prefix. */
  readonly offset: number;
}

/** Reads `AvMultitrackType | PacketType`, the FourCC and the track id at `off` (E-RTMP v2 ExVideoTagHeader / ExAudioTagHeader). */
export function readMultitrackHeader(body: Buffer, off: number, kind: 'audio' | 'video'): MultitrackHeader {
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
    need(body, off + 1, `${kind} TrackId`);
    trackId = body[off]!;
    off += 1;
  }
  return { multitrack, packetType, fourcc, trackId, offset: off };
}
