import type { AudioMessage, AudioPacket } from '../media/message.js';
import { AacPacketType, legacyAudioCodec, SOUND_RATES, SoundFormat } from './audio-constants.js';
import { need } from './need.js';

/** Bytes of the legacy AAC AudioTagHeader: SoundFormat|Rate|Size|Type, AACPacketType (FLV 10.1 E.4.2.1). */
export const AAC_HEADER_SIZE = 2;

/**
 * Parses a legacy FLV audio tag body (FLV 10.1 E.4.2.1 AUDIODATA): SoundFormat, SoundRate, SoundSize,
 * SoundType; AAC adds AACPacketType (0 AudioSpecificConfig → 'config', 1 raw → 'frame', else 'other').
 * Other known formats are 'frame' with the payload after byte 0; unknown formats are 'other'.
 */
export function parseLegacyAudioTag(body: Buffer, dts: number): AudioMessage {
  need(body, 1, 'AudioTagHeader');
  const b0 = body[0]!;
  const soundFormat = b0 >> 4;
  const codec = legacyAudioCodec(soundFormat);
  let packet: AudioPacket = codec === 'unknown' ? 'other' : 'frame';
  let payloadOffset = 1;
  if (soundFormat === SoundFormat.Aac) {
    need(body, AAC_HEADER_SIZE, 'AACPacketType');
    const aacPacketType = body[1];
    packet = aacPacketType === AacPacketType.SequenceHeader ? 'config' : aacPacketType === AacPacketType.Raw ? 'frame' : 'other';
    payloadOffset = AAC_HEADER_SIZE;
  }
  return {
    kind: 'audio',
    codec,
    fourcc: undefined,
    packet,
    dts,
    pts: dts,
    soundRate: SOUND_RATES[(b0 >> 2) & 0x03],
    soundSize: b0 & 0x02 ? 16 : 8,
    channels: b0 & 0x01 ? 2 : 1,
    body,
    payload: body.subarray(payloadOffset),
  };
}
