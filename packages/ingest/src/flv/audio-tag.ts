import type { AudioMessage } from '../media/message.js';
import { SoundFormat } from './audio-constants.js';
import { parseEnhancedAudioTag } from './enhanced-audio-tag.js';
import { parseLegacyAudioTag } from './legacy-audio-tag.js';

/**
 * Parses one FLV audio tag body (RTMP message type 8) into an AudioMessage (FLV 10.1 E.4.2; E-RTMP v2).
 * An empty body is RTMP's "audio silence" message (E-RTMP v2 AudioPacketType notes): relayed as
 * codec 'unknown', packet 'other'. Throws IngestError ERR_FLV_TRUNCATED only when the body is shorter
 * than the header it declares. Zero copy: `payload` is a subarray of `body`.
 */
export function parseAudioTag(body: Buffer, dts: number): AudioMessage {
  if (body.length === 0) {
    return {
      kind: 'audio',
      codec: 'unknown',
      fourcc: undefined,
      packet: 'other',
      dts,
      pts: dts,
      soundRate: undefined,
      soundSize: undefined,
      channels: undefined,
      body,
      payload: body.subarray(0),
    };
  }
  return body[0]! >> 4 === SoundFormat.ExHeader ? parseEnhancedAudioTag(body, dts) : parseLegacyAudioTag(body, dts);
}
