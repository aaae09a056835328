import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeWithTools } from './support/tools.js';
import { publish, run, start } from './support/ffmpeg.js';
import { waitFor } from './support/gateway.js';

const cli = fileURLToPath(new URL('../packages/http-edge/dist/cli.js', import.meta.url));

it('stops with exit code 2 and names the key on a bad config value', async () => {
  const r = await run(process.execPath, [cli, '--rtmp-port', '99999'], 20_000);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/rtmp\.port.*flag --rtmp-port/);
  const env = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [cli], { env: { ...process.env, LIVEGATE_HLS_SEGMENT_DURATION: 'soon' } });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stderr }));
  });
  expect(env.code).toBe(2);
  expect(env.stderr).toMatch(/hls\.segmentDuration.*env LIVEGATE_HLS_SEGMENT_DURATION/);
});

describeWithTools(['ffmpeg'], 'the livegate CLI', () => {
  it('logs pino JSON with connection ids, serves a publish, and shuts down on SIGTERM within 5 s', async () => {
    const gw = start(process.execPath, [cli, '--host', '127.0.0.1', '--rtmp-port', '0', '--http-port', '0'], 60_000);
    let out = '';
    gw.proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const lines = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    await waitFor(() => lines().some((l) => l.msg === 'livegate listening'), 'the listening line');
    const listening = lines().find((l) => l.msg === 'livegate listening')!;
    const rtmpPort = Number(String(listening.rtmp).split(':').at(-1));
    const httpPort = Number(String(listening.http).split(':').at(-1));
    const pub = publish(`rtmp://127.0.0.1:${rtmpPort}/live/cli`, { seconds: 30 });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${httpPort}/api/streams`).then((r) => r.json() as Promise<{ streams: unknown[] }>)).streams.length === 1, 'the stream in the API');
    const viewer = start('ffmpeg', ['-hide_banner', '-v', 'error', '-i', `http://127.0.0.1:${httpPort}/live/cli.flv`, '-f', 'null', '-'], 30_000);
    await waitFor(() => lines().some((l) => String(l.conn ?? '').startsWith('flv-') && l.msg === 'opened'), 'the viewer log line');
    const t0 = Date.now();
    gw.kill('SIGTERM');
    const r = await gw.done;
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    const v = await viewer.done;
    expect(v.code).toBe(0); // the viewer's stream ended cleanly
    pub.kill('SIGKILL');
    const all = lines();
    expect(all.every((l) => l.service === 'livegate' && typeof l.level === 'number')).toBe(true);
    const rtmp = all.filter((l) => String(l.conn ?? '').startsWith('rtmp-'));
    expect(rtmp.some((l) => l.msg === 'opened')).toBe(true);
    expect(rtmp.some((l) => l.msg === 'publish')).toBe(true);
    expect(rtmp.some((l) => l.msg === 'closed')).toBe(true);
    expect(all.some((l) => l.msg === 'stopped')).toBe(true);
  });
});
