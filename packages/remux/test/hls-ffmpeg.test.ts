import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MediaMessage } from '@livegate/ingest';
import { describeWithTools } from '../../../test/support/tools.js';
import { HlsSegmenter } from '../src/hls/index.js';
import { readFlvFile } from './hls-test-flv-reader.js';
import { demuxTs } from './mpegts-test-demuxer.js';

interface Probe {
  streams: { codec_name: string; codec_type: string; width?: number; height?: number; nb_read_frames?: string; profile?: string }[];
}

function probe(path: string): Probe {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', path], { encoding: 'utf8' })) as Probe;
}

describeWithTools(['ffmpeg', 'ffprobe'], 'HLS from a real libx264/AAC FLV clip', () => {
  let dir = '';
  let messages: MediaMessage[] = [];
  const names: string[] = [];
  let seg: HlsSegmenter;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'livegate-hls-'));
    const flv = join(dir, 'clip.flv');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440',
      '-t', '6', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-f', 'flv', flv]);
    messages = readFlvFile(readFileSync(flv));
    let t = Date.UTC(2024, 0, 1);
    seg = new HlsSegmenter({ now: () => (t += 2000), playlistLength: 10, onSegment: (s) => names.push(s.uri) });
    for (const m of messages) seg.push(m);
    seg.end();
    for (const n of names) writeFileSync(join(dir, n), seg.segment(n)!);
    writeFileSync(join(dir, 'playlist.m3u8'), seg.playlist()!);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts 2 s segments at keyframes and lists them all', () => {
    expect(names).toEqual(['seg-0.ts', 'seg-1.ts', 'seg-2.ts']);
    expect(seg.playlist()).toMatch(/#EXTINF:2\.000,\nseg-0\.ts\n#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:04\.000Z\n#EXTINF:2\.000,\nseg-1\.ts/);
    expect(seg.playlist()).toContain('#EXT-X-ENDLIST');
    expect(seg.stats.errors).toBe(0);
    if (process.env.LIVEGATE_VERBOSE) console.log(seg.playlist(), names.map((n) => seg.segment(n)!.length));
  });

  it('every segment passes the independent demuxer checks and PTS/DTS match the input', () => {
    const videoIn = messages.filter((m) => m.kind === 'video' && m.packet === 'frame');
    const ptsOut: number[] = [];
    const cc = new Map<number, number>();
    for (const n of names) {
      const d = demuxTs(seg.segment(n)!, cc);
      expect(d.ccErrors).toEqual([]);
      expect(d.crcErrors).toEqual([]);
      expect(d.pids.slice(0, 2)).toEqual([0, 0x1000]);
      expect(d.streams).toEqual([{ type: 0x1b, pid: 0x100 }, { type: 0x0f, pid: 0x101 }]);
      expect(d.pcrs.length).toBeGreaterThan(0);
      for (let i = 1; i < d.pcrs.length; i++) expect(d.pcrs[i]!.base).toBeGreaterThanOrEqual(d.pcrs[i - 1]!.base);
      const video = d.pes.filter((p) => p.pid === 0x100);
      expect(video[0]!.randomAccess).toBe(true);
      // access unit starts with AUD, and the keyframe carries SPS + PPS in-band
      expect([...video[0]!.data.subarray(0, 6)]).toEqual([0, 0, 0, 1, 0x09, 0xf0]);
      expect(video[0]!.data.includes(Buffer.from([0, 0, 0, 1, 0x67]))).toBe(true);
      for (const v of video) {
        // the PCR of the PES is at or before its DTS
        const pcr = d.pcrs.find((x) => x.packetIndex === v.packetIndex);
        expect(pcr!.base).toBeLessThanOrEqual(v.dts);
        ptsOut.push(v.pts, v.dts);
      }
      const audio = d.pes.filter((p) => p.pid === 0x101);
      for (const a of audio) expect(a.pesPacketLength).toBe(a.data.length + 8);
    }
    const expected = videoIn.flatMap((m) => [(m.pts + 1400) * 90, (m.dts + 1400) * 90]);
    expect(ptsOut).toEqual(expected);
  });

  it('ffprobe decodes every segment and the playlist: h264 320x240 + aac, 150 frames in total', () => {
    let frames = 0;
    for (const n of names) {
      const p = probe(join(dir, n));
      const v = p.streams.find((s) => s.codec_type === 'video')!;
      const a = p.streams.find((s) => s.codec_type === 'audio')!;
      expect([v.codec_name, v.width, v.height, a.codec_name]).toEqual(['h264', 320, 240, 'aac']);
      frames += Number(v.nb_read_frames);
    }
    expect(frames).toBe(150);
    const whole = probe(join(dir, 'playlist.m3u8'));
    expect(whole.streams.find((s) => s.codec_type === 'video')!.nb_read_frames).toBe('150');
    const run = spawnSync('ffmpeg', ['-v', 'error', '-i', join(dir, 'playlist.m3u8'), '-f', 'null', '-'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe('');
  });
});
