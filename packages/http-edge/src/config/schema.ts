import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** viewers.workers 'auto': one viewer worker per CPU available to this process, none when there is only one. */
export function autoWorkers(cpus = availableParallelism()): number {
  return cpus > 1 ? Math.min(cpus, 64) : 0;
}

const port = z.number().int().min(0).max(65535);
const positiveInt = z.number().int().positive();
const ms = z.number().int().min(0);
/** A list: an array in a file, or comma-separated in an environment variable or flag. */
const list = z
  .preprocess((v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : typeof v === 'number' ? [String(v)] : v), z.array(z.string().min(1)))
  .default([]);
const url = z.url({ protocol: /^https?$/ }).nullable().default(null);
const secret = z.string().min(16, 'must be at least 16 characters').nullable().default(null);

/**
 * The one livegate configuration. Every key has a default, so no file is needed; a file
 * (JSON or YAML), LIVEGATE_* environment variables and --flags override it in that order.
 */
export const ConfigSchema = z.strictObject({
  /** Address both servers listen on unless rtmp.host / http.host say otherwise. */
  host: z.string().min(1).default('0.0.0.0'),
  rtmp: z
    .strictObject({
      port: port.default(1935),
      host: z.string().nullable().default(null),
      /** Chunk size livegate sends with (players get fewer, larger chunks). */
      chunkSize: z.number().int().min(128).max(0xffffff).default(60000),
      /** Largest RTMP message accepted from a peer, in bytes. */
      maxMessageSize: positiveInt.max(64 * 1024 * 1024).default(16 * 1024 * 1024),
      /** Chunk streams a single connection may open. */
      maxChunkStreams: positiveInt.max(65599).default(64),
      /** RTMP connections at once (publishers and players). */
      maxConnections: positiveInt.default(5000),
      /** RTMP connections at once from one IP address (0: no limit). */
      maxConnectionsPerIp: z.number().int().min(0).default(50),
      handshakeTimeoutMs: ms.default(10_000),
      /** A publisher that sends no media for this long is closed (0 disables). */
      idleTimeoutMs: ms.default(60_000),
      /** Window Acknowledgement Size sent to peers. */
      ackWindow: positiveInt.default(2_500_000),
      /** What a second publisher on a live key gets: refused, or it replaces the first. */
      onConflict: z.enum(['refuse', 'replace']).default('refuse'),
    })
    .prefault({}),
  rtmps: z
    .strictObject({
      /** RTMPS listens only when both cert and key are set (PEM file paths). */
      port: port.default(1936),
      cert: z.string().nullable().default(null),
      key: z.string().nullable().default(null),
    })
    .prefault({}),
  http: z
    .strictObject({
      port: port.default(8080),
      host: z.string().nullable().default(null),
      /** Value of Access-Control-Allow-Origin for players on other origins. */
      corsOrigin: z.string().default('*'),
      /** Graceful shutdown budget. */
      shutdownTimeoutMs: ms.max(60_000).default(5_000),
      /** HTTP connections at once; more are dropped on accept (counted as `http_limit`). */
      maxConnections: positiveInt.default(20_000),
      /** A client must send its request headers within this time (slowloris). */
      headersTimeoutMs: positiveInt.default(10_000),
      /** A client must send its whole request within this time (live responses are not cut: only receiving counts). */
      requestTimeoutMs: positiveInt.default(30_000),
      /** An idle keep-alive connection is closed after this time. */
      keepAliveTimeoutMs: positiveInt.default(5_000),
    })
    .prefault({}),
  viewers: z
    .strictObject({
      /** Unsent bytes after which a viewer skips to the next keyframe. */
      maxBacklogBytes: positiveInt.default(4 * 1024 * 1024),
      /** A viewer that stays behind this long is closed. */
      maxBehindMs: positiveInt.default(10_000),
      /**
       * Past its capacity the process cannot write a stream to all its viewers in time: frames wait
       * for the pass over the viewers. When they have waited this long (ms), the stream skips to its
       * next keyframe for every viewer alike (counted in livegate_frames_shed_total), instead of
       * letting backlogs grow and closing the viewers that fall behind.
       */
      maxLagMs: positiveInt.default(1_000),
      maxPerStream: positiveInt.default(10_000),
      /** HTTP-FLV + WS-FLV viewers at once from one IP address (0: no limit; behind a proxy every viewer has its address). */
      maxPerIp: z.number().int().min(0).default(0),
      /**
       * Under load the fan-outs gather frames for up to this long (ms) and write them to each viewer
       * at once: fewer writes, more viewers per core, a little more delay. 0: every frame at once, always.
       */
      batchMaxDelayMs: z.number().int().min(0).max(500).default(50),
      /** Event-loop utilization (0..1) below which every frame is written at once. */
      batchLoadLow: z.number().min(0).max(1).default(0.75),
      /** Utilization at which the full batchMaxDelayMs applies (in between, proportionally). */
      batchLoadHigh: z.number().min(0).max(1).default(0.95),
      /**
       * Processes that serve HTTP-FLV and WS-FLV viewers besides the main one (0: the main process serves them).
       * Each worker gets a stream once from the main process and writes it to its share of viewers,
       * so viewer writes use more cores. About one per core is the useful most. 'auto': one per CPU this
       * process may use (os.availableParallelism), none on a single CPU.
       */
      workers: z
        .union([z.number().int().min(0).max(64), z.literal('auto')])
        .default(0)
        .transform((v) => (v === 'auto' ? autoWorkers() : v)),
      /**
       * TCP_NODELAY on viewer sockets (HTTP-FLV, WS-FLV, RTMP play). true: every write leaves at once (lowest
       * delay). false: Nagle's algorithm merges a write's tail with the next one while the viewer's ACK is
       * outstanding: fewer packets, up to one round trip (or the viewer's delayed ACK) more delay. SRS's tcp_nodelay.
       */
      tcpNoDelay: z.boolean().default(true),
    })
    .refine((v) => v.batchLoadHigh > v.batchLoadLow, { path: ['batchLoadHigh'], message: 'must be above viewers.batchLoadLow' })
    .prefault({}),
  streams: z
    .strictObject({
      maxStreams: positiveInt.default(1000),
      gopCacheMaxBytes: positiveInt.default(16 * 1024 * 1024),
      gopCacheMaxMs: positiveInt.default(15_000),
    })
    .prefault({}),
  hls: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Target segment duration in seconds (segments are cut on keyframes). */
      segmentDuration: z.number().min(0.5).max(30).default(2),
      /** Segments listed in the live playlist. */
      playlistLength: z.number().int().min(2).max(60).default(6),
    })
    .prefault({}),
  access: z
    .strictObject({
      /** `app/stream` keys allowed to publish. Empty (and no appSecrets): any key. */
      streamKeys: list,
      /** `app:secret` pairs: publishing to `app` needs `?key=secret` on the stream name or the tcUrl. */
      appSecrets: list,
      /** HMAC-SHA256 secret of signed URLs (`?sign=EXPIRES-HEX`); needed by signPublish / signPlay. */
      signSecret: secret,
      /** Publishing needs a valid, unexpired signature. */
      signPublish: z.boolean().default(false),
      /** Playing (RTMP, HTTP-FLV, WS-FLV, HLS) needs a valid, unexpired signature. */
      signPlay: z.boolean().default(false),
      /** HTTP callbacks (POST JSON), nginx-rtmp on_publish / SRS http_hooks style. A non-2xx answer refuses publish and play. */
      callbacks: z
        .strictObject({
          onPublish: url,
          onUnpublish: url,
          onPlay: url,
          onStop: url,
          /** Time a publish / play callback may take. */
          timeoutMs: positiveInt.max(60_000).default(3_000),
          /** What a publish / play gets when its callback fails or times out. */
          onFailure: z.enum(['refuse', 'allow']).default('refuse'),
        })
        .prefault({}),
    })
    .prefault({})
    .refine((a) => (!a.signPublish && !a.signPlay) || a.signSecret !== null, { message: 'signPublish / signPlay need access.signSecret', path: ['signSecret'] })
    .refine((a) => a.appSecrets.every((e) => /^[^:]+:.{8,}$/.test(e)), { message: 'appSecrets entries are app:secret (secret of 8+ characters)', path: ['appSecrets'] })
    .refine((a) => a.streamKeys.every((k) => /^[^/]+\/[^/]+$/.test(k)), { message: 'streamKeys entries are app/stream', path: ['streamKeys'] }),
  admin: z
    .strictObject({
      /** Bearer token of the admin API (`Authorization: Bearer TOKEN`). Unset: the admin API is disabled (404). */
      token: secret,
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
});

/** The parsed configuration. */
export type Config = z.infer<typeof ConfigSchema>;
/** What a config file, environment or flags may give: any subset. */
export type ConfigInput = z.input<typeof ConfigSchema>;
