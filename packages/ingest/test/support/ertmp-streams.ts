/**
 * Encodes 2 s of test video with ffmpeg and turns it into the Enhanced RTMP video tags a publisher
 * sends (E-RTMP v1 ExVideoTagHeader): SequenceStart with the decoder configuration record, then one
 * coded frame per access unit / temporal unit at 25 fps timestamps. Test tooling (needs ffmpeg).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VideoFrameType, VideoPacketType, buildEnhancedVideoTag } from '../../src/index.js';
import { ObuType, buildAv1C, isKeyTemporalUnit, parseObus, parseSequenceHeader, temporalUnits } from './av1.js';
import { HevcNal, buildHvcC, hevcAccessUnits, hevcNalType, isIrap, lengthPrefixed, splitAnnexB } from './hevc.js';

/** Frame duration at 25 fps (ms). */
export const FRAME_MS = 40;
const SOURCE = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '2'];

/** One video tag body as published, with its timestamp. */
export interface PublishedFrame {
  body: Buffer;
  timestamp: number;
  keyframe: boolean;
}

/** A whole published stream: the SequenceStart tag body (whose payload is `record`), then the frames. */
export interface EnhancedStream {
  codec: 'hevc' | 'av1';
  fourcc: 'hvc1' | 'av01';
  /** The decoder configuration record (HEVCDecoderConfigurationRecord / AV1CodecConfigurationRecord). */
  record: Buffer;
  /** The SequenceStart tag body. */
  config: Buffer;
  frames: PublishedFrame[];
}

function ffmpeg(dir: string, args: string[], out: string): Buffer {
  const file = join(dir, out);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...SOURCE, ...args, file], { stdio: 'ignore', timeout: 60_000 });
  return readFileSync(file);
}

function sequenceStart(fourcc: string, record: Buffer): Buffer {
  return buildEnhancedVideoTag({ fourcc, packetType: VideoPacketType.SequenceStart, frameType: VideoFrameType.Key, payload: record });
}

/**
 * HEVC (libx265, keyint 25, no B-frames): access units become `hvc1` tags. IRAP pictures go as
 * CodedFrames with an explicit zero CompositionTime, the rest as CodedFramesX (implied zero), so
 * both packet types cross the relay. Parameter sets live in the record; AUDs are dropped.
 */
export function encodeHevc(dir: string): EnhancedStream {
  const stream = ffmpeg(dir, ['-c:v', 'libx265', '-pix_fmt', 'yuv420p', '-x265-params', 'keyint=25:bframes=0:log-level=error', '-f', 'hevc'], 'out.hevc');
  const nals = splitAnnexB(stream);
  const ofType = (t: number) => nals.filter((n) => hevcNalType(n) === t).slice(0, 1);
  const record = buildHvcC(ofType(HevcNal.VPS), ofType(HevcNal.SPS), ofType(HevcNal.PPS));
  const outOfBand = new Set<number>([HevcNal.VPS, HevcNal.SPS, HevcNal.PPS, HevcNal.AUD]);
  const frames = hevcAccessUnits(nals).map((au, i): PublishedFrame => {
    const keyframe = au.some(isIrap);
    const payload = lengthPrefixed(au.filter((n) => !outOfBand.has(hevcNalType(n))));
    const body = buildEnhancedVideoTag({
      fourcc: 'hvc1',
      packetType: keyframe ? VideoPacketType.CodedFrames : VideoPacketType.CodedFramesX,
      frameType: keyframe ? VideoFrameType.Key : VideoFrameType.Inter,
      cts: 0,
      payload,
    });
    return { body, timestamp: i * FRAME_MS, keyframe };
  });
  return { codec: 'hevc', fourcc: 'hvc1', record, config: sequenceStart('hvc1', record), frames };
}

/**
 * AV1 (libsvtav1, GOP 25, Low Overhead Bitstream Format): temporal units become `av01` CodedFrames
 * tags without their temporal delimiters (AV1-ISOBMFF 2.4: samples carry none); a temporal unit
 * that shows a key frame is a keyframe.
 */
export function encodeAv1(dir: string): EnhancedStream {
  const stream = ffmpeg(dir, ['-c:v', 'libsvtav1', '-g', '25', '-f', 'obu'], 'out.obu');
  const obus = parseObus(stream);
  const seq = obus.find((o) => o.type === ObuType.SEQUENCE_HEADER);
  if (!seq) throw new Error('AV1 stream without a sequence header OBU');
  const reduced = parseSequenceHeader(seq.payload).reducedStillPictureHeader;
  const record = buildAv1C(seq);
  const frames = temporalUnits(obus).map((tu, i): PublishedFrame => {
    const keyframe = isKeyTemporalUnit(tu, reduced);
    const payload = Buffer.concat(tu.filter((o) => o.type !== ObuType.TEMPORAL_DELIMITER).map((o) => o.bytes));
    const body = buildEnhancedVideoTag({
      fourcc: 'av01',
      packetType: VideoPacketType.CodedFrames,
      frameType: keyframe ? VideoFrameType.Key : VideoFrameType.Inter,
      payload,
    });
    return { body, timestamp: i * FRAME_MS, keyframe };
  });
  return { codec: 'av1', fourcc: 'av01', record, config: sequenceStart('av01', record), frames };
}
