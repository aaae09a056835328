import { FanoutSet } from '../bus/fanout-set.js';
import type { Fanout } from '../bus/fanout.js';
import type { LiveStream } from '../bus/live-stream.js';
import type { StreamBus } from '../bus/stream-bus.js';
import { encodeForPlayer } from './player-sink.js';

/** Key of a player's fan-out: message stream id and chunk size in one number. */
const CHUNK_SIZE_SPAN = 0x1000000;

/**
 * The shared RTMP-play fan-outs: per live stream, message stream id and chunk size (nearly every
 * player has stream id 1 and livegate's chunk size, so nearly always one). RTMP keeps the
 * publisher's timestamps, so all players share one timeline; each message is chunked once and
 * each batch is one Buffer written once per player.
 */
export class RtmpFanouts {
  private readonly set: FanoutSet<number>;

  constructor(bus: StreamBus) {
    this.set = new FanoutSet(bus, (key) => {
      const streamId = Math.floor(key / CHUNK_SIZE_SPAN);
      const chunkSize = key % CHUNK_SIZE_SPAN;
      return { singleTimeline: true, newEncoder: () => ({ start: () => [], push: (m) => [encodeForPlayer(m, streamId, chunkSize)] }) };
    });
  }

  /** The fan-out for players of `live` on message stream `streamId` at `chunkSize`. */
  of(live: LiveStream, streamId: number, chunkSize: number): Fanout {
    return this.set.of(live, streamId * CHUNK_SIZE_SPAN + chunkSize);
  }
}
