/**
 * Keeps the benchmark harness from rotting: `node bench/run.mjs --smoke --servers livegate` (N = 20,
 * a few seconds per protocol) must produce a well-formed result. Never asserts timings.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithTools } from './support/tools.js';

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
  it('runs N = 20 viewers per protocol against livegate and writes a well-formed result', async () => {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [join(root, 'bench/run.mjs'), '--smoke', '--servers', 'livegate', '--out', out],
        { cwd: root, timeout: 90_000 },
        (err, _stdout, stderr) => (err ? reject(new Error(`bench smoke failed: ${err.message}\n${stderr}`)) : resolve()),
      );
    });
    const result = JSON.parse(readFileSync(out, 'utf8')) as { errors: string[]; runs: FanoutRun[]; machine: { nproc: number } };
    expect(result.errors).toEqual([]);
    expect(result.machine.nproc).toBeGreaterThan(0);
    expect(result.runs.map((r) => r.protocol).sort()).toEqual(['httpflv', 'rtmp', 'wsflv']);
    for (const r of result.runs) {
      expect(r.scenario).toBe('fanout');
      expect(r.server).toBe('livegate');
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
    }
  }, 120_000);
});
