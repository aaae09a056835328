import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { CloseReason, LiveStream, MediaMessage, Sink, Subscription } from '@livegate/ingest';
import type { Config } from '../config/index.js';
import type { ViewerInfo } from '../viewers/registry.js';
import { encodeRelayFrame, relayOf, RELAY_FRAME_OVERHEAD, type FromWorker, type RelayFrame, type ToWorker, type WorkerSettings } from './protocol.js';

/** The worker's entry point, compiled (the same path from src/workers and dist/workers). */
const WORKER_MAIN = fileURLToPath(new URL('../../dist/workers/viewer-worker.js', import.meta.url));
/** A worker that exits is started again after this long. */
const RESPAWN_MS = 1000;

/** An HTTP-FLV or WS-FLV viewer served by a worker process: what the registry, API and metrics see of it. */
export class WorkerViewer implements ViewerInfo {
  readonly startedAt = Date.now();
  bytes = 0;
  drops = 0;

  constructor(
    readonly id: string,
    readonly protocol: 'http-flv' | 'ws-flv',
    readonly stream: string,
    readonly remoteAddress: string,
    /** Index of the worker serving it. */
    readonly worker: number,
    private readonly kick: (reason: string) => void,
  ) {}

  bytesOut(): number {
    return this.bytes;
  }

  dropped(): number {
    return this.drops;
  }

  close(reason: string): void {
    this.kick(reason);
  }
}

/** Called once per handed viewer when it is gone, whatever the reason. */
export type WorkerViewerGone = (v: WorkerViewer, reason: string) => void;

interface Handed {
  viewer: WorkerViewer;
  relay: Relay;
  onGone: WorkerViewerGone;
}

/**
 * One stream relayed to one worker: a bus subscriber (internal: it takes no viewer slot) that writes
 * every message to the worker's media pipe. Its backlog is the pipe's bytes not yet taken by the
 * worker, so a worker that stops reading is handled like any slow subscriber: it skips to the next
 * keyframe, and is closed (its viewers there end) if it stays behind.
 */
class Relay implements Sink {
  viewers = 0;
  sub: Subscription | undefined;

  constructor(
    private readonly w: Worker,
    readonly id: number,
    readonly live: LiveStream,
  ) {}

  backlog(): number {
    return this.w.mediaBacklog();
  }

  write(msg: MediaMessage): void {
    this.w.relay(relayOf(this.id, msg));
  }

  close(reason: CloseReason): void {
    if (this.w.relays.get(this.live) === this) this.w.relays.delete(this.live);
    this.w.relay({ t: 'end', s: this.id, reason });
  }
}

/** One worker process and what the main process knows of it. */
class Worker {
  ready = false;
  readonly relays = new Map<LiveStream, Relay>();
  readonly handed = new Map<string, Handed>();
  /** Its load as it last reported it (every second). */
  elu = 0;
  gatherMs = 0;
  lagMs = 0;
  /** Frames its fan-outs shed, as it last reported (a restarted worker starts again from 0). */
  shed = 0;
  private nextStream = 1;

  constructor(
    readonly index: number,
    readonly child: ChildProcess,
    /** The media pipe (the worker's fd 4). */
    private readonly media: Writable,
  ) {}

  /** Write a relay frame to the media pipe (a media frame's head and body in one writev). */
  relay(f: RelayFrame): void {
    if (this.media.destroyed) return;
    const parts = encodeRelayFrame(f);
    if (parts.length === 1) return void this.media.write(parts[0]);
    this.media.cork();
    for (const p of parts) this.media.write(p);
    this.media.uncork();
  }

  /** Relay bytes the worker has not taken yet. */
  mediaBacklog(): number {
    return this.media.writableLength;
  }

  post(m: ToWorker, done?: () => void, socket?: Socket): void {
    if (!this.child.connected) return done?.();
    const cb = (err: Error | null) => {
      done?.();
      if (err && socket) socket.destroy();
    };
    if (socket) this.child.send(m, socket, { keepOpen: true }, cb);
    else this.child.send(m, cb);
  }

