import type { VideoMessage } from '../media/message.js';
import { parseEnhancedVideoTag } from './enhanced-video-tag.js';
import { parseLegacyVideoTag } from './legacy-video-tag.js';
import { need } from './need.js';
import { EX_VIDEO_HEADER_FLAG } from './video-constants.js';

/**
 * Parses one FLV video tag body (RTMP message type 9) into a VideoMessage (FLV 10.1 E.4.3; E-RTMP v2).
 * `dts` is the unwrapped timestamp in ms. Zero copy: `payload` is a subarray of `body`.
 * Throws IngestError ERR_FLV_TRUNCATED only when the body is shorter than the header it declares.
 */
export function parseVideoTag(body: Buffer, dts: number): VideoMessage {
  need(body, 1, 'VideoTagHeader');
  return (body[0]! & EX_VIDEO_HEADER_FLAG) !== 0 ? parseEnhancedVideoTag(body, dts) : parseLegacyVideoTag(body, dts);
}
