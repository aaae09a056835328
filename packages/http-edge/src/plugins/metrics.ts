import type { FastifyInstance } from 'fastify';
import type { LiveStream } from '@livegate/ingest';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { EdgeContext } from '../context.js';
import type { ViewerProtocol } from '../viewers/registry.js';
import { viewerCounts, viewerBytesOut } from '../viewers/census.js';
import type { WorkerLoad } from '../workers/viewer-workers.js';

/** A counter whose value is read from a running total at scrape time (no work per frame). */
function totalCounter(registry: Registry, name: string, help: string, read: () => number): void {
  let last = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const v = read();
      if (v > last) this.inc(v - last);
      last = Math.max(last, v);
    },
  });
}

/** A labelled counter read from running totals at scrape time. */
function labelledCounter(registry: Registry, name: string, help: string, label: string, read: () => Record<string, number>): void {
  const last = new Map<string, number>();
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      for (const [k, v] of Object.entries(read())) {
        const prev = last.get(k) ?? 0;
        if (v > prev) this.inc({ [label]: k }, v - prev);
        last.set(k, Math.max(prev, v));
      }
    },
  });
}

/** `GET /metrics`: Prometheus text with gateway, stream and process metrics. */
export async function metricsPlugin(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'livegate_' });
  const { bus, rtmp, hls, counters, stats } = ctx;

  new Gauge({ name: 'livegate_publishers', help: 'Live streams being published', registers: [registry], collect() { this.set(bus.size); } });
  const workers = ctx.workers;
  if (workers) {
    new Gauge({ name: 'livegate_viewer_workers', help: 'Viewer worker processes running (config viewers.workers)', registers: [registry], collect() { this.set(workers.alive); } });
    totalCounter(registry, 'livegate_viewer_worker_restarts_total', 'Viewer worker processes started again after they exited', () => workers.restarts);
    const perWorker = (name: string, help: string, pick: (l: WorkerLoad) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['worker'],
        registers: [registry],
        collect() {
          this.reset();
          for (const l of workers.loads()) this.set({ worker: String(l.worker) }, pick(l));
        },
      });
    perWorker('livegate_viewer_worker_viewers', 'Viewers each viewer worker serves', (l) => l.viewers);
    perWorker('livegate_viewer_worker_event_loop_utilization', "Each viewer worker's event-loop utilization (0..1), as it last reported", (l) => l.elu);
    perWorker('livegate_viewer_worker_batch_delay_ms', 'How long each viewer worker now gathers frames before writing (its own pacing)', (l) => l.gatherMs);
    perWorker('livegate_viewer_worker_fanout_lag_ms', "The longest each viewer worker's fan-outs made their last batch wait for a pass over the viewers", (l) => l.lagMs);
  }
  new Gauge({
    name: 'livegate_viewers',
    help: 'Connected viewers by protocol',
    labelNames: ['protocol'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [p, n] of Object.entries(viewerCounts(ctx))) this.set({ protocol: p }, n);
    },
  });
  const streamGauge = (name: string, help: string, pick: (s: LiveStream) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['stream'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of bus.streams()) this.set({ stream: s.key }, pick(s));
      },
    });
  streamGauge('livegate_stream_bitrate_in_bps', 'Bits per second received from the publisher', (s) => stats.get(s).bitrateIn);
  streamGauge('livegate_stream_bitrate_out_bps', 'Bits per second sent to the viewers', (s) => stats.get(s).bitrateOut);
  streamGauge('livegate_stream_fps', 'Video frames per second received', (s) => stats.get(s).fps);
  streamGauge(
    'livegate_stream_fanout_lag_ms',
    "How long the stream's last batch waited for its pass over the viewers (the longest of its fan-outs); past viewers.maxLagMs it sheds frames",
    (s) => s.fanoutLagMs(),
  );

  new Gauge({
    name: 'livegate_fanout_batch_delay_ms',
    help: 'How long fan-outs now gather frames before writing to viewers (rises with event-loop load, up to viewers.batchMaxDelayMs)',
    registers: [registry],
    collect() {
      this.set(bus.pacer.currentDelayMs);
    },
  });
  new Gauge({
    name: 'livegate_event_loop_utilization',
    help: 'Event-loop utilization (0..1) the fan-out pacing last measured',
    registers: [registry],
    collect() {
      this.set(bus.pacer.utilization);
    },
  });

  totalCounter(registry, 'livegate_bytes_in_total', 'Bytes received from RTMP peers', () => rtmp?.counters.bytesIn ?? 0);
  labelledCounter(registry, 'livegate_bytes_out_total', 'Bytes sent to viewers by protocol', 'protocol', () => viewerBytesOut(ctx) as Record<ViewerProtocol, number>);
  totalCounter(registry, 'livegate_rtmp_connections_total', 'RTMP connections accepted', () => rtmp?.counters.connections ?? 0);
  totalCounter(registry, 'livegate_handshake_errors_total', 'RTMP handshakes that failed or timed out', () => rtmp?.counters.handshakeErrors ?? 0);
  totalCounter(registry, 'livegate_protocol_errors_total', 'RTMP connections closed for a protocol error', () => rtmp?.counters.protocolErrors ?? 0);
  totalCounter(registry, 'livegate_publish_refused_total', 'Publish requests refused', () => rtmp?.counters.publishRefused ?? 0);
  totalCounter(registry, 'livegate_frames_dropped_total', 'Frames skipped for viewers that were behind', () => bus.counters.framesDropped);
  totalCounter(registry, 'livegate_frames_shed_total', 'Frames skipped for every viewer of a stream because the fan-out was behind (past capacity)', () => bus.counters.framesShed + (workers?.framesShed ?? 0));
  totalCounter(registry, 'livegate_viewers_closed_slow_total', 'Viewers closed because they stayed behind', () => bus.counters.subscribersClosedSlow);
  totalCounter(registry, 'livegate_hls_segments_total', 'HLS segments produced', () => hls?.segmentsProduced ?? 0);
  labelledCounter(registry, 'livegate_connections_refused_total', 'Connections and viewers refused or cut by a limit, by reason', 'reason', () => {
    const out: Record<string, number> = { ...counters.viewersRefused };
    for (const [k, v] of Object.entries(rtmp?.refused ?? {})) out[k] = (out[k] ?? 0) + v;
    return out;
  });
  totalCounter(registry, 'livegate_chat_messages_total', 'Chat messages broadcast', () => counters.chatMessages);
  totalCounter(registry, 'livegate_chat_refused_total', 'Chat messages refused (limits, bad input)', () => counters.chatRefused);

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
