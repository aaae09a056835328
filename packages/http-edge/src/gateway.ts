import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { RtmpServer, StreamBus, type AccessCheck } from '@livegate/ingest';
import type { Config } from './config/index.js';
import { buildApp } from './app.js';
import type { EdgeContext } from './context.js';
import { newEdgeCounters } from './counters.js';
import { HlsManager } from './hls/hls-manager.js';
import { StreamStatsSampler } from './stats.js';
import { streamOutputs } from './viewers/census.js';
import { ViewerRegistry } from './viewers/registry.js';
import { AccessPolicy } from './access/policy.js';
import { ViewerWorkers } from './workers/viewer-workers.js';

/** A running gateway: RTMP (and RTMPS) in, HTTP out. */
export interface Gateway {
  readonly ctx: EdgeContext;
  readonly app: FastifyInstance;
  readonly rtmp: RtmpServer;
  /** Bound addresses (ports are real even when the config asked for 0). */
  readonly addresses: { rtmp: AddressInfo; rtmps: AddressInfo | undefined; http: AddressInfo };
  /** Stop accepting, end every stream, close every viewer. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  /** An extra access check for RTMP publish/play, run after the configured policy allowed. */
  authorize?: AccessCheck;
}

/** Start livegate with `config`: the stream bus, the RTMP server(s), HLS remuxing and the HTTP edge. */
export async function startGateway({ config, logger, authorize }: GatewayOptions): Promise<Gateway> {
  const bus = new StreamBus({
    onConflict: config.rtmp.onConflict,
    pacing: { maxDelayMs: config.viewers.batchMaxDelayMs, loadLow: config.viewers.batchLoadLow, loadHigh: config.viewers.batchLoadHigh },
    limits: {
      gopCacheMaxBytes: config.streams.gopCacheMaxBytes,
      gopCacheMaxMs: config.streams.gopCacheMaxMs,
      maxStreams: config.streams.maxStreams,
      subscriberMaxBacklogBytes: config.viewers.maxBacklogBytes,
      subscriberMaxBehindMs: config.viewers.maxBehindMs,
      fanoutMaxLagMs: config.viewers.maxLagMs,
      maxSubscribersPerStream: config.viewers.maxPerStream,
    },
  });
  const access = new AccessPolicy(config.access, logger.child({ component: 'access' }));
  const rtmp = new RtmpServer({
    bus,
    logger: logger.child({ component: 'rtmp' }),
    maxConnections: config.rtmp.maxConnections,
    maxConnectionsPerIp: config.rtmp.maxConnectionsPerIp,
    authorize: async (req) => {
      const verdict = await access.check(req);
      return verdict === true && authorize ? authorize(req) : verdict;
    },
    onAccessEnd: access.ended,
    playerNoDelay: config.viewers.tcpNoDelay,
    limits: {
      maxMessageSize: config.rtmp.maxMessageSize,
      maxChunkStreams: config.rtmp.maxChunkStreams,
      chunkSize: config.rtmp.chunkSize,
      ackWindow: config.rtmp.ackWindow,
      handshakeTimeoutMs: config.rtmp.handshakeTimeoutMs,
      idleTimeoutMs: config.rtmp.idleTimeoutMs,
    },
  });
  const viewers = new ViewerRegistry();
  const hls = config.hls.enabled ? new HlsManager(bus, config.hls, logger.child({ component: 'hls' })) : undefined;
  let ctxRef: EdgeContext | undefined;
  const stats = new StreamStatsSampler(bus, (s) => (ctxRef ? streamOutputs(ctxRef, s.key) : []));
  const workers = config.viewers.workers > 0 ? new ViewerWorkers(config.viewers.workers, config, logger.child({ component: 'workers' })) : undefined;
  await workers?.start();
  const ctx: EdgeContext = { config, bus, rtmp, viewers, hls, stats, counters: newEdgeCounters(), access, logger, workers };
  ctxRef = ctx;
  const app = await buildApp(ctx);

  const rtmpHost = config.rtmp.host ?? config.host;
  const httpHost = config.http.host ?? config.host;
  let rtmpAddr: AddressInfo;
  let rtmpsAddr: AddressInfo | undefined;
  try {
    rtmpAddr = await rtmp.listen(config.rtmp.port, rtmpHost);
    if (config.rtmps.cert && config.rtmps.key) {
      rtmpsAddr = await rtmp.listenTls(config.rtmps.port, rtmpHost, readFileSync(config.rtmps.cert), readFileSync(config.rtmps.key));
    }
    await app.listen({ port: config.http.port, host: httpHost });
  } catch (err) {
    await Promise.all([rtmp.close(), app.close(), workers?.close()]); // nothing left running behind a failed start
    throw err;
  }
  const httpAddr = app.server.address() as AddressInfo;
  if (access.publishingOpen) {
    logger.warn('publishing is open: anyone who reaches the RTMP port may publish any stream (set access.streamKeys, access.appSecrets, access.signPublish or access.callbacks.onPublish)');
  }
  logger.info(
    { rtmp: `${rtmpHost}:${rtmpAddr.port}`, rtmps: rtmpsAddr ? `${rtmpHost}:${rtmpsAddr.port}` : null, http: `${httpHost}:${httpAddr.port}` },
    'livegate listening',
  );

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      logger.info('shutting down');
      const httpClosed = app.close();
      const rtmpClosed = rtmp.close(); // stops accepting; publishers end their streams
      bus.close(); // any stream left ends now: every viewer gets its end
      const workersClosed = workers?.close(); // (the HTTP server waits for the sockets handed to them)
      for (const v of [...viewers.all()]) v.close('shutdown');
      hls?.close();
      stats.close();
      await Promise.all([httpClosed, rtmpClosed, workersClosed]);
      logger.info('stopped');
    })());

  return { ctx, app, rtmp, addresses: { rtmp: rtmpAddr, rtmps: rtmpsAddr, http: httpAddr }, close };
}
