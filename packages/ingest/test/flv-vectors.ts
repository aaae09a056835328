/**
 * Golden FLV tag bodies: one table drives decode (flv-video-tag / flv-audio-tag tests), encode (the
 * `build` spec must produce exactly `bytes`) and the fuzz seeds (flv-fuzz test). Every byte is commented.
 */
import type { AudioMessage, VideoMessage } from '../src/index.js';
import type { AudioTagSpec, VideoTagSpec } from '../src/flv/index.js';

/** Hex pieces (whitespace ignored) → Buffer. */
export function hex(...parts: string[]): Buffer {
  return Buffer.from(parts.join('').replace(/\s+/g, ''), 'hex');
}

/** A FourCC as hex. */
export function cc(fourcc: string): string {
  return Buffer.from(fourcc, 'latin1').toString('hex');
}

export const DTS = 1000;

type VideoFields = Pick<VideoMessage, 'codec' | 'fourcc' | 'packet' | 'pts' | 'keyframe'>;
type AudioFields = Pick<AudioMessage, 'codec' | 'fourcc' | 'packet' | 'soundRate' | 'soundSize' | 'channels'>;

export interface VideoVector {
  readonly name: string;
  readonly bytes: Buffer;
  readonly expected: VideoFields & { readonly payload: string };
  readonly build?: VideoTagSpec;
}

export interface AudioVector {
  readonly name: string;
  readonly bytes: Buffer;
  readonly expected: AudioFields & { readonly payload: string };
  readonly build?: AudioTagSpec;
}

export interface TruncatedVector {
  readonly name: string;
  readonly bytes: Buffer;
}

const legacy = { fourcc: undefined } as const;
const noSound = { soundRate: undefined, soundSize: undefined, channels: undefined } as const;

