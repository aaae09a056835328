import { spawn, type ChildProcess } from 'node:child_process';

/** Result of a finished process. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running child process with its output collected and a promise of its end. */
export interface Running {
  proc: ChildProcess;
  done: Promise<RunResult>;
  stderr(): string;
  kill(signal?: NodeJS.Signals): void;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/** Start `cmd args`, killed after `timeoutMs` at the latest (tests stop by themselves). */
export function start(cmd: string, args: string[], timeoutMs = 60_000): Running {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const done = new Promise<RunResult>((resolve) => {
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(proc);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { proc, done, stderr: () => stderr, kill: (s = 'SIGTERM') => proc.kill(s) };
}

/** Run to completion. */
export function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return start(cmd, args, timeoutMs).done;
}

export interface PublishOptions {
  seconds?: number;
  size?: string;
  rate?: number;
  /** Keyframe interval in frames. */
  gop?: number;
  /** Real-time pacing (-re). Default true. */
  realtime?: boolean;
  audio?: boolean;
  video?: boolean;
}

/** ffmpeg publishing testsrc2 + sine (libx264 yuv420p + aac) to `url`. */
export function publish(url: string, o: PublishOptions = {}): Running {
  const { seconds = 10, size = '320x240', rate = 25, gop = 50, realtime = true, audio = true, video = true } = o;
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  if (realtime) args.push('-re');
  if (video) args.push('-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}`);
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100');
  args.push('-t', String(seconds));
  if (video) args.push('-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0');
  if (audio) args.push('-c:a', 'aac', '-b:a', '64k');
  args.push('-f', 'flv', url);
  return start('ffmpeg', args, (seconds + 60) * 1000);
}

/** A stream as ffprobe reports it. */
export interface ProbeStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  nb_read_frames?: string;
  nb_read_packets?: string;
  r_frame_rate?: string;
  sample_rate?: string;
}

/** ffprobe -show_streams (with -count_frames when asked) as JSON. */
export async function probe(input: string, opts: { countFrames?: boolean; extra?: string[]; timeoutMs?: number } = {}): Promise<{ streams: ProbeStream[]; stderr: string }> {
  const args = ['-v', 'error', ...(opts.extra ?? []), ...(opts.countFrames ? ['-count_frames'] : []), '-show_streams', '-of', 'json', input];
  const r = await run('ffprobe', args, opts.timeoutMs ?? 60_000);
  if (r.code !== 0) throw new Error(`ffprobe ${input} failed (${r.code}): ${r.stderr}`);
  return { streams: (JSON.parse(r.stdout) as { streams: ProbeStream[] }).streams, stderr: r.stderr };
}
