import type { CloseReason, Sink } from '../bus/subscription.js';
import { encodeChunks } from '../chunk/index.js';
import { isVideoKeyframe, type MediaMessage } from '../media/message.js';
import { MessageType } from '../message/types.js';
import type { Transport } from './transport.js';
import type { Outgoing } from './outgoing.js';

/** Chunk stream ids livegate sends media on (any 3..65599 works; these match common servers). */
const CSID = { audio: 4, video: 6, data: 5 } as const;
const TYPE = { audio: MessageType.Audio, video: MessageType.Video, data: MessageType.DataAmf0 } as const;

/**
 * Each message is serialized into RTMP chunks once and the same Buffer goes to every player
 * with the same message stream id and chunk size (nearly all: createStream returns 1 first).
 */
const shared = new WeakMap<MediaMessage, { key: number; bytes: Buffer }>();

/** The RTMP chunks of `msg` for a player on `streamId` at `chunkSize`, encoded once and shared. */
export function encodeForPlayer(msg: MediaMessage, streamId: number, chunkSize: number): Buffer {
  const key = streamId * 0x1000000 + chunkSize;
  const hit = shared.get(msg);
  if (hit && hit.key === key) return hit.bytes;
  const bytes = encodeChunks(
    { csid: CSID[msg.kind], typeId: TYPE[msg.kind], streamId, timestamp: msg.dts % 2 ** 32, payload: msg.body },
    chunkSize,
  );
  shared.set(msg, { key, bytes });
  return bytes;
}

/** A bus subscriber that writes RTMP chunks to a playing connection. */
export class PlayerSink implements Sink {
  receiveAudio = true;
  private video = true;
  /** Video was switched back on: frames resume at the next keyframe (a decoder cannot start on a P-frame). */
  private awaitKeyframe = false;

  /** receiveVideo (spec 7.2.2.5): off drops video frames; back on resumes at the next keyframe. */
  get receiveVideo(): boolean {
    return this.video;
  }
  set receiveVideo(on: boolean) {
    if (on && !this.video) this.awaitKeyframe = true;
    this.video = on;
  }

  constructor(
    private readonly transport: Transport,
    private readonly out: Outgoing,
    private readonly streamId: number,
    private readonly chunkSize: number,
    private readonly ended: (reason: CloseReason) => void,
  ) {}

  backlog(): number {
    return this.transport.backlog();
  }

  write(msg: MediaMessage): void {
    if (msg.kind === 'video' && msg.packet === 'frame') {
      if (!this.video) return;
      if (this.awaitKeyframe) {
        if (!isVideoKeyframe(msg)) return;
        this.awaitKeyframe = false;
      }
    }
    if (msg.kind === 'audio' && !this.receiveAudio && msg.packet === 'frame') return;
    this.out.raw(encodeForPlayer(msg, this.streamId, this.chunkSize));
  }

  close(reason: CloseReason): void {
    this.ended(reason);
  }
}
