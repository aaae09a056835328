import type { Logger } from 'pino';
import type { RtmpServer, StreamBus } from '@livegate/ingest';
import type { Config } from './config/index.js';
import type { ViewerRegistry } from './viewers/registry.js';
import type { StreamStatsSampler } from './stats.js';
import type { HlsManager } from './hls/hls-manager.js';
import type { EdgeCounters } from './counters.js';
import type { AccessPolicy } from './access/policy.js';
import type { ViewerWorkers } from './workers/viewer-workers.js';

/** What every HTTP plugin works with: the gateway's shared parts. */
export interface EdgeContext {
  readonly config: Config;
  readonly bus: StreamBus;
  /** The RTMP server, when this gateway runs one (its players and counters feed the API and metrics). */
  readonly rtmp: RtmpServer | undefined;
  readonly viewers: ViewerRegistry;
  readonly hls: HlsManager | undefined;
  readonly stats: StreamStatsSampler;
  readonly counters: EdgeCounters;
  /** Who may publish and play (stream keys, signed URLs, callbacks). */
  readonly access: AccessPolicy;
  readonly logger: Logger;
  /** Processes that serve HTTP-FLV and WS-FLV viewers (config viewers.workers > 0). */
  readonly workers?: ViewerWorkers | undefined;
}
