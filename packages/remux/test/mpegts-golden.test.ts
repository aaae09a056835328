import { describe, expect, it } from 'vitest';
import {
  crc32Mpeg2, encodePatSection, encodePmtSection, msToPts90, PacketSink, TsMuxer, writePcr, writePesHeader,
  STREAM_TYPE_AAC_ADTS, STREAM_TYPE_H264, STREAM_TYPE_MPEG1_AUDIO,
} from '../src/mpegts/index.js';
import { crcBitwise, demuxTs } from './mpegts-test-demuxer.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('PSI golden vectors (ISO/IEC 13818-1 2.4.4; bytes identical to ffmpeg 5.1 mpegts output)', () => {
  it('PAT: ts id 1, program 1 → PMT PID 0x1000, CRC 2AB104B2', () => {
    const pat = encodePatSection(1, 1, 0x1000);
    // table_id 00 | 1011 + length 13 | ts_id 0001 | C1 v0 current | sec 0/0 | program 0001 | 111 + PID 1000 | CRC
    expect(hex(pat)).toBe('00b00d0001c100000001f0002ab104b2');
    expect(crc32Mpeg2(pat, 0, 12)).toBe(0x2ab104b2);
    expect(crcBitwise(pat.subarray(0, 12))).toBe(0x2ab104b2);
    expect(crc32Mpeg2(pat)).toBe(0); // CRC over the section including its CRC is 0 (Annex A)
  });
  it('PMT: PCR PID 0x100, H.264 on 0x100, ADTS AAC on 0x101, CRC 2F44B99B', () => {
    const pmt = encodePmtSection(1, 0x100, [{ streamType: STREAM_TYPE_H264, pid: 0x100 }, { streamType: STREAM_TYPE_AAC_ADTS, pid: 0x101 }]);
    expect(hex(pmt)).toBe('02b0170001c10000e100f0001be100f0000fe101f0002f44b99b');
  });
});

describe('PES header and PCR (2.4.3.6, 2.4.3.7, 2.4.3.5)', () => {
  it('video PES with PTS 133200 and DTS 126000 (1480 / 1400 ms), unbounded length', () => {
    const b = new Uint8Array(19);
    writePesHeader(b, 0, 0xe0, 0, 133200, 126000);
    // 000001 E0 | length 0000 | 84 = '10' + data_alignment | C0 = PTS+DTS | 0A header bytes | '0011' PTS | '0001' DTS
    // ffmpeg 5.1 writes the same bytes except 80 for the data_alignment byte
    expect(hex(b)).toBe('000001e0000084c00a31000910a1110007d861');
  });
  it('audio PES with PTS only and a 33-bit timestamp (bit 32 set)', () => {
    const b = new Uint8Array(14);
    writePesHeader(b, 0, 0xc0, 0x123, 2 ** 32 + 1, undefined);
    expect(hex(b)).toBe('000001c0012384800529000100' + '03');
  });
  it('ms → 90 kHz with the 1.4 s offset, wrapping at 2^33', () => {
    expect(msToPts90(0)).toBe(126000);
    expect(msToPts90(40)).toBe(129600);
    expect(msToPts90(2 ** 33 / 90 - 1400)).toBe(0);
  });
  it('PCR 63000 (0.7 s): base 33 bits, 6 reserved ones, extension 0 — as ffmpeg writes it', () => {
    const b = new Uint8Array(6);
    writePcr(b, 0, 63000);
    expect(hex(b)).toBe('00007b0c7e00');
  });
});

describe('packet sink', () => {
  it('grows across chunks and concatenates once', () => {
    const s = new PacketSink();
    for (let i = 0; i < 500; i++) {
      const off = s.alloc();
      s.buffer.fill(i & 0xff, off, off + 188);
    }
    const out = s.finish();
    expect(out.length).toBe(500 * 188);
    for (let i = 0; i < 500; i++) expect(out[i * 188 + 100]).toBe(i & 0xff);
    expect(s.size).toBe(0);
  });
});

describe('TsMuxer packetization', () => {
  it('audio-only: PCR on the audio PID, 5 ADTS frames per PES, last packet stuffed', () => {
    const m = new TsMuxer({ audio: STREAM_TYPE_AAC_ADTS });
    m.beginSegment();
    const adts = { profile: 1, sampleRateIndex: 4, channelConfig: 2 };
    for (let i = 0; i < 12; i++) m.writeAac(Buffer.alloc(300, i), Math.round((i * 1024 * 1000) / 44100), adts);
    const d = demuxTs(m.endSegment());
    expect(d.pcrPid).toBe(0x101);
    expect(d.streams).toEqual([{ type: 0x0f, pid: 0x101 }]);
    expect(d.ccErrors).toEqual([]);
    expect(d.pes.map((p) => p.data.length)).toEqual([5 * 307, 5 * 307, 2 * 307]);
    expect(d.pes.map((p) => p.pts - 126000)).toEqual([0, 9 * 1161, 18 * 1161].map((x) => Math.round(x / 90) * 90));
    expect(d.pcrs.length).toBe(3);
    for (const p of d.pes) expect([...p.data.subarray(0, 2)]).toEqual([0xff, 0xf1]);
  });
  it('MPEG-1 audio stream type 0x03 and a video PES split into many packets with consecutive counters', () => {
    const m = new TsMuxer({ video: STREAM_TYPE_H264, audio: STREAM_TYPE_MPEG1_AUDIO });
    const cc = new Map<number, number>();
    for (let seg = 0; seg < 3; seg++) {
      m.beginSegment(seg === 2);
      for (let f = 0; f < 20; f++) m.writeVideo({ parts: [Buffer.alloc(1000 + f * 37, 1)], size: 1000 + f * 37 }, seg * 800 + f * 40 + 80, seg * 800 + f * 40, f === 0);
      const d = demuxTs(m.endSegment(), cc);
      expect(d.ccErrors).toEqual([]);
      expect(d.streams.map((s) => s.type)).toEqual([0x1b, 0x03]);
      expect(d.pes.map((p) => p.data.length)).toEqual(Array.from({ length: 20 }, (_, f) => 1000 + f * 37));
      expect(d.pes[0]!.randomAccess).toBe(true);
      expect(d.pes.slice(1).some((p) => p.randomAccess)).toBe(false);
    }
  });
});
