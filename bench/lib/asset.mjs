/**
 * The fixed test asset (made once with ffmpeg, gitignored): 1280x720 30 fps H.264 CBR 2.5 Mb/s,
 * keyframe every 2 s, AAC 128 kb/s, in FLV; and a reader of its tags for the harness's own publisher.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './servers.mjs';

export const ASSETS = join(ROOT, 'bench/assets');

/** The ffmpeg arguments that make an asset of `seconds` (60 for the benchmark, 6 for the smoke). */
export function assetArgs(seconds, out) {
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    '-t', String(seconds),
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast',
    '-b:v', '2500k', '-minrate', '2500k', '-maxrate', '2500k', '-bufsize', '2500k', '-x264-params', 'nal-hrd=cbr',
    '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', '128k', '-f', 'flv', out,
  ];
}

/** Path of the asset of `seconds`, made with ffmpeg (pinned to the client core) when missing. */
export function ensureAsset(seconds) {
  mkdirSync(ASSETS, { recursive: true });
  const out = join(ASSETS, seconds === 60 ? 'asset.flv' : `asset-${seconds}s.flv`);
  if (!existsSync(out) || statSync(out).size === 0) {
    process.stderr.write(`bench: making ${out} with ffmpeg (${seconds} s of 720p30)\n`);
    execFileSync('taskset', ['-c', '1', 'ffmpeg', ...assetArgs(seconds, out)], { stdio: 'inherit', timeout: 180_000 });
  }
  return out;
}

/**
 * @typedef {{ type: number, ts: number, body: Buffer }} FileTag
 * Every tag of an FLV file, its duration (last timestamp + one video frame) and bitrate incl. framing.
 * @returns {{ tags: FileTag[], durationMs: number, kbps: number }}
 */
export function readFlv(path) {
  const f = readFileSync(path);
  const tags = [];
  let p = f.readUInt32BE(5) + 4;
  let last = 0;
  while (p + 11 <= f.length) {
    const type = f[p] & 0x1f;
    const size = f.readUIntBE(p + 1, 3);
    const ts = (f.readUIntBE(p + 4, 3) | (f[p + 7] << 24)) >>> 0;
    if (p + 11 + size > f.length) break;
    tags.push({ type, ts, body: f.subarray(p + 11, p + 11 + size) });
    last = Math.max(last, ts);
    p += 11 + size + 4;
  }
  const durationMs = last + 33;
  return { tags, durationMs, kbps: Math.round((f.length * 8) / durationMs) };
}
