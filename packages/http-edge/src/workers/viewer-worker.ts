/**
 * A viewer worker process (forked by ViewerWorkers in the main process). It keeps a local stream
 * bus fed by the main process's relay (the media pipe, fd 4) and serves the HTTP-FLV and WS-FLV
 * viewers whose sockets the main process hands over (the IPC channel), with the same fan-out as the
 * main process. It never accepts connections.
 */
import { Socket } from 'node:net';
import { StreamBus, type LiveStream } from '@livegate/ingest';
import { endWithError } from '../http-errors.js';
import { createLogger } from '../logger.js';
import { FlvFanouts, FlvViewer } from '../viewers/flv-fanout.js';
import { httpOutput } from '../viewers/http-output.js';
import { rawWsOutput, wsCloseFrame } from '../viewers/ws-raw.js';
import { messageOf, relayAgeMs, RelayFrameReader, ViewersAwaitingOpen, type FromWorker, type RelayFrame, type ToWorker, type WorkerSettings } from './protocol.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as WorkerSettings;
const logger = createLogger(settings.logLevel).child({ component: 'viewer-worker', worker: settings.index });
const bus = new StreamBus({
  // The main process decides who publishes; a relay that opens a key again replaces the old one.
  onConflict: 'replace',
  pacing: { maxDelayMs: settings.batchMaxDelayMs, loadLow: settings.batchLoadLow, loadHigh: settings.batchLoadHigh },
  limits: {
    gopCacheMaxBytes: settings.gopCacheMaxBytes,
    gopCacheMaxMs: settings.gopCacheMaxMs,
    subscriberMaxBacklogBytes: settings.maxBacklogBytes,
    subscriberMaxBehindMs: settings.maxBehindMs,
    fanoutMaxLagMs: settings.maxLagMs,
    // Admission (stream and viewer limits) is the main process's: it counts viewers of every process.
    maxStreams: Number.MAX_SAFE_INTEGER,
    maxSubscribersPerStream: Number.MAX_SAFE_INTEGER,
  },
});
const fanouts = new FlvFanouts(bus);
const streams = new Map<number, LiveStream>();
const viewers = new Map<string, FlvViewer>();
const sockets = new Set<Socket>();
type Handed = { id: string; m: Extract<ToWorker, { t: 'viewer' }>; socket: Socket | undefined };
/** Viewers whose relay's open frame is still on the media pipe. */
const awaiting = new ViewersAwaitingOpen<Handed>();
let closing = false;

function tell(m: FromWorker): void {
  if (process.connected) process.send!(m);
}

function addViewer(m: Extract<ToWorker, { t: 'viewer' }>, socket: Socket | undefined): void {
  if (!socket) return tell({ t: 'gone', id: m.id, reason: 'no socket', bytes: 0, dropped: 0 });
  const live = closing ? undefined : streams.get(m.s);
  const log = logger.child({ conn: m.id });
  const protocol = m.ws === undefined ? 'http-flv' : 'ws-flv';
  const out =
    m.ws === undefined
      ? httpOutput(socket, settings.corsOrigin, settings.tcpNoDelay)
      : rawWsOutput(socket, m.ws, settings.tcpNoDelay, (err) => log.info({ remote: m.remote, err: err.message, code: err.code }, 'bad WebSocket frame; closing'));
  const v =
    live &&
    new FlvViewer(m.id, protocol, m.remote, live, fanouts.of(live, protocol), out, (gone, reason) => {
      viewers.delete(gone.id);
      log.debug({ reason, bytesOut: gone.bytesOut(), dropped: gone.dropped() }, 'closed');
      tell({ t: 'gone', id: gone.id, reason, bytes: gone.bytesOut(), dropped: gone.dropped() });
    });
  sockets.add(socket);
  socket.on('close', () => {
    viewers.get(m.id)?.disconnected(); // (a viewer that never started has nothing to end)
    sockets.delete(socket);
    if (closing && sockets.size === 0) process.exit(0);
  });
  socket.on('error', (err) => log.debug({ err: err.message }, 'socket error'));
  if (protocol === 'http-flv') socket.resume(); // nothing to read but the end (a WebSocket's frames are read by its output)
  if (!v?.start()) {
    const why = closing ? 'shutting down' : 'stream is not live';
    if (protocol === 'http-flv') endWithError(socket, 'NOT_FOUND', why);
    else socket.end(wsCloseFrame(closing ? 1001 : 4404, why)); // after the 101, as the main process closes a refused WS-FLV viewer
    return tell({ t: 'gone', id: m.id, reason: 'not live', bytes: 0, dropped: 0 });
  }
  viewers.set(m.id, v);
}

