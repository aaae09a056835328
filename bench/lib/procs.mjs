/**
 * Child processes of a benchmark run: every one is registered and killed (process group) when the
 * run ends, fails or is interrupted; /proc sampling of CPU time and RSS.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat utime/stime (USER_HZ is 100 on Linux). */
const CLK_TCK = 100;
/** Open-file limit given to servers and load generators (one fd per viewer plus slack): 65536, or the hard limit if lower. */
export const NOFILE = Math.min(65536, Number(execFileSync('sh', ['-c', 'ulimit -Hn']).toString().trim()) || 65536);

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

function killAll(signal = 'SIGKILL') {
  for (const c of children) {
    try {
      process.kill(-c.pid, signal);
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', () => killAll());
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => {
    process.stderr.write(`bench: ${sig}, stopping every child\n`);
    killAll();
    process.exit(130);
  });
}

/**
 * @typedef {{ pid: number, name: string, exited: Promise<{code: number|null, signal: string|null}>,
 *   running(): boolean, output(): string, send(line: string): void, stop(graceMs?: number): Promise<void> }} Proc
 */

/**
 * Starts `cmd args` in its own process group, optionally pinned to `cpu` (taskset) with the open-file
 * limit raised (prlimit), optionally in a cgroup (`cgroup`: its cgroup.procs file); all exec, so `pid` is
 * the program itself. Killed after `maxMs` at the latest.
 * @param {string} name
 * @param {string} cmd
 * @param {string[]} args
 * `send` writes a line to its stdin (a pipe only with `stdin: true`).
 * @param {{ cpu?: number, cgroup?: string, cwd?: string, env?: NodeJS.ProcessEnv, maxMs?: number, keepOutput?: number, onLine?: (line: string) => void, stdin?: boolean }} [opts]
 * @returns {Proc}
 */
export function startProc(name, cmd, args, opts = {}) {
  let argv = ['prlimit', `--nofile=${NOFILE}:${NOFILE}`];
  if (opts.cpu !== undefined) argv.push('taskset', '-c', String(opts.cpu));
  argv.push(cmd, ...args);
  // join a cgroup (a CPU quota, cpu-quota.mjs) before exec: the program and its children run in it
  if (opts.cgroup) argv = ['sh', '-c', 'echo $$ > "$0" && exec "$@"', opts.cgroup, ...argv];
  const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.stdin?.on('error', () => {}); // (EPIPE when it has exited: its exit is reported by `exited`)
  const keep = opts.keepOutput ?? 20_000;
  let out = '';
  let partial = '';
  const onData = (/** @type {Buffer} */ d) => {
    const s = d.toString();
    out = (out + s).slice(-keep);
    if (opts.onLine) {
      const lines = (partial + s).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) opts.onLine(l);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, opts.maxMs ?? 30 * 60_000);
  timer.unref();
  let done = false;
  const exited = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      done = true;
      clearTimeout(timer);
      children.delete(child);
      if (opts.onLine && partial) opts.onLine(partial);
      resolve({ code, signal });
    });
  });
  return {
    pid: /** @type {number} */ (child.pid),
    name,
    exited,
    running: () => !done,
    output: () => out,
    send: (line) => {
      if (!child.stdin) throw new Error(`${name}: started without stdin`);
      child.stdin.write(`${line}\n`);
    },
    async stop(graceMs = 3000) {
      if (!children.has(child)) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Fields of /proc/PID/stat after "(comm) ": state=0, ppid=1, ... utime=11, stime=12. */
function statFields(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return s.slice(s.lastIndexOf(')') + 2).split(' ');
}

/** `pid` and every process below it (a server's worker processes count as the server). */
export function processTree(pid) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(statFields(d)[1]);
      const l = children.get(ppid);
      if (l) l.push(Number(d));
      else children.set(ppid, [Number(d)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

/**
 * CPU seconds (user + system, /proc/PID/stat) and resident bytes (VmRSS, /proc/PID/status) used so far
 * by `pid` and its descendants.
 */
export function treeUsage(pid) {
  let cpu = 0;
  let rss = 0;
  for (const p of processTree(pid)) {
    try {
      const f = statFields(p);
      cpu += (Number(f[11]) + Number(f[12])) / CLK_TCK;
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      rss += m ? Number(m[1]) * 1024 : 0;
    } catch (e) {
      if (p === pid) throw e; // the server itself is gone: no figure
      /* a descendant exited meanwhile */
    }
  }
  return { cpu, rss };
}

/** Total CPU seconds of the whole machine (all cores, busy time) and idle, from /proc/stat. */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + line[4];
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export { pct } from './stats.mjs';
