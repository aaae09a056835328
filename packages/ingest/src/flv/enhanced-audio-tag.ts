import type { AudioMessage, AudioPacket } from '../media/message.js';
import { AUDIO_FOURCC_CODEC, AudioPacketType } from './audio-constants.js';
import { readExAudioHeader } from './ex-audio-header.js';
import { AvMultitrackType, DEFAULT_TRACK_ID } from './multitrack.js';

/**
 * Parses an Enhanced RTMP audio tag body (E-RTMP v2 "Enhanced Audio": ExAudioTagHeader + ExAudioTagBody).
 * SequenceStart → 'config', CodedFrames → 'frame', SequenceEnd → 'end'; MultichannelConfig, unknown
 * packet types, unknown FourCCs and multitrack other than track 0 of a OneTrack message → 'other'.
 * soundRate/soundSize/channels are undefined: the codec's own config carries them.
 */
export function parseEnhancedAudioTag(body: Buffer, dts: number): AudioMessage {
  const h = readExAudioHeader(body);
  const codec = (h.fourcc !== undefined && AUDIO_FOURCC_CODEC.get(h.fourcc)) || 'unknown';
  const unwrapped =
    h.multitrack === undefined || (h.multitrack === AvMultitrackType.OneTrack && h.trackId === DEFAULT_TRACK_ID);
  let packet: AudioPacket = 'other';
  if (unwrapped && codec !== 'unknown') {
    if (h.packetType === AudioPacketType.SequenceStart) packet = 'config';
    else if (h.packetType === AudioPacketType.CodedFrames) packet = 'frame';
    else if (h.packetType === AudioPacketType.SequenceEnd) packet = 'end';
  }
  return {
    kind: 'audio',
    codec,
    fourcc: h.fourcc,
    packet,
    dts,
    pts: dts,
    soundRate: undefined,
    soundSize: undefined,
    channels: undefined,
    body,
    payload: body.subarray(h.offset),
  };
}
