/** AvMultitrackType, shared by audio and video (E-RTMP v2 "Enhanced Audio"/"Enhanced Video"). */
export const AvMultitrackType = { OneTrack: 0, ManyTracks: 1, ManyTracksManyCodecs: 2 } as const;

/**
 * The track livegate unwraps from a OneTrack multitrack message: trackId 0, the default / highest
 * priority track (E-RTMP v2 "Track Ordering"). Other track ids are relayed as packet 'other' so two
 * one-track messages of different tracks are never merged into one elementary stream.
 */
export const DEFAULT_TRACK_ID = 0;