export const VIDEO_VECTORS: readonly VideoVector[] = [
  {
    name: 'legacy AVC sequence header',
    bytes: hex(
      '17', //       FrameType 1 key | CodecID 7 AVC
      '00', //       AVCPacketType 0 sequence header
      '00 00 00', // CompositionTime 0
      '01 64 00 1f ff', // AVCDecoderConfigurationRecord (start)
    ),
    expected: { codec: 'avc', ...legacy, packet: 'config', pts: DTS, keyframe: false, payload: '0164001fff' },
    build: { format: 'legacy-avc', frameType: 1, packetType: 0, payload: hex('0164001fff') },
  },
  {
    name: 'legacy AVC keyframe, cts +40',
    bytes: hex(
      '17', //       FrameType 1 key | CodecID 7 AVC
      '01', //       AVCPacketType 1 NALU
      '00 00 28', // CompositionTime +40
      '00 00 00 02 65 88', // NALU length 2, IDR slice
    ),
    expected: { codec: 'avc', ...legacy, packet: 'frame', pts: DTS + 40, keyframe: true, payload: '000000026588' },
    build: { format: 'legacy-avc', frameType: 1, packetType: 1, cts: 40, payload: hex('000000026588') },
  },
  {
    name: 'legacy AVC inter frame, negative cts -33 (Ecamm)',
    bytes: hex(
      '27', //       FrameType 2 inter | CodecID 7 AVC
      '01', //       AVCPacketType 1 NALU
      'ff ff df', // CompositionTime -33 (SI24)
      '00 00 00 02 41 9a', // NALU length 2, non-IDR slice
    ),
    expected: { codec: 'avc', ...legacy, packet: 'frame', pts: DTS - 33, keyframe: false, payload: '00000002419a' },
    build: { format: 'legacy-avc', frameType: 2, packetType: 1, cts: -33, payload: hex('00000002419a') },
  },
  {
    name: 'legacy AVC most negative cts -2^23',
    bytes: hex(
      '27', //       FrameType 2 inter | CodecID 7 AVC
      '01', //       AVCPacketType 1 NALU
      '80 00 00', // CompositionTime -8388608
    ),
    expected: { codec: 'avc', ...legacy, packet: 'frame', pts: DTS - 0x800000, keyframe: false, payload: '' },
    build: { format: 'legacy-avc', frameType: 2, packetType: 1, cts: -0x800000, payload: hex('') },
  },
  {
    name: 'legacy AVC end of sequence',
    bytes: hex(
      '17', //       FrameType 1 key | CodecID 7 AVC
      '02', //       AVCPacketType 2 end of sequence
      '00 00 00', // CompositionTime 0
    ),
    expected: { codec: 'avc', ...legacy, packet: 'end', pts: DTS, keyframe: false, payload: '' },
    build: { format: 'legacy-avc', frameType: 1, packetType: 2, payload: hex('') },
  },
  {
    name: 'legacy AVC unknown AVCPacketType 3',
    bytes: hex(
      '27', //       FrameType 2 inter | CodecID 7 AVC
      '03', //       AVCPacketType 3 (undefined)
      '00 00 00', // CompositionTime 0
      'aa', //       data
    ),
    expected: { codec: 'avc', ...legacy, packet: 'other', pts: DTS, keyframe: false, payload: 'aa' },
    build: { format: 'legacy-avc', frameType: 2, packetType: 3, payload: hex('aa') },
  },
  {
    name: 'HEVC as legacy codec id 12 (Chinese CDN), keyframe cts +80',
    bytes: hex(
      '1c', //       FrameType 1 key | CodecID 12 (HEVC by convention)
      '01', //       AVCPacketType 1 NALU
      '00 00 50', // CompositionTime +80
      '00 00 00 03 26 01 af', // NALU length 3, IDR_W_RADL
    ),
    expected: { codec: 'hevc', ...legacy, packet: 'frame', pts: DTS + 80, keyframe: true, payload: '000000032601af' },
    build: { format: 'legacy-avc', codecId: 12, frameType: 1, packetType: 1, cts: 80, payload: hex('000000032601af') },
  },
  {
    name: 'HEVC as legacy codec id 12, sequence header',
    bytes: hex(
      '1c', //       FrameType 1 key | CodecID 12
      '00', //       AVCPacketType 0 sequence header
      '00 00 00', // CompositionTime 0
      '01 01 60', // HEVCDecoderConfigurationRecord (start)
    ),
    expected: { codec: 'hevc', ...legacy, packet: 'config', pts: DTS, keyframe: false, payload: '010160' },
    build: { format: 'legacy-avc', codecId: 12, frameType: 1, packetType: 0, payload: hex('010160') },
  },
  {
    name: 'legacy command frame (FrameType 5) on AVC',
    bytes: hex(
      '57', // FrameType 5 video info/command | CodecID 7 AVC
      '00', // VideoCommand 0 start of client-side seeking
    ),
    expected: { codec: 'avc', ...legacy, packet: 'other', pts: DTS, keyframe: false, payload: '00' },
    build: { format: 'legacy', frameType: 5, codecId: 7, payload: hex('00') },
  },
  {
    name: 'legacy Sorenson H.263 keyframe',
    bytes: hex(
      '12', //    FrameType 1 key | CodecID 2 H.263
      '00 00 84', // H.263 picture start
    ),
    expected: { codec: 'h263', ...legacy, packet: 'frame', pts: DTS, keyframe: true, payload: '000084' },
    build: { format: 'legacy', frameType: 1, codecId: 2, payload: hex('000084') },
  },
  {
    name: 'legacy H.263 disposable inter frame',
    bytes: hex(
      '32', //    FrameType 3 disposable inter | CodecID 2 H.263
      '00 00 86', // H.263 picture start
    ),
    expected: { codec: 'h263', ...legacy, packet: 'frame', pts: DTS, keyframe: false, payload: '000086' },
    build: { format: 'legacy', frameType: 3, codecId: 2, payload: hex('000086') },
  },
  {
    name: 'legacy H.263 generated keyframe (FrameType 4)',
    bytes: hex(
      '42', // FrameType 4 generated key | CodecID 2 H.263
      '00', // data
    ),
    expected: { codec: 'h263', ...legacy, packet: 'frame', pts: DTS, keyframe: true, payload: '00' },
    build: { format: 'legacy', frameType: 4, codecId: 2, payload: hex('00') },
  },
  {
    name: 'legacy screen video',
    bytes: hex(
      '13', // FrameType 1 key | CodecID 3 screen video
      'ab', // data
    ),
    expected: { codec: 'screen', ...legacy, packet: 'frame', pts: DTS, keyframe: true, payload: 'ab' },
    build: { format: 'legacy', frameType: 1, codecId: 3, payload: hex('ab') },
  },
  {
    name: 'legacy screen video v2',
    bytes: hex(
      '26', // FrameType 2 inter | CodecID 6 screen video v2
      'cd', // data
    ),
    expected: { codec: 'screen', ...legacy, packet: 'frame', pts: DTS, keyframe: false, payload: 'cd' },
    build: { format: 'legacy', frameType: 2, codecId: 6, payload: hex('cd') },
  },
  {
    name: 'legacy VP6 inter frame',
    bytes: hex(
      '24', // FrameType 2 inter | CodecID 4 On2 VP6
      '00', // VP6FLVVIDEOPACKET HorizontalAdjustment | VerticalAdjustment
      '36', // VP6 data
    ),
    expected: { codec: 'vp6', ...legacy, packet: 'frame', pts: DTS, keyframe: false, payload: '0036' },
    build: { format: 'legacy', frameType: 2, codecId: 4, payload: hex('0036') },
  },
  {
    name: 'legacy VP6 with alpha keyframe',
    bytes: hex(
      '15', //       FrameType 1 key | CodecID 5 On2 VP6 with alpha
      '00 00 01', // OffsetToAlpha
      '00 00', //    data
    ),
    expected: { codec: 'vp6', ...legacy, packet: 'frame', pts: DTS, keyframe: true, payload: '0000010000' },
    build: { format: 'legacy', frameType: 1, codecId: 5, payload: hex('0000010000') },
  },
  {
    name: 'legacy unknown codec id 9',
    bytes: hex(
      '19', // FrameType 1 key | CodecID 9 (reserved)
      'aa', // data
    ),
    expected: { codec: 'unknown', ...legacy, packet: 'other', pts: DTS, keyframe: false, payload: 'aa' },
    build: { format: 'legacy', frameType: 1, codecId: 9, payload: hex('aa') },
  },
  {
    name: 'enhanced hvc1 SequenceStart',
    bytes: hex(
      '90', //          IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 0 SequenceStart
      cc('hvc1'), //    FourCC 'hvc1'
      '01 01 60 00', // HEVCDecoderConfigurationRecord (start)
    ),
    expected: { codec: 'hevc', fourcc: 'hvc1', packet: 'config', pts: DTS, keyframe: false, payload: '01016000' },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 1, packetType: 0, payload: hex('01016000') },
  },
  {
    name: 'enhanced hvc1 CodedFrames keyframe, cts +33',
    bytes: hex(
      '91', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 1 CodedFrames
      cc('hvc1'), // FourCC 'hvc1'
      '00 00 21', // CompositionTime +33 (SI24)
      '00 00 00 02 26 01', // NALU length 2, IDR_W_RADL
    ),
    expected: { codec: 'hevc', fourcc: 'hvc1', packet: 'frame', pts: DTS + 33, keyframe: true, payload: '000000022601' },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 1, packetType: 1, cts: 33, payload: hex('000000022601') },
  },
  {
    name: 'enhanced hvc1 CodedFrames inter, cts -16',
    bytes: hex(
      'a1', //       IsExVideoHeader 1 | FrameType 2 inter | VideoPacketType 1 CodedFrames
      cc('hvc1'), // FourCC 'hvc1'
      'ff ff f0', // CompositionTime -16 (SI24)
      '00 00 00 02 02 01', // NALU length 2, TRAIL_R
    ),
    expected: { codec: 'hevc', fourcc: 'hvc1', packet: 'frame', pts: DTS - 16, keyframe: false, payload: '000000020201' },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 2, packetType: 1, cts: -16, payload: hex('000000020201') },
  },
  {
    name: 'enhanced hvc1 CodedFramesX (cts implied 0)',
    bytes: hex(
      'a3', //       IsExVideoHeader 1 | FrameType 2 inter | VideoPacketType 3 CodedFramesX
      cc('hvc1'), // FourCC 'hvc1'
      '00 00 00 02 02 01', // NALU length 2, TRAIL_R (no CompositionTime)
    ),
    expected: { codec: 'hevc', fourcc: 'hvc1', packet: 'frame', pts: DTS, keyframe: false, payload: '000000020201' },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 2, packetType: 3, payload: hex('000000020201') },
  },
  {
    name: 'enhanced avc1 CodedFrames keyframe, cts +40',
    bytes: hex(
      '91', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 1 CodedFrames
      cc('avc1'), // FourCC 'avc1'
      '00 00 28', // CompositionTime +40
      '00 00 00 01 65', // NALU length 1, IDR
    ),
    expected: { codec: 'avc', fourcc: 'avc1', packet: 'frame', pts: DTS + 40, keyframe: true, payload: '0000000165' },
    build: { format: 'enhanced', fourcc: 'avc1', frameType: 1, packetType: 1, cts: 40, payload: hex('0000000165') },
  },
  {
    name: 'enhanced hvc1 SequenceEnd',
    bytes: hex(
      '92', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 2 SequenceEnd
      cc('hvc1'), // FourCC 'hvc1'
    ),
    expected: { codec: 'hevc', fourcc: 'hvc1', packet: 'end', pts: DTS, keyframe: false, payload: '' },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 1, packetType: 2, payload: hex('') },
  },
  {
    name: 'enhanced av01 SequenceStart',
    bytes: hex(
      '90', //          IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 0 SequenceStart
      cc('av01'), //    FourCC 'av01'
      '81 00 0c 00', // AV1CodecConfigurationRecord: marker|version 1, profile 0 level 0, flags, delay
    ),
    expected: { codec: 'av1', fourcc: 'av01', packet: 'config', pts: DTS, keyframe: false, payload: '81000c00' },
    build: { format: 'enhanced', fourcc: 'av01', frameType: 1, packetType: 0, payload: hex('81000c00') },
  },
  {
    name: 'enhanced av01 CodedFrames has no CompositionTime',
    bytes: hex(
      '91', //          IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 1 CodedFrames
      cc('av01'), //    FourCC 'av01'
      '12 00 0a 0b', // OBU temporal delimiter, then sequence header OBU start
    ),
    expected: { codec: 'av1', fourcc: 'av01', packet: 'frame', pts: DTS, keyframe: true, payload: '12000a0b' },
    build: { format: 'enhanced', fourcc: 'av01', frameType: 1, packetType: 1, payload: hex('12000a0b') },
  },
  {
    name: 'enhanced av01 MPEG2TSSequenceStart is relayed as other',
    bytes: hex(
      '95', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 5 MPEG2TSSequenceStart
      cc('av01'), // FourCC 'av01'
      '80 04 81 00 0c 00', // AV1 video descriptor: tag 0x80, length 4, fields
    ),
    expected: { codec: 'av1', fourcc: 'av01', packet: 'other', pts: DTS, keyframe: false, payload: '800481000c00' },
    build: { format: 'enhanced', fourcc: 'av01', frameType: 1, packetType: 5, payload: hex('800481000c00') },
  },
  {
    name: 'enhanced vp09 SequenceStart',
    bytes: hex(
      '90', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 0 SequenceStart
      cc('vp09'), // FourCC 'vp09'
      '00 1f 80 02', // VPCodecConfigurationRecord (start)
    ),
    expected: { codec: 'vp9', fourcc: 'vp09', packet: 'config', pts: DTS, keyframe: false, payload: '001f8002' },
    build: { format: 'enhanced', fourcc: 'vp09', frameType: 1, packetType: 0, payload: hex('001f8002') },
  },
  {
    name: 'enhanced vp09 CodedFrames inter',
    bytes: hex(
      'a1', //       IsExVideoHeader 1 | FrameType 2 inter | VideoPacketType 1 CodedFrames
      cc('vp09'), // FourCC 'vp09'
      '86 00 40', // VP9 frame (no CompositionTime for vp09)
    ),
    expected: { codec: 'vp9', fourcc: 'vp09', packet: 'frame', pts: DTS, keyframe: false, payload: '860040' },
    build: { format: 'enhanced', fourcc: 'vp09', frameType: 2, packetType: 1, payload: hex('860040') },
  },
  {
    name: 'enhanced vp08 CodedFrames keyframe',
    bytes: hex(
      '91', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 1 CodedFrames
      cc('vp08'), // FourCC 'vp08'
      '50 42 00 9d 01 2a', // VP8 key frame start code
    ),
    expected: { codec: 'vp8', fourcc: 'vp08', packet: 'frame', pts: DTS, keyframe: true, payload: '5042009d012a' },
    build: { format: 'enhanced', fourcc: 'vp08', frameType: 1, packetType: 1, payload: hex('5042009d012a') },
  },
  {
    name: 'enhanced ModEx TimestampOffsetNano then hvc1 CodedFrames',
    bytes: hex(
      '97', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 7 ModEx
      '02', //       ModEx data size - 1 = 2 (3 bytes)
      '00 03 e8', // TimestampOffsetNano 1000 ns
      '01', //       ModExType 0 TimestampOffsetNano | VideoPacketType 1 CodedFrames
      cc('hvc1'), // FourCC 'hvc1'
      '00 00 0a', // CompositionTime +10
      '00 00 00 01 26', // NALU
    ),
    expected: { codec: 'hevc', fourcc: 'hvc1', packet: 'frame', pts: DTS + 10, keyframe: true, payload: '0000000126' },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 1, packetType: 1, cts: 10, timestampOffsetNano: 1000, payload: hex('0000000126') },
  },
  {
    name: 'enhanced ModEx with 16-bit data size, then avc1 CodedFramesX',
    bytes: hex(
      'a7', //       IsExVideoHeader 1 | FrameType 2 inter | VideoPacketType 7 ModEx
      'ff', //       ModEx data size - 1 = 255 → read UI16
      '00 02', //    ModEx data size - 1 = 2 (3 bytes)
      '00 00 05', // TimestampOffsetNano 5 ns
      '03', //       ModExType 0 | VideoPacketType 3 CodedFramesX
      cc('avc1'), // FourCC 'avc1'
      '00 00 00 01 41', // NALU
    ),
    expected: { codec: 'avc', fourcc: 'avc1', packet: 'frame', pts: DTS, keyframe: false, payload: '0000000141' },
  },
  {
    name: 'enhanced Metadata (colorInfo), FrameType ignored',
    bytes: hex(
      '94', //       IsExVideoHeader 1 | FrameType 1 (ignored) | VideoPacketType 4 Metadata
      cc('hvc1'), // FourCC 'hvc1'
      '02 00 09', cc('colorInfo'), // AMF0 string "colorInfo"
      '03 00 00 09', // AMF0 empty object
    ),
    expected: {
      codec: 'hevc',
      fourcc: 'hvc1',
      packet: 'metadata',
      pts: DTS,
      keyframe: false,
      payload: '020009' + cc('colorInfo') + '03000009',
    },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 1, packetType: 4, payload: hex('020009', cc('colorInfo'), '03000009') },
  },
  {
    name: 'enhanced Metadata with FrameType Command still reads the FourCC',
    bytes: hex(
      'd4', //       IsExVideoHeader 1 | FrameType 5 command (ignored for Metadata) | VideoPacketType 4 Metadata
      cc('av01'), // FourCC 'av01'
      '05', //       AMF0 null
    ),
    expected: { codec: 'av1', fourcc: 'av01', packet: 'metadata', pts: DTS, keyframe: false, payload: '05' },
    build: { format: 'enhanced', fourcc: 'av01', frameType: 5, packetType: 4, payload: hex('05') },
  },
  {
    name: 'enhanced command frame has no FourCC',
    bytes: hex(
      'd0', // IsExVideoHeader 1 | FrameType 5 command | VideoPacketType 0 (ignored)
      '01', // VideoCommand 1 end of client-side seeking
    ),
    expected: { codec: 'unknown', fourcc: undefined, packet: 'other', pts: DTS, keyframe: false, payload: '01' },
    build: { format: 'enhanced', fourcc: 'avc1', frameType: 5, packetType: 0, payload: hex('01') },
  },
  {
    name: 'enhanced Multitrack OneTrack track 0 is unwrapped',
    bytes: hex(
      '96', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 6 Multitrack
      '01', //       AvMultitrackType 0 OneTrack | VideoPacketType 1 CodedFrames
      cc('hvc1'), // FourCC 'hvc1'
      '00', //       TrackId 0
      '00 00 05', // CompositionTime +5
      '00 00 00 01 26', // NALU
    ),
    expected: { codec: 'hevc', fourcc: 'hvc1', packet: 'frame', pts: DTS + 5, keyframe: true, payload: '0000000126' },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 1, packetType: 1, cts: 5, trackId: 0, payload: hex('0000000126') },
  },
  {
    name: 'enhanced Multitrack OneTrack track 1 is other',
    bytes: hex(
      '96', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 6 Multitrack
      '01', //       AvMultitrackType 0 OneTrack | VideoPacketType 1 CodedFrames
      cc('hvc1'), // FourCC 'hvc1'
      '01', //       TrackId 1
      '00 00 05', // CompositionTime +5 (not parsed)
    ),
    expected: { codec: 'hevc', fourcc: 'hvc1', packet: 'other', pts: DTS, keyframe: false, payload: '000005' },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 1, packetType: 1, cts: 5, trackId: 1, payload: hex('') },
  },
  {
    name: 'enhanced Multitrack ManyTracks is other with the shared FourCC',
    bytes: hex(
      '96', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 6 Multitrack
      '11', //       AvMultitrackType 1 ManyTracks | VideoPacketType 1 CodedFrames
      cc('avc1'), // FourCC 'avc1' (all tracks)
      '00', //       TrackId 0
      '00 00 04', // sizeOfVideoTrack 4
      '00 00 00 00', // track 0 data
    ),
    expected: { codec: 'avc', fourcc: 'avc1', packet: 'other', pts: DTS, keyframe: false, payload: '0000000400000000' },
  },
  {
    name: 'enhanced Multitrack ManyTracksManyCodecs is other without a codec',
    bytes: hex(
      '96', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 6 Multitrack
      '21', //       AvMultitrackType 2 ManyTracksManyCodecs | VideoPacketType 1 CodedFrames
      cc('avc1'), // track 0 FourCC 'avc1'
      '00', //       TrackId 0
      '00 00 00', // sizeOfVideoTrack 0
    ),
    expected: { codec: 'unknown', fourcc: undefined, packet: 'other', pts: DTS, keyframe: false, payload: cc('avc1') + '00000000' },
  },
  {
    name: 'enhanced unknown FourCC is relayed',
    bytes: hex(
      '91', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 1 CodedFrames
      cc('xyz1'), // FourCC 'xyz1' (unknown)
      '01 02', //    data
    ),
    expected: { codec: 'unknown', fourcc: 'xyz1', packet: 'other', pts: DTS, keyframe: false, payload: '0102' },
    build: { format: 'enhanced', fourcc: 'xyz1', frameType: 1, packetType: 1, payload: hex('0102') },
  },
  {
    name: 'enhanced reserved VideoPacketType 8 is relayed',
    bytes: hex(
      '98', //       IsExVideoHeader 1 | FrameType 1 key | VideoPacketType 8 (reserved)
      cc('hvc1'), // FourCC 'hvc1'
      'ee', //       data
    ),
    expected: { codec: 'hevc', fourcc: 'hvc1', packet: 'other', pts: DTS, keyframe: false, payload: 'ee' },
    build: { format: 'enhanced', fourcc: 'hvc1', frameType: 1, packetType: 8, payload: hex('ee') },
  },
];

