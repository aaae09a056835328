import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataMessage, MediaMessage } from '@livegate/ingest';
import { parseAudioTag, parseVideoTag } from '../../ingest/src/flv/index.js';
import { FlvViewerMuxer } from '../src/flv/index.js';
import { describeWithTools } from '../../../test/support/tools.js';
import { isKeyVideoBody, readFlv, scriptName } from './flv-reader.js';

interface ProbeStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  nb_read_frames?: string;
}

function probe(file: string): ProbeStream[] {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(out) as { streams: ProbeStream[] }).streams;
}

function summary(streams: ProbeStream[]) {
  return streams
    .map((s) => ({ type: s.codec_type, codec: s.codec_name, width: s.width, height: s.height, frames: Number(s.nb_read_frames) }))
    .sort((a, b) => a.type.localeCompare(b.type));
}

/** ffmpeg's FLV tags → MediaMessages, as the RTMP side would put them on the bus. */
function toMessages(file: Buffer): MediaMessage[] {
  return readFlv(file).tags.map((t): MediaMessage => {
    if (t.type === 9) return parseVideoTag(t.body, t.timestamp);
    if (t.type === 8) return parseAudioTag(t.body, t.timestamp);
    const data: DataMessage = { kind: 'data', dts: t.timestamp, pts: t.timestamp, name: scriptName(t.body), args: [], body: t.body };
    return data;
  });
}

function remux(messages: MediaMessage[]): Buffer {
  const muxer = new FlvViewerMuxer({ hasAudio: true, hasVideo: true });
  return Buffer.concat([muxer.header(), ...messages.flatMap((m) => muxer.push(m))]);
}

describeWithTools(['ffmpeg', 'ffprobe'], 'FlvViewerMuxer output read by ffprobe', () => {
  let dir = '';
  let source: Buffer;
  let messages: MediaMessage[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'livegate-flv-'));
    // 2 s of 25 fps H.264 with a keyframe every 25 frames (t = 0 s and 1 s) + AAC
    execFileSync(
      'ffmpeg',
      [
        '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine',
        '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', '-bf', '2', '-c:a', 'aac', '-f', 'flv', join(dir, 'source.flv'),
      ],
      { stdio: 'ignore' },
    );
    source = readFileSync(join(dir, 'source.flv'));
    messages = toMessages(source);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('parses ffmpeg tags into the expected messages', () => {
    const video = messages.filter((m) => m.kind === 'video');
    expect(video[0]).toMatchObject({ codec: 'avc', packet: 'config' });
    expect(video.filter((m) => m.packet === 'frame').length).toBe(50);
    expect(video.some((m) => m.pts !== m.dts)).toBe(true); // B-frames give composition offsets
    expect(messages.find((m) => m.kind === 'audio')).toMatchObject({ codec: 'aac', packet: 'config' });
  });

  it('the whole stream remuxed: same codecs, resolution and frame counts', () => {
    const out = join(dir, 'whole.flv');
    writeFileSync(out, remux(messages));
    const expected = summary(probe(join(dir, 'source.flv')));
    expect(expected.find((s) => s.type === 'video')).toMatchObject({ codec: 'h264', width: 320, height: 240, frames: 50 });
    expect(summary(probe(out))).toEqual(expected);
  });

  it('a late joiner (configs + GOP from the second keyframe) starts at 0 with a decodable keyframe', () => {
    const configs = messages.filter((m) => m.kind === 'data' || m.packet === 'config');
    const secondKey = messages.filter((m) => m.kind === 'video' && m.packet === 'frame' && m.keyframe)[1]!;
    const gop = messages.slice(messages.indexOf(secondKey)).filter((m) => m.kind === 'data' || m.packet !== 'config');
    const bytes = remux([...configs, ...gop]);
    const flv = readFlv(bytes);
    const media = flv.tags.filter((t) => t.type !== 18 && !(t.type === 9 ? isKeyVideoBody(t.body).config : t.body[1] === 0));
    expect(media[0]!.timestamp).toBe(0);
    expect(isKeyVideoBody(media.find((t) => t.type === 9)!.body).key).toBe(true);
    const out = join(dir, 'late.flv');
    writeFileSync(out, bytes);
    const streams = summary(probe(out));
    expect(streams.find((s) => s.type === 'video')).toMatchObject({ codec: 'h264', width: 320, height: 240, frames: 25 });
    expect(streams.find((s) => s.type === 'audio')).toMatchObject({ codec: 'aac' });
    expect(streams.find((s) => s.type === 'audio')!.frames).toBeGreaterThan(0);
  });
});
