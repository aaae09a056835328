import { decodeAmf0All, decodeCommandAmf3, encodeAmf0 } from '../amf/index.js';
import { parseAudioTag, parseVideoTag } from '../flv/index.js';
import { MessageType } from '../message/types.js';
import type { DataMessage, MediaMessage } from './message.js';

/** The FLV tag type (FLV 10.1 E.4.1), which is also the RTMP message type id, of a message: 8, 9 or 18. */
export function tagTypeOf(m: MediaMessage): 8 | 9 | 18 {
  return m.kind === 'audio' ? MessageType.Audio : m.kind === 'video' ? MessageType.Video : MessageType.DataAmf0;
}

/**
 * A data message (18 AMF0, 15 AMF3) as the bus carries it: `@setDataFrame` stripped, the body
 * kept as received when nothing was stripped or converted, re-encoded as AMF0 otherwise.
 * Undefined when it has no handler name.
 */
export function dataFromTag(typeId: number, dts: number, payload: Buffer): DataMessage | undefined {
  const values = typeId === MessageType.DataAmf3 ? decodeCommandAmf3(payload) : decodeAmf0All(payload);
  const i = values[0] === '@setDataFrame' ? 1 : 0;
  const name = values[i];
  if (typeof name !== 'string') return undefined;
  const args = values.slice(i + 1);
  const body = i === 0 && typeId === MessageType.DataAmf0 ? payload : encodeAmf0(name, ...(args as never[]));
  return { kind: 'data', dts, pts: dts, name, args, body };
}

/**
 * The MediaMessage one FLV tag carries (`typeId` 8 audio, 9 video, 18/15 data; `dts` already
 * unwrapped); undefined for an empty video tag, a nameless data tag or another type. The body is
 * not copied. Parse errors throw IngestError.
 */
export function mediaFromTag(typeId: number, dts: number, body: Buffer): MediaMessage | undefined {
  switch (typeId) {
    case MessageType.Video:
      return body.length === 0 ? undefined : parseVideoTag(body, dts);
    case MessageType.Audio:
      return parseAudioTag(body, dts);
    case MessageType.DataAmf0:
    case MessageType.DataAmf3:
      return dataFromTag(typeId, dts, body);
    default:
      return undefined;
  }
}
