/** Synthetic publishes for HLS tests: real x264 SPS/PPS and AAC config, fake slice bodies. */
import type { AudioMessage, MediaMessage, VideoMessage } from '@livegate/ingest';

const SPS = Buffer.from('6764000dacd94141fb011000000300100000030320f1429960', 'hex');
const PPS = Buffer.from('68ebe3cb22c0', 'hex');

function video(packet: 'config' | 'frame', dts: number, keyframe: boolean, payload: Buffer): VideoMessage {
  const body = Buffer.concat([Buffer.from([(keyframe || packet === 'config' ? 0x10 : 0x20) | 7, packet === 'config' ? 0 : 1, 0, 0, 0]), payload]);
  return { kind: 'video', codec: 'avc', fourcc: undefined, packet, dts, pts: dts, keyframe, body, payload: body.subarray(5) };
}

function audio(packet: 'config' | 'frame', dts: number, payload: Buffer): AudioMessage {
  const body = Buffer.concat([Buffer.from([0xaf, packet === 'config' ? 0 : 1]), payload]);
  return { kind: 'audio', codec: 'aac', fourcc: undefined, packet, dts, pts: dts, soundRate: 44100, soundSize: 16, channels: 2, body, payload: body.subarray(2) };
}

export interface StreamSpec {
  /** Media duration in ms. */
  durationMs: number;
  /** First DTS. */
  startMs?: number;
  video?: boolean;
  audio?: boolean;
  /** Frames between keyframes (0 = only the first frame is a keyframe, -1 = none). */
  gop?: number;
  fps?: number;
  /** Bytes of each fake slice. */
  frameBytes?: number;
}

/** Configs, then video (25 fps) and AAC (44.1 kHz, 1024 samples) frames interleaved by DTS, video first on ties. */
export function makeStream(s: StreamSpec): MediaMessage[] {
  const start = s.startMs ?? 0;
  const fps = s.fps ?? 25;
  const gop = s.gop ?? 25;
  const out: MediaMessage[] = [];
  const frames: { dts: number; m: MediaMessage }[] = [];
  if (s.video !== false) {
    const rec = Buffer.concat([Buffer.from([1, 0x64, 0, 0x0d, 0xff, 0xe1, 0, SPS.length]), SPS, Buffer.from([1, 0, PPS.length]), PPS]);
    out.push(video('config', start, false, rec));
    const n = Math.round((s.durationMs * fps) / 1000);
    for (let i = 0; i < n; i++) {
      const key = gop === -1 ? false : gop === 0 ? i === 0 : i % gop === 0;
      const len = s.frameBytes ?? 200;
      const nal = Buffer.alloc(4 + len, 0x11);
      nal.writeUInt32BE(len, 0);
      nal[4] = key ? 0x65 : 0x41;
      frames.push({ dts: start + Math.round((i * 1000) / fps), m: video('frame', start + Math.round((i * 1000) / fps), key, nal) });
    }
  }
  if (s.audio !== false) {
    out.push(audio('config', start, Buffer.from([0x12, 0x10])));
    const n = Math.floor((s.durationMs * 44100) / 1024 / 1000);
    for (let i = 0; i < n; i++) {
      const dts = start + Math.round((i * 1024 * 1000) / 44100);
      frames.push({ dts, m: audio('frame', dts, Buffer.alloc(100, 0x21)) });
    }
  }
  frames.sort((a, b) => a.dts - b.dts || (a.m.kind === 'video' ? -1 : 1));
  return [...out, ...frames.map((f) => f.m)];
}
