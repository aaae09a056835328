/**
 * A small FLV file reader for the remux tests, written from FLV 10.1 E.2-E.4 independently of
 * src/flv: it checks the signature, DataOffset and every PreviousTagSize while it reads.
 */
export interface ReadTag {
  readonly type: number;
  readonly timestamp: number;
  readonly body: Buffer;
}

export interface ReadFlv {
  readonly audio: boolean;
  readonly video: boolean;
  readonly tags: ReadTag[];
}

export function readFlv(file: Buffer): ReadFlv {
  if (file.toString('latin1', 0, 3) !== 'FLV') throw new Error('bad FLV signature');
  if (file[3] !== 1) throw new Error(`bad FLV version ${file[3]}`);
  const flags = file[4]!;
  const dataOffset = file.readUInt32BE(5);
  if (dataOffset !== 9) throw new Error(`DataOffset ${dataOffset}`);
  if (file.readUInt32BE(dataOffset) !== 0) throw new Error('PreviousTagSize0 is not 0');
  const tags: ReadTag[] = [];
  let p = dataOffset + 4;
  while (p < file.length) {
    if (p + 11 > file.length) throw new Error(`truncated tag header at ${p}`);
    const type = file[p]! & 0x1f;
    const size = file.readUIntBE(p + 1, 3);
    const timestamp = (file.readUIntBE(p + 4, 3) | (file[p + 7]! << 24)) >>> 0;
    if (file.readUIntBE(p + 8, 3) !== 0) throw new Error(`StreamID not 0 at ${p}`);
    const end = p + 11 + size;
    if (end + 4 > file.length) throw new Error(`truncated tag at ${p}`);
    const prev = file.readUInt32BE(end);
    if (prev !== 11 + size) throw new Error(`PreviousTagSize ${prev} at ${end}, expected ${11 + size}`);
    tags.push({ type, timestamp, body: file.subarray(p + 11, end) });
    p = end + 4;
  }
  return { audio: (flags & 4) !== 0, video: (flags & 1) !== 0, tags };
}

/** AVC/enhanced video keyframe test on a raw tag body (FrameType 1 on a coded frame packet). */
export function isKeyVideoBody(body: Buffer): { config: boolean; key: boolean } {
  const b0 = body[0]!;
  const frameType = (b0 >> 4) & 7;
  if (b0 & 0x80) {
    const packetType = b0 & 0x0f;
    return { config: packetType === 0, key: (packetType === 1 || packetType === 3) && frameType === 1 };
  }
  return { config: body[1] === 0, key: body[1] === 1 && frameType === 1 };
}

/** The handler name of a script tag (AMF0 string first). */
export function scriptName(body: Buffer): string {
  if (body[0] !== 2) throw new Error(`script tag starts with AMF0 marker ${body[0]}`);
  return body.toString('latin1', 3, 3 + body.readUInt16BE(1));
}
