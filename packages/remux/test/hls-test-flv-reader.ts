/** A small FLV file reader for tests (FLV spec v10.1 annex E): tags → livegate MediaMessages per message.ts. */
import type { MediaMessage } from '@livegate/ingest';

export function readFlvFile(file: Buffer): MediaMessage[] {
  if (file.toString('latin1', 0, 3) !== 'FLV') throw new Error('not an FLV file');
  let p = file.readUInt32BE(5) + 4;
  const out: MediaMessage[] = [];
  while (p + 11 <= file.length) {
    const type = file[p]! & 0x1f;
    const size = file.readUIntBE(p + 1, 3);
    const ts = file.readUIntBE(p + 4, 3) + file[p + 7]! * 2 ** 24;
    const body = file.subarray(p + 11, p + 11 + size);
    p += 11 + size + 4;
    if (type === 9) {
      const frameType = body[0]! >> 4;
      if ((body[0]! & 0x0f) !== 7) continue;
      const pt = body[1]!;
      const cts = body.readIntBE(2, 3);
      out.push({
        kind: 'video', codec: 'avc', fourcc: undefined,
        packet: pt === 0 ? 'config' : pt === 1 ? 'frame' : 'end',
        dts: ts, pts: ts + cts, keyframe: pt === 1 && frameType === 1, body, payload: body.subarray(5),
      });
    } else if (type === 8) {
      const fmt = body[0]! >> 4;
      const common = {
        kind: 'audio' as const, fourcc: undefined, dts: ts, pts: ts, body,
        soundRate: [5512, 11025, 22050, 44100][(body[0]! >> 2) & 3], soundSize: body[0]! & 2 ? 16 : 8, channels: body[0]! & 1 ? 2 : 1,
      };
      if (fmt === 10) out.push({ ...common, codec: 'aac', packet: body[1] === 0 ? 'config' : 'frame', payload: body.subarray(2) });
      else if (fmt === 2) out.push({ ...common, codec: 'mp3', packet: 'frame', payload: body.subarray(1) });
    } else if (type === 18) {
      out.push({ kind: 'data', dts: ts, pts: ts, name: 'onMetaData', args: [], body });
    }
  }
  return out;
}
