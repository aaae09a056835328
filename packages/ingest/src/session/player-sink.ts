import type { CloseReason, Sink } from '../bus/subscription.js';
import { encodeChunks } from '../chunk/index.js';
import type { MediaMessage } from '../media/message.js';
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
  receiveVideo = true;

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
    if (msg.kind === 'video' && !this.receiveVideo && msg.packet === 'frame') return;
    if (msg.kind === 'audio' && !this.receiveAudio && msg.packet === 'frame') return;
    this.out.raw(encodeForPlayer(msg, this.streamId, this.chunkSize));
  }

  close(reason: CloseReason): void {
    this.ended(reason);
  }
}
