/**
 * The servers under test, each on private loopback ports with its config under bench/tmp/, pinned to
 * CPU 0 with a raised open-file limit: livegate (packages/http-edge/dist/cli.js), nginx with
 * libnginx-mod-rtmp, node-media-server v4 (when installed in the workspace).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { startProc, sleep } from './procs.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TMP = join(ROOT, 'bench/tmp');
export const SERVER_CPU = 0;
export const CLIENT_CPU = 1;
const LIVEGATE_CLI = join(ROOT, 'packages/http-edge/dist/cli.js');
const NGINX_RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';
const STREAM_APP = 'live';

/**
 * @typedef {{ name: string, pid: number, rtmpUrl: (stream: string) => string,
 *   play: Partial<Record<'httpflv'|'wsflv'|'rtmp', (stream: string) => string>>,
 *   hlsUrl?: (stream: string) => string, stop(): Promise<void>, output(): string }} Server
 */

/**
 * A free TCP port on 127.0.0.1, below the kernel's ephemeral range (32768+): a port the kernel hands out
 * (listen on 0) can be taken by an outgoing connection's source port before the server binds it, and a
 * fan-out run opens thousands of those.
 */
export async function freePort() {
  for (let i = 0; i < 100; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const ok = await new Promise((resolve) => {
      const s = net.createServer();
      s.on('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port in 20000-31999');
}

/** Resolves once `port` accepts a TCP connection (or throws after `ms`). */
export async function waitPort(port, ms = 15_000, proc) {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (proc && !proc.running()) throw new Error(`${proc.name} exited before listening on ${port}: ${proc.output().slice(-2000)}`);
    if (Date.now() > end) throw new Error(`port ${port} not listening after ${ms} ms${proc ? `: ${proc.output().slice(-2000)}` : ''}`);
    await sleep(100);
  }
}

/** Why each peer is absent (empty string: present). */
export async function peerAvailability() {
  const out = { livegate: '', nginx: '', nms: '' };
  if (!existsSync(LIVEGATE_CLI)) out.livegate = `${LIVEGATE_CLI} missing (run npm run build)`;
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    if (!existsSync(NGINX_RTMP_MODULE)) out.nginx = `nginx present but ${NGINX_RTMP_MODULE} missing (apt-get install libnginx-mod-rtmp)`;
  } catch {
    out.nginx = 'nginx not installed (apt-get install nginx libnginx-mod-rtmp)';
  }
  out.nms = await nmsVersion().then(
    (v) => (v.startsWith('4.') ? '' : `node-media-server ${v} installed, the benchmark needs v4`),
    () => 'node-media-server not installed (npm install -D -w @livegate/bench node-media-server@4)',
  );
  return out;
}

/** The installed node-media-server version (the dynamic import proves it loads). */
export async function nmsVersion() {
  await import('node-media-server');
  const pkg = join(ROOT, 'node_modules/node-media-server/package.json');
  return JSON.parse(readFileSync(existsSync(pkg) ? pkg : join(ROOT, 'bench/node_modules/node-media-server/package.json'), 'utf8')).version;
}

/**
 * livegate from dist/, HLS off unless asked (the fan-out compares delivery only). With `workers`,
 * HTTP-FLV viewers are served by that many worker processes (viewers.workers) and the server may use
 * `cpus` (a taskset list, e.g. '0,1'); its name is then `livegate-<workers>w` and its CPU and RSS
 * figures are those of the whole process tree. With `nagle`, viewer sockets leave Nagle's algorithm on
 * (`viewers.tcpNoDelay` false); its name is then `livegate-nagle`. With `cgroup` (a cgroup.procs file,
 * cpu-quota.mjs) it runs in that cgroup, as every server here can.
 * @param {{ hls?: boolean, cpuProf?: string, workers?: number, cpus?: string, nagle?: boolean, cgroup?: string }} [opts]
 * @returns {Promise<Server>}
 */
export async function startLivegate(opts = {}) {
  const rtmp = await freePort();
  const http = await freePort();
  const nodeArgs = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : [];
  const p = startProc('livegate', process.execPath, [
    ...nodeArgs, LIVEGATE_CLI, '--host', '127.0.0.1', '--rtmp-port', String(rtmp), '--http-port', String(http), '--log-level', 'warn',
    '--rtmp-max-connections', '20000', '--rtmp-max-connections-per-ip', '0', '--http-max-connections', '20000',
    '--hls-enabled', opts.hls ? 'true' : 'false', '--viewers-workers', String(opts.workers ?? 0),
    '--viewers-tcp-no-delay', opts.nagle ? 'false' : 'true',
  ], { cpu: opts.cpus ?? SERVER_CPU, cgroup: opts.cgroup });
  await waitPort(rtmp, 15_000, p);
  await waitPort(http, 15_000, p);
  return {
    name: `livegate${opts.workers ? `-${opts.workers}w` : ''}${opts.nagle ? '-nagle' : ''}`,
    pid: p.pid,
    rtmpUrl: (s) => `rtmp://127.0.0.1:${rtmp}/${STREAM_APP}/${s}`,
    play: {
      httpflv: (s) => `http://127.0.0.1:${http}/${STREAM_APP}/${s}.flv`,
      wsflv: (s) => `ws://127.0.0.1:${http}/${STREAM_APP}/${s}.flv`,
      rtmp: (s) => `rtmp://127.0.0.1:${rtmp}/${STREAM_APP}/${s}`,
    },
    hlsUrl: (s) => `http://127.0.0.1:${http}/${STREAM_APP}/${s}/index.m3u8`,
    stop: () => p.stop(6000),
    output: p.output,
  };
}

/**
 * nginx + libnginx-mod-rtmp, one process (master_process off) so its PID is the worker.
 * @param {{ hls?: boolean, cgroup?: string }} [opts]
 * @returns {Promise<Server>}
 */
export async function startNginx(opts = {}) {
  const rtmp = await freePort();
  const http = await freePort();
  const dir = join(TMP, `nginx-${rtmp}`);
  mkdirSync(join(dir, 'hls'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const hls = opts.hls ? `hls on; hls_path ${dir}/hls; hls_fragment 2s; hls_playlist_length 12s; hls_nested on;` : '';
  writeFileSync(
    join(dir, 'nginx.conf'),
    `load_module ${NGINX_RTMP_MODULE};
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 65536;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 20000; multi_accept on; }
rtmp {
  server {
    listen 127.0.0.1:${rtmp};
    chunk_size 4096;
    application ${STREAM_APP} { live on; ${hls} }
  }
}
http {
  access_log off;
  client_body_temp_path ${dir}/tmp-body; proxy_temp_path ${dir}/tmp-proxy; fastcgi_temp_path ${dir}/tmp-fcgi;
  uwsgi_temp_path ${dir}/tmp-uwsgi; scgi_temp_path ${dir}/tmp-scgi;
  server {
    listen 127.0.0.1:${http};
    location /hls/ { alias ${dir}/hls/; types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; } add_header Cache-Control no-cache; }
  }
}
`,
  );
  const p = startProc('nginx', 'nginx', ['-p', dir, '-e', `${dir}/logs/error.log`, '-c', join(dir, 'nginx.conf')], { cpu: SERVER_CPU, cgroup: opts.cgroup });
  await waitPort(rtmp, 15_000, p);
  return {
    name: 'nginx-rtmp',
    pid: p.pid,
    rtmpUrl: (s) => `rtmp://127.0.0.1:${rtmp}/${STREAM_APP}/${s}`,
    play: { rtmp: (s) => `rtmp://127.0.0.1:${rtmp}/${STREAM_APP}/${s}` },
    hlsUrl: (s) => `http://127.0.0.1:${http}/hls/${s}/index.m3u8`,
    stop: () => p.stop(3000),
    output: () => p.output() + (existsSync(join(dir, 'logs/error.log')) ? readFileSync(join(dir, 'logs/error.log'), 'utf8').slice(-2000) : ''),
  };
}

/** node-media-server v4 in its own process (bench/lib/nms-main.mjs). @param {{ cgroup?: string }} [opts] @returns {Promise<Server>} */
export async function startNms(opts = {}) {
  const rtmp = await freePort();
  const http = await freePort();
  const p = startProc('nms', process.execPath, [join(ROOT, 'bench/lib/nms-main.mjs'), String(rtmp), String(http)], { cpu: SERVER_CPU, cgroup: opts.cgroup, keepOutput: 4000 });
  await waitPort(rtmp, 15_000, p);
  await waitPort(http, 15_000, p);
  return {
    name: 'node-media-server',
    pid: p.pid,
    rtmpUrl: (s) => `rtmp://127.0.0.1:${rtmp}/${STREAM_APP}/${s}`,
    play: {
      httpflv: (s) => `http://127.0.0.1:${http}/${STREAM_APP}/${s}.flv`,
      rtmp: (s) => `rtmp://127.0.0.1:${rtmp}/${STREAM_APP}/${s}`,
    },
    stop: () => p.stop(3000),
    output: p.output,
  };
}

/** Starters by server key. */
export const STARTERS = { livegate: startLivegate, nginx: startNginx, nms: startNms };
