import type { LiveStream } from '../bus/live-stream.js';
import { Fanout } from '../bus/fanout.js';
import type { StreamBus } from '../bus/stream-bus.js';
import { encodeForPlayer } from './player-sink.js';

/**
 * The shared RTMP-play fan-outs: per live stream, message stream id and chunk size (nearly every
 * player has stream id 1 and livegate's chunk size, so nearly always one). Each message is chunked
 * once; each batch is one Buffer written once per player.
 */
export class RtmpFanouts {
  private readonly byStream = new WeakMap<LiveStream, Map<number, Fanout>>();

  constructor(private readonly bus: StreamBus) {}

  /** The fan-out for players of `live` on message stream `streamId` at `chunkSize`. */
  of(live: LiveStream, streamId: number, chunkSize: number): Fanout {
    let perKey = this.byStream.get(live);
    if (!perKey) this.byStream.set(live, (perKey = new Map()));
    const key = streamId * 0x1000000 + chunkSize;
    let f = perKey.get(key);
    if (!f || f.closed) {
      const { limits } = this.bus;
      f = new Fanout(live, {
        newEncoder: () => ({ start: () => [], push: (m) => [encodeForPlayer(m, streamId, chunkSize)] }),
        singleTimeline: true,
        maxBacklogBytes: limits.subscriberMaxBacklogBytes,
        maxBehindMs: limits.subscriberMaxBehindMs,
        maxRecordBytes: limits.gopCacheMaxBytes,
        maxRecordMs: limits.gopCacheMaxMs,
        counters: this.bus.counters,
        now: this.bus.now,
        pacer: this.bus.pacer,
      });
      perKey.set(key, f);
      live.subscribe(f, { internal: true });
    }
    return f;
  }
}
