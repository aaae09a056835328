/**
 * An independent MPEG-TS demuxer for tests (ISO/IEC 13818-1), written from the spec without
 * any muxer code: checks sync bytes, continuity counters, PSI CRCs; collects PCRs and PES packets.
 */

/** Bitwise CRC-32/MPEG-2 (no table), independent of src/mpegts/crc32.ts. */
export function crcBitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    for (let b = 7; b >= 0; b--) {
      const bit = ((crc >>> 31) ^ (byte >> b)) & 1;
      crc = ((crc << 1) >>> 0) ^ (bit ? 0x04c11db7 : 0);
      crc >>>= 0;
    }
  }
  return crc >>> 0;
}

export interface DemuxedPes {
  pid: number;
  streamId: number;
  pts: number;
  dts: number;
  pesPacketLength: number;
  data: Buffer;
  randomAccess: boolean;
  discontinuity: boolean;
  packetIndex: number;
}

export interface DemuxResult {
  packets: number;
  pids: number[];
  pmtPid: number | undefined;
  pcrPid: number | undefined;
  streams: { type: number; pid: number }[];
  pcrs: { pid: number; base: number; packetIndex: number }[];
  pes: DemuxedPes[];
  ccErrors: string[];
  crcErrors: string[];
}

function readTs(b: Buffer, o: number): number {
  return ((b[o]! >> 1) & 0x07) * 2 ** 30 + (b[o + 1]! << 22) + ((b[o + 2]! >> 1) << 15) + (b[o + 3]! << 7) + (b[o + 4]! >> 1);
}

/** Demuxes a whole segment. `cc` carries continuity counters across segments when given. */
export function demuxTs(buf: Buffer, cc: Map<number, number> = new Map()): DemuxResult {
  if (buf.length % 188 !== 0) throw new Error(`segment length ${buf.length} is not a multiple of 188`);
  const r: DemuxResult = { packets: 0, pids: [], pmtPid: undefined, pcrPid: undefined, streams: [], pcrs: [], pes: [], ccErrors: [], crcErrors: [] };
  const open = new Map<number, { parts: Buffer[]; ra: boolean; disc: boolean; index: number }>();
  const finishPes = (pid: number) => {
    const o = open.get(pid);
    if (!o) return;
    open.delete(pid);
    const d = Buffer.concat(o.parts);
    if (d[0] !== 0 || d[1] !== 0 || d[2] !== 1) throw new Error(`PID ${pid}: PES without start code`);
    const flags = d[7]!;
    const hdrLen = d[8]!;
    const pts = flags & 0x80 ? readTs(d, 9) : -1;
    const dts = flags & 0x40 ? readTs(d, 14) : pts;
    r.pes.push({ pid, streamId: d[3]!, pts, dts, pesPacketLength: d.readUInt16BE(4), data: d.subarray(9 + hdrLen), randomAccess: o.ra, discontinuity: o.disc, packetIndex: o.index });
  };
  for (let i = 0; i < buf.length; i += 188) {
    const p = buf.subarray(i, i + 188);
    const index = i / 188;
    r.packets++;
    if (p[0] !== 0x47) throw new Error(`packet ${index}: sync byte ${p[0]}`);
    const pusi = (p[1]! & 0x40) !== 0;
    const pid = ((p[1]! & 0x1f) << 8) | p[2]!;
    const afc = (p[3]! >> 4) & 3;
    const counter = p[3]! & 0x0f;
    r.pids.push(pid);
    if (afc & 1) {
      const prev = cc.get(pid);
      if (prev !== undefined && ((prev + 1) & 0x0f) !== counter) r.ccErrors.push(`PID ${pid} packet ${index}: cc ${counter} after ${prev}`);
      cc.set(pid, counter);
    }
    let off = 4;
    let ra = false;
    let disc = false;
    if (afc & 2) {
      const len = p[4]!;
      if (len > 0) {
        const f = p[5]!;
        ra = (f & 0x40) !== 0;
        disc = (f & 0x80) !== 0;
        if (f & 0x10) {
          const base = p[6]! * 2 ** 25 + (p[7]! << 17) + (p[8]! << 9) + (p[9]! << 1) + (p[10]! >> 7);
          r.pcrs.push({ pid, base, packetIndex: index });
        }
        for (let k = 6 + (f & 0x10 ? 6 : 0); k < 5 + len; k++) if (p[k] !== 0xff) throw new Error(`packet ${index}: stuffing byte ${p[k]}`);
      }
      off = 5 + len;
    }
    if (!(afc & 1)) continue;
    const payload = p.subarray(off);
    if (pid === 0 || pid === r.pmtPid) {
      const sec = payload.subarray(1 + payload[0]!);
      const slen = ((sec[1]! & 0x0f) << 8) | sec[2]!;
      const whole = sec.subarray(0, 3 + slen);
      if (crcBitwise(whole.subarray(0, whole.length - 4)) !== whole.readUInt32BE(whole.length - 4)) r.crcErrors.push(`PID ${pid}: CRC`);
      if (pid === 0) r.pmtPid = ((sec[10]! & 0x1f) << 8) | sec[11]!;
      else {
        r.pcrPid = ((sec[8]! & 0x1f) << 8) | sec[9]!;
        const infoLen = ((sec[10]! & 0x0f) << 8) | sec[11]!;
        r.streams = [];
        for (let k = 12 + infoLen; k < whole.length - 4; ) {
          r.streams.push({ type: sec[k]!, pid: ((sec[k + 1]! & 0x1f) << 8) | sec[k + 2]! });
          k += 5 + (((sec[k + 3]! & 0x0f) << 8) | sec[k + 4]!);
        }
      }
      continue;
    }
    if (pusi) {
      finishPes(pid);
      open.set(pid, { parts: [], ra, disc, index });
    }
    open.get(pid)?.parts.push(Buffer.from(payload));
  }
  for (const pid of [...open.keys()]) finishPes(pid);
  return r;
}
