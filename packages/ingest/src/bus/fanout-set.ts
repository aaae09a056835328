import { Fanout, type FanoutOptions } from './fanout.js';
import type { LiveStream } from './live-stream.js';
import type { StreamBus } from './stream-bus.js';

/**
 * The fan-outs of every live stream on `bus`, one per key (a protocol's framing, an RTMP message
 * stream id and chunk size, ...). A fan-out is created on its first viewer as an internal subscriber
 * of the stream, with the bus's limits, counters, clock and pacer; a stream that ends takes its
 * fan-outs with it (weakly held), and a later publish on the key gets fresh ones.
 */
export class FanoutSet<K> {
  private readonly byStream = new WeakMap<LiveStream, Map<K, Fanout>>();

  constructor(
    private readonly bus: StreamBus,
    /** What differs per key: how messages become bytes. */
    private readonly encoding: (key: K) => Pick<FanoutOptions, 'newEncoder' | 'frame' | 'singleTimeline'>,
  ) {}

  /** The fan-out of `live` for `key`, created on first use. */
  of(live: LiveStream, key: K): Fanout {
    let perKey = this.byStream.get(live);
    if (!perKey) this.byStream.set(live, (perKey = new Map()));
    let f = perKey.get(key);
    if (!f || f.closed) {
      const { limits, counters, now, pacer } = this.bus;
      f = new Fanout(live, {
        ...this.encoding(key),
        maxBacklogBytes: limits.subscriberMaxBacklogBytes,
        maxBehindMs: limits.subscriberMaxBehindMs,
        maxLagMs: limits.fanoutMaxLagMs,
        maxRecordBytes: limits.gopCacheMaxBytes,
        maxRecordMs: limits.gopCacheMaxMs,
        counters,
        now,
        pacer,
      });
      perKey.set(key, f);
      live.subscribe(f, { internal: true });
    }
    return f;
  }
}
