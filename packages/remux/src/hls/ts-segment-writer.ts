import type { AudioMessage, VideoMessage } from '@livegate/ingest';
import { toAnnexB } from '../codec/annexb.js';
import {
  STREAM_TYPE_AAC_ADTS,
  STREAM_TYPE_H264,
  STREAM_TYPE_HEVC,
  STREAM_TYPE_MPEG1_AUDIO,
  STREAM_TYPE_MPEG2_AUDIO,
} from '../mpegts/constants.js';
import { TsMuxer } from '../mpegts/ts-muxer.js';
import type { SegmentWriter } from './segment-writer.js';
import type { AudioTrack, MediaTracks, VideoTrack } from './tracks.js';

/** MPEG-TS segments (RFC 8216 3.2): H.264/H.265 as Annex B with AUD and in-band parameter sets, AAC as ADTS, MP3 as-is. */
export class TsSegmentWriter implements SegmentWriter {
  readonly extension = 'ts';
  readonly playlistVersion = 3;
  private readonly muxer: TsMuxer;

  constructor(tracks: Readonly<MediaTracks>) {
    const v = tracks.video;
    const a = tracks.audio;
    this.muxer = new TsMuxer({
      video: v === undefined ? undefined : v.codec === 'avc' ? STREAM_TYPE_H264 : STREAM_TYPE_HEVC,
      audio: a === undefined ? undefined : a.codec === 'aac' ? STREAM_TYPE_AAC_ADTS : a.mpeg1 ? STREAM_TYPE_MPEG1_AUDIO : STREAM_TYPE_MPEG2_AUDIO,
    });
  }

  /** TS segments carry PAT/PMT and parameter sets in-band: no EXT-X-MAP. */
  initSection(): undefined {
    return undefined;
  }

  begin(discontinuity: boolean): void {
    this.muxer.beginSegment(discontinuity);
  }

  writeVideo(msg: VideoMessage, track: VideoTrack): void {
    const lengthSize = track.config.lengthSize;
    const au = toAnnexB(msg.payload, { codec: track.codec, lengthSize, keyframe: msg.keyframe, parameterSets: track.parameterSets });
    this.muxer.writeVideo(au, msg.pts, msg.dts, msg.keyframe);
  }

  writeAudio(msg: AudioMessage, track: AudioTrack): void {
    if (msg.payload.length === 0) return;
    if (track.codec === 'aac') this.muxer.writeAac(msg.payload, msg.dts, track.adts);
    else this.muxer.writeMpegAudio(msg.payload, msg.dts);
  }

  get pendingBytes(): number {
    return this.muxer.pendingBytes;
  }

  finish(): Buffer {
    return this.muxer.endSegment();
  }
}