  /** The relay of `live` to this worker, started (headers and GOP cache first) if it is not running. */
  relayOf(live: LiveStream): Relay | undefined {
    let r = this.relays.get(live);
    if (r) return r;
    r = new Relay(this, this.nextStream++, live);
    this.relay({ t: 'open', s: r.id, app: live.app, name: live.name });
    this.relays.set(live, r);
    r.sub = live.subscribe(r, { internal: true });
    if (!r.sub) {
      this.relays.delete(live);
      this.relay({ t: 'end', s: r.id, reason: 'ended' });
      return undefined;
    }
    return r;
  }
}

/** A running worker's share: its viewers, and its load as it last reported it. */
export interface WorkerLoad {
  worker: number;
  viewers: number;
  /** Event-loop utilization (0..1). */
  elu: number;
  /** How long its fan-outs now gather frames (ms). */
  gatherMs: number;
  /** The longest its fan-outs made their last batch wait for a pass over the viewers (ms). */
  lagMs: number;
}

/**
 * Processes that serve HTTP-FLV and WS-FLV viewers for the main process (config `viewers.workers`). The main
 * process keeps the RTMP side, the bus, admission (limits and access policy), the API and the
 * metrics; after admitting a viewer it hands the socket to the worker with the fewest viewers.
 * Each stream a worker has viewers of is relayed to it once (one frame per bus message on the worker's media pipe),
 * and the worker writes it to its viewers, so the per-viewer writes, which are what a fan-out
 * costs, are spread over cores. A worker that dies takes its viewers with it (they reconnect);
 * it is started again.
 */
export class ViewerWorkers {
  private readonly workers: (Worker | undefined)[];
  private closing = false;
  /** Workers started again after they exited. */
  restarts = 0;
  /** Frames shed by workers that have exited. */
  private shedGone = 0;

