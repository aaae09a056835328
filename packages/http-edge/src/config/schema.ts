import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const positiveInt = z.number().int().positive();
const ms = z.number().int().min(0);

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
    })
    .prefault({}),
  viewers: z
    .strictObject({
      /** Unsent bytes after which a viewer skips to the next keyframe. */
      maxBacklogBytes: positiveInt.default(4 * 1024 * 1024),
      /** A viewer that stays behind this long is closed. */
      maxBehindMs: positiveInt.default(10_000),
      maxPerStream: positiveInt.default(10_000),
    })
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
