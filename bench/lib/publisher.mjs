/**
 * Publishers: ffmpeg looping the asset (`-re -stream_loop -1 -c copy`, pinned to the client core), and
 * the harness's own paced publisher (livegate's RtmpClient from packages/ingest/dist) that records
 * when each video tag was written, for the server-added delay.
 */
import { join } from 'node:path';
import { CLIENT_CPU, ROOT } from './servers.mjs';
import { startProc, sleep } from './procs.mjs';
import { TAG_AUDIO, TAG_VIDEO, isVideoKeyframe } from './flv-walker.mjs';

/** ffmpeg pushing `asset` to `url`; `realtime` false pushes as fast as it can, `loops` extra passes (-1: forever). */
export function ffmpegPush(asset, url, { realtime = true, loops = -1 } = {}) {
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  if (realtime) args.push('-re');
  args.push('-stream_loop', String(loops), '-i', asset, '-c', 'copy', '-f', 'flv', url);
  return startProc('ffmpeg', 'ffmpeg', args, { cpu: CLIENT_CPU });
}

/**
 * Publishes `tags` (looped, timestamps kept increasing) in real time through RtmpClient; `sent` holds
 * [ts, size, send ms, keyframe 1|0] per video tag (performance.now(), after the write was handed to the socket).
 * @param {string} url rtmp://host:port/app/stream
 * @param {{ tags: import('./asset.mjs').FileTag[], durationMs: number }} flv
 */
export async function pacedPublisher(url, flv) {
  const { RtmpClient } = await import(join(ROOT, 'packages/ingest/dist/index.js'));
  const i = url.lastIndexOf('/');
  const client = await RtmpClient.connect(url.slice(0, i));
  await client.publish(url.slice(i + 1));
  /** @type {number[]} */
  const sent = [];
  let stopped = false;
  const run = (async () => {
    const t0 = performance.now();
    for (let loop = 0; !stopped; loop++) {
      const base = loop * flv.durationMs;
      for (const tag of flv.tags) {
        if (stopped) break;
        if (tag.type !== TAG_AUDIO && tag.type !== TAG_VIDEO) continue;
        const ts = base + tag.ts;
        const wait = t0 + ts - performance.now();
        if (wait > 1) await sleep(wait);
        const ok = tag.type === TAG_VIDEO ? client.sendVideo(tag.body, ts) : client.sendAudio(tag.body, ts);
        if (tag.type === TAG_VIDEO) sent.push(ts, tag.body.length, performance.now(), isVideoKeyframe(tag.body[0], tag.body[1]) ? 1 : 0);
        if (!ok) await client.drain();
        if (client.closed) return;
      }
    }
  })();
  return {
    sent,
    async stop() {
      stopped = true;
      await run;
      await client.close();
    },
  };
}