export const VIDEO_TRUNCATED: readonly TruncatedVector[] = [
  { name: 'empty body', bytes: hex('') },
  { name: 'legacy AVC without CompositionTime', bytes: hex('17', '01', '00 00') },
  { name: 'legacy HEVC id 12 without AVCPacketType', bytes: hex('1c') },
  { name: 'legacy command frame without VideoCommand', bytes: hex('57') },
  { name: 'enhanced FourCC cut short', bytes: hex('91', cc('hv')) },
  { name: 'enhanced hvc1 CodedFrames without CompositionTime', bytes: hex('91', cc('hvc1'), '00 00') },
  { name: 'enhanced ModEx without size', bytes: hex('97') },
  { name: 'enhanced ModEx data cut short', bytes: hex('97', '02', '00 03') },
  { name: 'enhanced ModEx without next packet type', bytes: hex('97', '02', '00 03 e8') },
  { name: 'enhanced ModEx 16-bit size cut short', bytes: hex('97', 'ff', '00') },
  { name: 'enhanced Multitrack without AvMultitrackType', bytes: hex('96') },
  { name: 'enhanced Multitrack OneTrack without TrackId', bytes: hex('96', '01', cc('hvc1')) },
  { name: 'enhanced command frame without VideoCommand', bytes: hex('d0') },
];

