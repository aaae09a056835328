/**
 * The media contract of livegate: what the RTMP side puts on the bus and what
 * every remuxer reads. One message per FLV tag. `body` is the exact FLV tag
 * body as received (shared, never mutated): HTTP-FLV and RTMP play pass it on
 * as-is; HLS uses the parsed fields.
 */

/** Video codecs livegate recognises. Legacy FLV codec ids and Enhanced RTMP FourCCs map onto these. */
export type VideoCodec = 'avc' | 'hevc' | 'av1' | 'vp9' | 'vp8' | 'h263' | 'screen' | 'vp6' | 'unknown';

/** Audio codecs livegate recognises. Legacy SoundFormat values and Enhanced RTMP FourCCs map onto these. */
export type AudioCodec =
  | 'aac'
  | 'mp3'
  | 'opus'
  | 'ac3'
  | 'eac3'
  | 'flac'
  | 'pcm'
  | 'adpcm'
  | 'nellymoser'
  | 'g711a'
  | 'g711u'
  | 'speex'
  | 'unknown';

/**
 * What a video tag carries.
 * - `config`: decoder configuration record (AVCDecoderConfigurationRecord, HEVCDecoderConfigurationRecord,
 *   AV1CodecConfigurationRecord, VPCodecConfigurationRecord)
 * - `frame`: coded frame data (AVC/HEVC: length-prefixed NAL units; AV1: OBUs; VP9: frame)
 * - `end`: end of sequence
 * - `metadata`: Enhanced RTMP video metadata (e.g. HDR colorInfo), AMF payload
 * - `other`: anything else (command frames, legacy codecs' data, unknown packet types): relayed as-is
 */
export type VideoPacket = 'config' | 'frame' | 'end' | 'metadata' | 'other';

/** What an audio tag carries: `config` is the AudioSpecificConfig (AAC) or codec header (Opus, FLAC, ...). */
export type AudioPacket = 'config' | 'frame' | 'end' | 'other';

export interface VideoMessage {
  readonly kind: 'video';
  readonly codec: VideoCodec;
  /** Enhanced RTMP FourCC (`hvc1`, `av01`, `vp09`, `avc1`) when the tag used the extended header, else undefined. */
  readonly fourcc: string | undefined;
  readonly packet: VideoPacket;
  /** Decode timestamp in ms, unwrapped past 2^32 (monotonic within a publish, may start anywhere). */
  readonly dts: number;
  /** Presentation timestamp in ms: dts + signed composition time offset. */
  readonly pts: number;
  /** FLV frame type 1 (keyframe / IDR) on a `frame` packet; always false on config/end/metadata packets. */
  readonly keyframe: boolean;
  /** The exact FLV tag body (starting with the FrameType/CodecID byte). */
  readonly body: Buffer;
  /** The codec payload: a subarray of `body` after the FLV video header (and composition time, if any). */
  readonly payload: Buffer;
}

export interface AudioMessage {
  readonly kind: 'audio';
  readonly codec: AudioCodec;
  /** Enhanced RTMP FourCC (`Opus`, `ac-3`, `ec-3`, `mp4a`, `fLaC`, `.mp3`) when the tag used the extended header. */
  readonly fourcc: string | undefined;
  readonly packet: AudioPacket;
  /** Timestamp in ms, unwrapped past 2^32. Audio has no composition offset: pts === dts. */
  readonly dts: number;
  readonly pts: number;
  /** Legacy FLV SoundRate (5512, 11025, 22050, 44100 Hz), SoundSize (8/16) and SoundType (1/2 channels); undefined for enhanced tags. */
  readonly soundRate: number | undefined;
  readonly soundSize: number | undefined;
  readonly channels: number | undefined;
  /** The exact FLV tag body (starting with the SoundFormat byte). */
  readonly body: Buffer;
  /** The codec payload: raw AAC frame / AudioSpecificConfig / MP3 frame(s) / Opus packet ... (subarray of `body`). */
  readonly payload: Buffer;
}

export interface DataMessage {
  readonly kind: 'data';
  /** Timestamp in ms, unwrapped. */
  readonly dts: number;
  readonly pts: number;
  /** The handler name: `onMetaData`, `onTextData`, `onCuePoint`, or anything a publisher sends. `@setDataFrame` is stripped. */
  readonly name: string;
  /** The decoded AMF values after the name. */
  readonly args: readonly unknown[];
  /** The AMF0-encoded script data (name + args) exactly as an FLV script tag body carries it. */
  readonly body: Buffer;
}

/** One FLV tag's worth of media: what the bus carries. */
export type MediaMessage = VideoMessage | AudioMessage | DataMessage;

/** True for a video message a decoder can start on (an IDR / key frame, not a config or end packet). */
export function isVideoKeyframe(m: MediaMessage): m is VideoMessage {
  return m.kind === 'video' && m.packet === 'frame' && m.keyframe;
}

/** True for a decoder configuration message (video or audio sequence header). */
export function isSequenceHeader(m: MediaMessage): m is VideoMessage | AudioMessage {
  return (m.kind === 'video' || m.kind === 'audio') && m.packet === 'config';
}
