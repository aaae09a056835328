import { buildEnhancedVideoTag, type EnhancedVideoTagSpec } from './build-enhanced-video-tag.js';
import { buildLegacyAvcTag, buildLegacyVideoTag, type LegacyAvcTagSpec, type LegacyVideoTagSpec } from './build-legacy-video-tag.js';

/** Any video tag body livegate can build: legacy (E.4.3.1), legacy AVC/HEVC (E.4.3.1) or enhanced (E-RTMP v2). */
export type VideoTagSpec =
  | ({ readonly format: 'legacy' } & LegacyVideoTagSpec)
  | ({ readonly format: 'legacy-avc' } & LegacyAvcTagSpec)
  | ({ readonly format: 'enhanced' } & EnhancedVideoTagSpec);

/** Builds a video tag body (RTMP message type 9 / FLV tag type 9) from a spec (FLV 10.1 E.4.3; E-RTMP v2). */
export function buildVideoTag(spec: VideoTagSpec): Buffer {
  switch (spec.format) {
    case 'legacy':
      return buildLegacyVideoTag(spec);
    case 'legacy-avc':
      return buildLegacyAvcTag(spec);
    case 'enhanced':
      return buildEnhancedVideoTag(spec);
  }
}