export const AUDIO_VECTORS: readonly AudioVector[] = [
  {
    name: 'legacy AAC sequence header (AudioSpecificConfig)',
    bytes: hex(
      'af', //    SoundFormat 10 AAC | SoundRate 3 44 kHz | SoundSize 1 16-bit | SoundType 1 stereo
      '00', //    AACPacketType 0 sequence header
      '12 10', // AudioSpecificConfig: AAC LC, 44.1 kHz, 2 channels
    ),
    expected: { codec: 'aac', fourcc: undefined, packet: 'config', soundRate: 44100, soundSize: 16, channels: 2, payload: '1210' },
    build: { format: 'aac', packetType: 0, payload: hex('1210') },
  },
  {
    name: 'legacy AAC raw frame',
    bytes: hex(
      'af', //       SoundFormat 10 AAC | 44 kHz | 16-bit | stereo
      '01', //       AACPacketType 1 raw
      '21 10 04', // raw AAC frame
    ),
    expected: { codec: 'aac', fourcc: undefined, packet: 'frame', soundRate: 44100, soundSize: 16, channels: 2, payload: '211004' },
    build: { format: 'aac', packetType: 1, payload: hex('211004') },
  },
  {
    name: 'legacy AAC mono 22 kHz flags',
    bytes: hex(
      'aa', // SoundFormat 10 AAC | SoundRate 2 22 kHz | SoundSize 1 16-bit | SoundType 0 mono
      '01', // AACPacketType 1 raw
      '00', // raw AAC frame
    ),
    expected: { codec: 'aac', fourcc: undefined, packet: 'frame', soundRate: 22050, soundSize: 16, channels: 1, payload: '00' },
    build: { format: 'aac', packetType: 1, soundRate: 22050, channels: 1, payload: hex('00') },
  },
  {
    name: 'legacy AAC unknown AACPacketType 2',
    bytes: hex(
      'af', // SoundFormat 10 AAC | 44 kHz | 16-bit | stereo
      '02', // AACPacketType 2 (undefined)
    ),
    expected: { codec: 'aac', fourcc: undefined, packet: 'other', soundRate: 44100, soundSize: 16, channels: 2, payload: '' },
    build: { format: 'aac', packetType: 2, payload: hex('') },
  },
  {
    name: 'legacy MP3',
    bytes: hex(
      '2f', //          SoundFormat 2 MP3 | 44 kHz | 16-bit | stereo
      'ff fb 90 64', // MPEG-1 Layer III frame header
    ),
    expected: { codec: 'mp3', fourcc: undefined, packet: 'frame', soundRate: 44100, soundSize: 16, channels: 2, payload: 'fffb9064' },
    build: { format: 'legacy', soundFormat: 2, payload: hex('fffb9064') },
  },
  {
    name: 'legacy MP3 8 kHz (SoundFormat 14)',
    bytes: hex(
      'e2', //    SoundFormat 14 MP3 8 kHz | SoundRate 0 | 16-bit | mono
      'ff f3', // MPEG-2.5 frame header start
    ),
    expected: { codec: 'mp3', fourcc: undefined, packet: 'frame', soundRate: 5512, soundSize: 16, channels: 1, payload: 'fff3' },
    build: { format: 'legacy', soundFormat: 14, soundRate: 5512, channels: 1, payload: hex('fff3') },
  },
  {
    name: 'legacy linear PCM little endian',
    bytes: hex(
      '3e', //    SoundFormat 3 LPCM LE | 44 kHz | 16-bit | mono
      '01 00', // one sample
    ),
    expected: { codec: 'pcm', fourcc: undefined, packet: 'frame', soundRate: 44100, soundSize: 16, channels: 1, payload: '0100' },
    build: { format: 'legacy', soundFormat: 3, channels: 1, payload: hex('0100') },
  },
  {
    name: 'legacy linear PCM platform endian, 8-bit 11 kHz',
    bytes: hex(
      '04', // SoundFormat 0 LPCM | SoundRate 1 11 kHz | 8-bit | mono
      '80', // one sample
    ),
    expected: { codec: 'pcm', fourcc: undefined, packet: 'frame', soundRate: 11025, soundSize: 8, channels: 1, payload: '80' },
    build: { format: 'legacy', soundFormat: 0, soundRate: 11025, soundSize: 8, channels: 1, payload: hex('80') },
  },
  {
    name: 'legacy ADPCM',
    bytes: hex(
      '1e', // SoundFormat 1 ADPCM | 44 kHz | 16-bit | mono
      '00', // data
    ),
    expected: { codec: 'adpcm', fourcc: undefined, packet: 'frame', soundRate: 44100, soundSize: 16, channels: 1, payload: '00' },
    build: { format: 'legacy', soundFormat: 1, channels: 1, payload: hex('00') },
  },
  {
    name: 'legacy Nellymoser 16 kHz mono',
    bytes: hex(
      '42', // SoundFormat 4 Nellymoser 16 kHz mono | SoundRate 0 | 16-bit | mono
      '00', // data
    ),
    expected: { codec: 'nellymoser', fourcc: undefined, packet: 'frame', soundRate: 5512, soundSize: 16, channels: 1, payload: '00' },
    build: { format: 'legacy', soundFormat: 4, soundRate: 5512, channels: 1, payload: hex('00') },
  },
  {
    name: 'legacy Nellymoser',
    bytes: hex(
      '6d', // SoundFormat 6 Nellymoser | 44 kHz | 8-bit | stereo
      '00', // data
    ),
    expected: { codec: 'nellymoser', fourcc: undefined, packet: 'frame', soundRate: 44100, soundSize: 8, channels: 2, payload: '00' },
    build: { format: 'legacy', soundFormat: 6, soundSize: 8, payload: hex('00') },
  },
  {
    name: 'legacy G.711 A-law',
    bytes: hex(
      '72', // SoundFormat 7 G.711 A-law | SoundRate 0 | 16-bit | mono
      'd5', // sample
    ),
    expected: { codec: 'g711a', fourcc: undefined, packet: 'frame', soundRate: 5512, soundSize: 16, channels: 1, payload: 'd5' },
    build: { format: 'legacy', soundFormat: 7, soundRate: 5512, channels: 1, payload: hex('d5') },
  },
  {
    name: 'legacy G.711 mu-law',
    bytes: hex(
      '82', // SoundFormat 8 G.711 mu-law | SoundRate 0 | 16-bit | mono
      'ff', // sample
    ),
    expected: { codec: 'g711u', fourcc: undefined, packet: 'frame', soundRate: 5512, soundSize: 16, channels: 1, payload: 'ff' },
    build: { format: 'legacy', soundFormat: 8, soundRate: 5512, channels: 1, payload: hex('ff') },
  },
  {
    name: 'legacy Speex',
    bytes: hex(
      'b2', // SoundFormat 11 Speex | SoundRate 0 | 16-bit | mono
      '1c', // data
    ),
    expected: { codec: 'speex', fourcc: undefined, packet: 'frame', soundRate: 5512, soundSize: 16, channels: 1, payload: '1c' },
    build: { format: 'legacy', soundFormat: 11, soundRate: 5512, channels: 1, payload: hex('1c') },
  },
  {
    name: 'legacy reserved SoundFormat 12 is relayed',
    bytes: hex(
      'cf', // SoundFormat 12 (reserved) | 44 kHz | 16-bit | stereo
      '00', // data
    ),
    expected: { codec: 'unknown', fourcc: undefined, packet: 'other', soundRate: 44100, soundSize: 16, channels: 2, payload: '00' },
    build: { format: 'legacy', soundFormat: 12, payload: hex('00') },
  },
  {
    name: 'empty body: RTMP audio silence message',
    bytes: hex(''),
    expected: { codec: 'unknown', fourcc: undefined, packet: 'other', ...noSound, payload: '' },
  },
  {
    name: 'enhanced Opus SequenceStart (OpusHead)',
    bytes: hex(
      '90', //       SoundFormat 9 ExHeader | AudioPacketType 0 SequenceStart
      cc('Opus'), // FourCC 'Opus'
      cc('OpusHead'), '01 02', // ID header: magic, version 1, 2 channels
    ),
    expected: { codec: 'opus', fourcc: 'Opus', packet: 'config', ...noSound, payload: cc('OpusHead') + '0102' },
    build: { format: 'enhanced', fourcc: 'Opus', packetType: 0, payload: hex(cc('OpusHead'), '0102') },
  },
  {
    name: 'enhanced Opus CodedFrames',
    bytes: hex(
      '91', //       SoundFormat 9 ExHeader | AudioPacketType 1 CodedFrames
      cc('Opus'), // FourCC 'Opus'
      'fc ff fe', // Opus packet (TOC + data)
    ),
    expected: { codec: 'opus', fourcc: 'Opus', packet: 'frame', ...noSound, payload: 'fcfffe' },
    build: { format: 'enhanced', fourcc: 'Opus', packetType: 1, payload: hex('fcfffe') },
  },
  {
    name: 'enhanced AC-3 CodedFrames',
    bytes: hex(
      '91', //       SoundFormat 9 ExHeader | AudioPacketType 1 CodedFrames
      cc('ac-3'), // FourCC 'ac-3'
      '0b 77 12 34', // AC-3 syncword + CRC
    ),
    expected: { codec: 'ac3', fourcc: 'ac-3', packet: 'frame', ...noSound, payload: '0b771234' },
    build: { format: 'enhanced', fourcc: 'ac-3', packetType: 1, payload: hex('0b771234') },
  },
  {
    name: 'enhanced E-AC-3 SequenceStart',
    bytes: hex(
      '90', //       SoundFormat 9 ExHeader | AudioPacketType 0 SequenceStart
      cc('ec-3'), // FourCC 'ec-3'
      '06 00 20', // dec3 box payload start
    ),
    expected: { codec: 'eac3', fourcc: 'ec-3', packet: 'config', ...noSound, payload: '060020' },
    build: { format: 'enhanced', fourcc: 'ec-3', packetType: 0, payload: hex('060020') },
  },
  {
    name: 'enhanced E-AC-3 CodedFrames',
    bytes: hex(
      '91', //       SoundFormat 9 ExHeader | AudioPacketType 1 CodedFrames
      cc('ec-3'), // FourCC 'ec-3'
      '0b 77', //    E-AC-3 syncword
    ),
    expected: { codec: 'eac3', fourcc: 'ec-3', packet: 'frame', ...noSound, payload: '0b77' },
    build: { format: 'enhanced', fourcc: 'ec-3', packetType: 1, payload: hex('0b77') },
  },
  {
    name: 'enhanced mp4a SequenceStart',
    bytes: hex(
      '90', //       SoundFormat 9 ExHeader | AudioPacketType 0 SequenceStart
      cc('mp4a'), // FourCC 'mp4a'
      '11 90', //    AudioSpecificConfig AAC LC 48 kHz stereo
    ),
    expected: { codec: 'aac', fourcc: 'mp4a', packet: 'config', ...noSound, payload: '1190' },
    build: { format: 'enhanced', fourcc: 'mp4a', packetType: 0, payload: hex('1190') },
  },
  {
    name: 'enhanced fLaC SequenceStart',
    bytes: hex(
      '90', //       SoundFormat 9 ExHeader | AudioPacketType 0 SequenceStart
      cc('fLaC'), // FourCC 'fLaC'
      cc('fLaC'), '00', // FlacSequenceHeader: signature, STREAMINFO block header start
    ),
    expected: { codec: 'flac', fourcc: 'fLaC', packet: 'config', ...noSound, payload: cc('fLaC') + '00' },
    build: { format: 'enhanced', fourcc: 'fLaC', packetType: 0, payload: hex(cc('fLaC'), '00') },
  },
  {
    name: 'enhanced .mp3 CodedFrames',
    bytes: hex(
      '91', //       SoundFormat 9 ExHeader | AudioPacketType 1 CodedFrames
      cc('.mp3'), // FourCC '.mp3'
      'ff fb', //    MP3 frame header start
    ),
    expected: { codec: 'mp3', fourcc: '.mp3', packet: 'frame', ...noSound, payload: 'fffb' },
    build: { format: 'enhanced', fourcc: '.mp3', packetType: 1, payload: hex('fffb') },
  },
  {
    name: 'enhanced Opus SequenceEnd',
    bytes: hex(
      '92', //       SoundFormat 9 ExHeader | AudioPacketType 2 SequenceEnd
      cc('Opus'), // FourCC 'Opus'
    ),
    expected: { codec: 'opus', fourcc: 'Opus', packet: 'end', ...noSound, payload: '' },
    build: { format: 'enhanced', fourcc: 'Opus', packetType: 2, payload: hex('') },
  },
  {
    name: 'enhanced MultichannelConfig is other',
    bytes: hex(
      '94', //       SoundFormat 9 ExHeader | AudioPacketType 4 MultichannelConfig
      cc('Opus'), // FourCC 'Opus'
      '01', //       AudioChannelOrder 1 Native
      '02', //       channelCount 2
      '00 00 00 03', // audioChannelFlags FrontLeft | FrontRight
    ),
    expected: { codec: 'opus', fourcc: 'Opus', packet: 'other', ...noSound, payload: '010200000003' },
    build: { format: 'enhanced', fourcc: 'Opus', packetType: 4, payload: hex('010200000003') },
  },
  {
    name: 'enhanced ModEx TimestampOffsetNano then Opus CodedFrames',
    bytes: hex(
      '97', //       SoundFormat 9 ExHeader | AudioPacketType 7 ModEx
      '02', //       ModEx data size - 1 = 2 (3 bytes)
      '00 01 f4', // TimestampOffsetNano 500 ns
      '01', //       ModExType 0 TimestampOffsetNano | AudioPacketType 1 CodedFrames
      cc('Opus'), // FourCC 'Opus'
      'fc', //       Opus packet
    ),
    expected: { codec: 'opus', fourcc: 'Opus', packet: 'frame', ...noSound, payload: 'fc' },
    build: { format: 'enhanced', fourcc: 'Opus', packetType: 1, timestampOffsetNano: 500, payload: hex('fc') },
  },
  {
    name: 'enhanced Multitrack OneTrack track 0 is unwrapped',
    bytes: hex(
      '95', //       SoundFormat 9 ExHeader | AudioPacketType 5 Multitrack
      '01', //       AvMultitrackType 0 OneTrack | AudioPacketType 1 CodedFrames
      cc('Opus'), // FourCC 'Opus'
      '00', //       TrackId 0
      'fc', //       Opus packet
    ),
    expected: { codec: 'opus', fourcc: 'Opus', packet: 'frame', ...noSound, payload: 'fc' },
    build: { format: 'enhanced', fourcc: 'Opus', packetType: 1, trackId: 0, payload: hex('fc') },
  },
  {
    name: 'enhanced Multitrack ManyTracks is other',
    bytes: hex(
      '95', //       SoundFormat 9 ExHeader | AudioPacketType 5 Multitrack
      '11', //       AvMultitrackType 1 ManyTracks | AudioPacketType 1 CodedFrames
      cc('mp4a'), // FourCC 'mp4a' (all tracks)
      '00', //       TrackId 0
      '00 00 01', // sizeOfAudioTrack 1
      '21', //       track 0 data
    ),
    expected: { codec: 'aac', fourcc: 'mp4a', packet: 'other', ...noSound, payload: '0000000121' },
  },
  {
    name: 'enhanced unknown FourCC is relayed',
    bytes: hex(
      '91', //       SoundFormat 9 ExHeader | AudioPacketType 1 CodedFrames
      cc('abcd'), // FourCC 'abcd' (unknown)
      '00', //       data
    ),
    expected: { codec: 'unknown', fourcc: 'abcd', packet: 'other', ...noSound, payload: '00' },
    build: { format: 'enhanced', fourcc: 'abcd', packetType: 1, payload: hex('00') },
  },
  {
    name: 'enhanced reserved AudioPacketType 3 is relayed',
    bytes: hex(
      '93', //       SoundFormat 9 ExHeader | AudioPacketType 3 (reserved)
      cc('Opus'), // FourCC 'Opus'
    ),
    expected: { codec: 'opus', fourcc: 'Opus', packet: 'other', ...noSound, payload: '' },
    build: { format: 'enhanced', fourcc: 'Opus', packetType: 3, payload: hex('') },
  },
];

export const AUDIO_TRUNCATED: readonly TruncatedVector[] = [
  { name: 'legacy AAC without AACPacketType', bytes: hex('af') },
  { name: 'enhanced FourCC cut short', bytes: hex('91', cc('Opu')) },
  { name: 'enhanced ExHeader without FourCC', bytes: hex('90') },
  { name: 'enhanced ModEx data cut short', bytes: hex('97', '02', '00 01') },
  { name: 'enhanced Multitrack without AvMultitrackType', bytes: hex('95') },
  { name: 'enhanced Multitrack OneTrack without TrackId', bytes: hex('95', '01', cc('Opus')) },
];