  constructor(
    private readonly count: number,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {
    this.workers = new Array<Worker | undefined>(count).fill(undefined);
  }

  /** Start every worker and wait until each is ready. */
  async start(): Promise<void> {
    if (!existsSync(WORKER_MAIN)) throw new Error(`viewers.workers needs the compiled worker ${WORKER_MAIN}: run npm run build`);
    await Promise.all(this.workers.map((_, i) => this.spawn(i)));
  }

  /** Process ids of the workers (undefined where one is being started again). */
  pids(): (number | undefined)[] {
    return this.workers.map((w) => w?.child.pid);
  }

  /** Workers running and ready. */
  get alive(): number {
    return this.workers.filter((w) => w?.ready).length;
  }

  /** Each running worker's viewers and load (event-loop utilization, fan-out gathering), for the metrics. */
  loads(): WorkerLoad[] {
    return this.workers.flatMap((w) => (w?.ready ? [{ worker: w.index, viewers: w.handed.size, elu: w.elu, gatherMs: w.gatherMs, lagMs: w.lagMs }] : []));
  }

  /** Frames the workers' fan-outs shed (behind), those of workers that exited included. */
  get framesShed(): number {
    return this.shedGone + this.workers.reduce((n, w) => n + (w?.shed ?? 0), 0);
  }

  /**
   * Hand an admitted HTTP-FLV viewer of `live` to a worker, or a WS-FLV one whose opening handshake
   * `wsUpgradeHead` answers (the worker writes it). The viewer holds one of `live`'s viewer slots until
   * the worker reports it gone. Undefined when no worker is ready or the slot or relay cannot be had:
   * the caller serves the viewer itself.
   */
  hand(socket: Socket, id: string, live: LiveStream, remote: string, onGone: WorkerViewerGone, wsUpgradeHead?: string): WorkerViewer | undefined {
    let w: Worker | undefined;
    for (const x of this.workers) if (x?.ready && (!w || x.handed.size < w.handed.size)) w = x;
    if (!w || this.closing || !live.reserveViewer()) return undefined;
    const relay = w.relayOf(live);
    if (!relay) {
      live.releaseViewer();
      return undefined;
    }
    const worker = w;
    const protocol = wsUpgradeHead === undefined ? 'http-flv' : 'ws-flv';
    const viewer = new WorkerViewer(id, protocol, live.key, remote, worker.index, (reason) => worker.post({ t: 'kick', id, reason }));
    relay.viewers++;
    worker.handed.set(id, { viewer, relay, onGone });
    socket.pause(); // what the client sends next stays in the kernel for the worker
    worker.post({ t: 'viewer', id, s: relay.id, remote, ...(wsUpgradeHead === undefined ? {} : { ws: wsUpgradeHead }) }, () => socket.destroy(), socket); // our copy of the socket only
    return viewer;
  }

  /** Tell every worker to end its viewers cleanly and exit; resolves when they have. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.workers.map(async (w) => {
        if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => w.child.once('exit', () => resolve()));
        w.post({ t: 'shutdown' });
        const timer = setTimeout(() => w.child.kill('SIGKILL'), 4000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private settings(index: number): WorkerSettings {
    const c = this.config;
    return {
      index,
      logLevel: c.log.level,
      corsOrigin: c.http.corsOrigin,
      maxBacklogBytes: c.viewers.maxBacklogBytes,
      maxBehindMs: c.viewers.maxBehindMs,
      maxLagMs: c.viewers.maxLagMs,
      gopCacheMaxBytes: c.streams.gopCacheMaxBytes,
      gopCacheMaxMs: c.streams.gopCacheMaxMs,
      batchMaxDelayMs: c.viewers.batchMaxDelayMs,
      batchLoadLow: c.viewers.batchLoadLow,
      batchLoadHigh: c.viewers.batchLoadHigh,
      tcpNoDelay: c.viewers.tcpNoDelay,
      maxRelayFrameBytes: c.rtmp.maxMessageSize + RELAY_FRAME_OVERHEAD,
    };
  }

  private spawn(index: number): Promise<void> {
    // fd 3: the IPC channel (control, sockets); fd 4: the media pipe (relay frames)
    const child = fork(WORKER_MAIN, [JSON.stringify(this.settings(index))], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'] });
    const media = child.stdio[4] as Writable;
    const w = new Worker(index, child, media);
    this.workers[index] = w;
    const log = this.logger.child({ worker: index, workerPid: child.pid }); // (`pid` is already the main process's)
    media.on('error', (err) => log.debug({ err: err.message }, 'media pipe error')); // (the worker exited: its exit handler cleans up)
    return new Promise<void>((resolve) => {
      child.on('message', (m: FromWorker) => {
        if (m.t === 'ready') {
          w.ready = true;
          log.info('viewer worker ready');
          resolve();
        } else this.onMessage(w, m);
      });
      child.on('error', (err) => log.error({ err: err.message }, 'viewer worker error'));
      child.on('exit', (code, signal) => {
        resolve(); // (if it never got ready)
        this.exited(w);
        if (this.closing) return;
        log.error({ code, signal, viewers: w.handed.size }, 'viewer worker exited; starting it again');
        setTimeout(() => {
          if (this.closing) return;
          this.restarts++;
          void this.spawn(index);
        }, RESPAWN_MS).unref();
      });
    });
  }

  private onMessage(w: Worker, m: FromWorker): void {
    if (m.t === 'stats') {
      w.elu = m.elu;
      w.gatherMs = m.gatherMs;
      w.lagMs = m.lagMs;
      w.shed = m.shed;
      for (const [id, bytes, dropped] of m.v) {
        const h = w.handed.get(id);
        if (h) (h.viewer.bytes = bytes), (h.viewer.drops = dropped);
      }
    } else if (m.t === 'gone') {
      const h = w.handed.get(m.id);
      if (!h) return;
      h.viewer.bytes = m.bytes;
      h.viewer.drops = m.dropped;
      this.gone(w, h, m.reason);
    }
  }

  private gone(w: Worker, h: Handed, reason: string): void {
    w.handed.delete(h.viewer.id);
    h.relay.live.releaseViewer();
    if (--h.relay.viewers === 0 && w.relays.get(h.relay.live) === h.relay) {
      // Nobody there watches it any more: stop relaying (a later viewer starts it again).
      w.relays.delete(h.relay.live);
      h.relay.sub?.close('unsubscribed');
    }
    h.onGone(h.viewer, reason);
  }

  /** A worker's process ended: its viewers are gone with it, its relays stop. */
  private exited(w: Worker): void {
    w.ready = false;
    if (this.workers[w.index] === w) this.workers[w.index] = undefined;
    this.shedGone += w.shed;
    for (const h of [...w.handed.values()]) this.gone(w, h, 'worker exited');
    for (const r of [...w.relays.values()]) r.sub?.close('unsubscribed');
    w.relays.clear();
  }
}
