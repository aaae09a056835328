/** HLS (RFC 8216): segmenter, segment writers, playlist model and rendering. */
export { HlsSegmenter } from './hls-segmenter.js';
export {
  type HlsSegmenterOptions,
  type HlsSegmenterStats,
  type SegmentEvent,
  DEFAULT_TARGET_DURATION_MS,
  DEFAULT_PLAYLIST_LENGTH,
  DEFAULT_GRACE_SEGMENTS,
  DEFAULT_MAX_SEGMENT_BYTES,
  DEFAULT_MAX_SEGMENT_DURATION_MS,
  JUMP_BACKWARD_TOLERANCE_MS,
  JUMP_FORWARD_LIMIT_MS,
} from './segmenter-options.js';
export type { SegmentWriter, SegmentWriterFactory } from './segment-writer.js';
export { TsSegmentWriter } from './ts-segment-writer.js';
export { type PlaylistSegment, type MediaPlaylistOptions, MediaPlaylist } from './media-playlist.js';
export { renderMediaPlaylist } from './render-playlist.js';
export { SegmentStore } from './segment-store.js';
export { type VideoTrack, type AudioTrack, type MediaTracks, videoTrackFromConfig, audioTrackFrom } from './tracks.js';