function shutdown(): void {
  if (closing) return;
  closing = true;
  for (const v of awaiting.drain()) addViewer(v.m, v.socket); // (refused: shutting down)
  for (const v of [...viewers.values()]) v.close('shutdown'); // a clean end of each body
  bus.close();
  if (sockets.size === 0) process.exit(0);
  setTimeout(() => process.exit(0), 3000).unref(); // sockets that do not finish in time
}

/** One frame from the media pipe. */
function onRelay(f: RelayFrame): void {
  switch (f.t) {
    case 'open': {
      streams.set(f.s, bus.publish(f.app, f.name, { id: `relay-${f.s}`, protocol: 'relay', remoteAddress: 'main' }, () => streams.delete(f.s)));
      for (const v of awaiting.opened(f.s)) addViewer(v.m, v.socket);
      return;
    }
    case 'm': {
      const live = streams.get(f.s);
      if (!live) return;
      try {
        const msg = messageOf(f);
        if (msg) live.push(msg, relayAgeMs(f)); // (read late: the fan-outs count the time in transit as lag)
      } catch (err) {
        logger.warn({ stream: live.key, err: (err as Error).message }, 'relayed message not parsed');
      }
      return;
    }
    case 'end': {
      const live = streams.get(f.s);
      streams.delete(f.s);
      if (live) bus.unpublish(live, f.reason);
      return;
    }
  }
}

const reader = new RelayFrameReader(settings.maxRelayFrameBytes);
const media = new Socket({ fd: 4, readable: true, writable: false });
media.on('data', (chunk: Buffer) => {
  let frames: RelayFrame[];
  try {
    frames = reader.push(chunk);
  } catch (err) {
    // Our own pipe, broken: nothing after this can be trusted. The main process starts a new worker.
    logger.error({ err: (err as Error).message }, 'media pipe broken; exiting');
    process.exit(1);
  }
  for (const f of frames) onRelay(f);
});
media.on('error', (err) => logger.debug({ err: err.message }, 'media pipe error'));

process.on('message', (m: ToWorker, handle: unknown) => {
  switch (m.t) {
    case 'viewer': {
      // A join, as an accept is in the main process: a long pass lets the loop turn while they come,
      // and each turn here lets the main process send the next socket (Node waits for each one's ack).
      bus.pacer.noteAccepted();
      const socket = handle as Socket | undefined;
      if (closing || awaiting.admit(m.s, { id: m.id, m, socket })) addViewer(m, socket);
      return;
    }
    case 'kick': {
      const held = awaiting.take(m.id);
      if (!held) return viewers.get(m.id)?.close(m.reason);
      held.socket?.destroy();
      return tell({ t: 'gone', id: m.id, reason: m.reason, bytes: 0, dropped: 0 });
    }
    case 'shutdown':
      return shutdown();
  }
});
// The main process is gone: nobody feeds or accounts for these viewers any more.
process.on('disconnect', shutdown);

setInterval(() => {
  const v: [string, number, number][] = [];
  for (const x of viewers.values()) v.push([x.id, x.bytesOut(), x.dropped()]);
  let lagMs = 0;
  for (const s of bus.streams()) lagMs = Math.max(lagMs, s.fanoutLagMs());
  tell({ t: 'stats', v, elu: bus.pacer.utilization, gatherMs: bus.pacer.currentDelayMs, lagMs, shed: bus.counters.framesShed });
}, 1000).unref();

tell({ t: 'ready' });
