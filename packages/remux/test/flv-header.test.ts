import { describe, expect, it } from 'vitest';
import { flvHeader } from '../src/flv/index.js';

describe('flvHeader (FLV 10.1 E.2)', () => {
  const table: { name: string; flags: { audio: boolean; video: boolean }; hex: string }[] = [
    // 'F' 'L' 'V' | version 1 | flags | DataOffset 9 | PreviousTagSize0
    { name: 'audio + video', flags: { audio: true, video: true }, hex: '464c56' + '01' + '05' + '00000009' + '00000000' },
    { name: 'video only', flags: { audio: false, video: true }, hex: '464c56' + '01' + '01' + '00000009' + '00000000' },
    { name: 'audio only', flags: { audio: true, video: false }, hex: '464c56' + '01' + '04' + '00000009' + '00000000' },
    { name: 'neither', flags: { audio: false, video: false }, hex: '464c56' + '01' + '00' + '00000009' + '00000000' },
  ];
  for (const t of table) {
    it(t.name, () => {
      expect(flvHeader(t.flags).toString('hex')).toBe(t.hex);
    });
  }
});
