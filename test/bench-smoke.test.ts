/**
 * Keeps the benchmark harness from rotting: `node bench/run.mjs --smoke --servers livegate` runs every
 * scenario cut to seconds (fan-out N = 20 per protocol, server-added delay, glass-to-glass in Chromium,
 * ingest, HLS cost) and must produce a well-formed result. Never asserts timings.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithTools, hasTool } from './support/tools.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'bench/tmp/smoke-test-result.json');

interface FanoutRun {
  scenario: string;
  server: string;
  protocol: string;
  n: number;
  cpuPct: number;
  rssMB: number;
  load: {
    viewers: number;
    connected: number;
    gotMedia: number;
    gotKeyframe: number;
    steadyBytes: number;
    cohort: { ttfkP50Ms: number };
    perSecond: { mbps: number }[];
    viewerBytesPerSecond: number[][];
  };
}

describeWithTools(['ffmpeg', 'taskset', 'prlimit'], 'benchmark harness smoke', () => {
  it('runs every scenario briefly against livegate and writes a well-formed result', async () => {
    // glass-to-glass needs Chromium: skipped on a developer machine without it, never under CI
    const withGlass = hasTool('chromium') || Boolean(process.env.CI);
    const scenarios = `fanout,delay,allcore,nagle,ingest,hls${withGlass ? ',glass' : ''}`;
    if (!withGlass) console.warn('bench smoke: chromium not found, glass-to-glass not exercised');
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [join(root, 'bench/run.mjs'), '--smoke', '--servers', 'livegate', '--scenarios', scenarios, '--out', out],
        { cwd: root, timeout: 240_000 },
        (err, _stdout, stderr) => (err ? reject(new Error(`bench smoke failed: ${err.message}\n${stderr}`)) : resolve()),
      );
    });
    const result = JSON.parse(readFileSync(out, 'utf8')) as { errors: string[]; runs: (FanoutRun & Record<string, any>)[]; machine: { nproc: number } };
    expect(result.errors).toEqual([]);
    expect(result.machine.nproc).toBeGreaterThan(0);
    const of = (scenario: string) => result.runs.filter((r) => r.scenario === scenario);
    const workers = `livegate-${Math.max(2, result.machine.nproc)}w`; // HTTP-FLV and WS-FLV served by worker processes
    const allCore = [`${workers} httpflv`, `${workers} wsflv`];
    // server-added delay: each protocol's viewers matched published video tags (and HTTP-FLV, WS-FLV served by workers)
    expect(of('delay').map((r) => `${r.server} ${r.protocol}`).sort()).toEqual(['livegate httpflv', 'livegate httpflv', 'livegate rtmp', 'livegate wsflv', ...allCore, 'livegate-nagle httpflv'].sort());
    for (const r of of('delay')) {
      expect(r.matched).toBeGreaterThan(10);
      expect(r.p50Ms).toBeGreaterThanOrEqual(0);
    }
    // with a background, the 8 measured viewers joined at spread places in the join order, each matched tags
    const withLoad = of('delay').filter((r) => r.loadN > 0);
    expect(withLoad.map((r) => `${r.protocol} ${r.bgReadMs}`).sort()).toEqual(['httpflv 0', 'httpflv 100', 'rtmp 100', 'wsflv 100']); // (and the background read as data arrives)
    for (const r of withLoad) {
      expect(r.byJoin.map((b: { joinedAfter: number }) => b.joinedAfter)).toEqual([1, 4, 6, 9, 11, 14, 16, 19]);
      for (const b of r.byJoin) expect(b.matched).toBeGreaterThan(10);
    }
    // ingest: ffmpeg pushed the asset through and the server's CPU was sampled
    const [ing] = of('ingest');
    expect(ing?.ffmpegExit).toBe(0);
    expect(ing!.MBps).toBeGreaterThan(0);
    // HLS: the playlist of a remuxed stream was served
    const [hls] = of('hls');
    expect(hls?.on.playlist?.status).toBe(200);
    expect(hls!.on.playlist.segments).toBeGreaterThan(0);
    if (withGlass) {
      // glass-to-glass: the page read the painted clock back from presented frames
      const [g] = of('glass');
      expect(g?.page).toBe('player-flv');
      expect(g!.frames).toBeGreaterThan(15);
      expect(g!.p50Ms).toBeGreaterThan(0);
    }
    // (livegate-nagle: viewer sockets with Nagle on, viewers.tcpNoDelay false)
    expect(of('fanout').map((r) => `${r.server} ${r.protocol}`).sort()).toEqual(['livegate httpflv', 'livegate rtmp', 'livegate wsflv', ...allCore, 'livegate-nagle httpflv', 'livegate-nagle rtmp', 'livegate-nagle wsflv'].sort());
    for (const r of of('fanout')) {
      expect(r.scenario).toBe('fanout');
      expect(r.load.viewers).toBe(20);
      expect(r.load.connected).toBe(20);
      expect(r.load.gotMedia).toBe(20);
      expect(r.load.gotKeyframe).toBe(20);
      expect(r.load.steadyBytes).toBeGreaterThan(0);
      expect(r.load.cohort.ttfkP50Ms).toBeGreaterThanOrEqual(0);
      expect(r.load.perSecond.length).toBeGreaterThan(0);
      expect(r.load.viewerBytesPerSecond[0]!.some((b) => b > 0)).toBe(true);
      expect(r.cpuPct).toBeGreaterThanOrEqual(0);
      expect(r.rssMB).toBeGreaterThan(0);
      expect(r.machineCpuSPerGB).toBeGreaterThan(0);
    }
  }, 300_000);
});
