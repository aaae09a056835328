import { describe, expect, it } from 'vitest';
import { encodeChunks } from '../src/chunk/index.js';
import {
  PeerBandwidthLimit,
  UserControlEvent,
  abortMessage,
  acknowledgementMessage,
  parseAbort,
  parseAcknowledgement,
  parseSetChunkSize,
  parseSetPeerBandwidth,
  parseUserControl,
  parseWindowAckSize,
  setChunkSizeMessage,
  setPeerBandwidthMessage,
  userControlMessage,
  windowAckSizeMessage,
} from '../src/message/control.js';
import { MessageType, isProtocolControl } from '../src/message/types.js';

describe('message type ids (spec 5.4, 7.1)', () => {
  it('match the spec', () => {
    expect(MessageType).toEqual({
      SetChunkSize: 1,
      Abort: 2,
      Acknowledgement: 3,
      UserControl: 4,
      WindowAckSize: 5,
      SetPeerBandwidth: 6,
      Audio: 8,
      Video: 9,
      DataAmf3: 15,
      SharedObjectAmf3: 16,
      CommandAmf3: 17,
      DataAmf0: 18,
      SharedObjectAmf0: 19,
      CommandAmf0: 20,
      Aggregate: 22,
    });
    expect([0, 1, 6, 7, 8].map(isProtocolControl)).toEqual([false, true, true, false, false]);
  });
});

describe('protocol control messages (spec 5.4)', () => {
  it('golden: Set Chunk Size 4096 on the wire', () => {
    expect(encodeChunks(setChunkSizeMessage(4096), 128).toString('hex')).toBe(
      '02' + '000000' + '000004' + '01' + '00000000' + '00001000',
    );
  });

  it.each([
    ['Set Chunk Size', setChunkSizeMessage(4096), 1, '00001000', parseSetChunkSize, 4096],
    ['Abort', abortMessage(5), 2, '00000005', parseAbort, 5],
    ['Acknowledgement', acknowledgementMessage(2 ** 32 + 7), 3, '00000007', parseAcknowledgement, 7],
    ['Window Acknowledgement Size', windowAckSizeMessage(2_500_000), 5, '002625a0', parseWindowAckSize, 2_500_000],
  ] as const)('%s: builds and parses', (_name, msg, typeId, hex, parse, value) => {
    expect(msg).toMatchObject({ csid: 2, typeId, streamId: 0, timestamp: 0 });
    expect(msg.payload.toString('hex')).toBe(hex);
    expect(parse(msg.payload)).toBe(value);
  });

  it('Set Peer Bandwidth: builds and parses', () => {
    const msg = setPeerBandwidthMessage(2_500_000, PeerBandwidthLimit.Dynamic);
    expect(msg.typeId).toBe(6);
    expect(msg.payload.toString('hex')).toBe('002625a002');
    expect(parseSetPeerBandwidth(msg.payload)).toEqual({ size: 2_500_000, limitType: 2 });
  });

  it('refuses short payloads, naming the size', () => {
    expect(() => parseAbort(Buffer.alloc(3))).toThrow(
      expect.objectContaining({ code: 'ERR_RTMP_BAD_MESSAGE', message: 'Abort payload is 3 bytes, expected at least 4' }),
    );
    expect(() => parseSetPeerBandwidth(Buffer.alloc(4))).toThrow(expect.objectContaining({ code: 'ERR_RTMP_BAD_MESSAGE' }));
    expect(() => parseSetChunkSize(Buffer.alloc(2))).toThrow(expect.objectContaining({ code: 'ERR_RTMP_CHUNK_SIZE' }));
    expect(() => setChunkSizeMessage(0)).toThrow(expect.objectContaining({ code: 'ERR_RTMP_CHUNK_SIZE' }));
  });
});

describe('user control messages (spec 6.2, 7.1.7)', () => {
  it('has the spec event type ids', () => {
    expect(UserControlEvent).toEqual({
      StreamBegin: 0,
      StreamEOF: 1,
      StreamDry: 2,
      SetBufferLength: 3,
      StreamIsRecorded: 4,
      PingRequest: 6,
      PingResponse: 7,
    });
  });

  it.each([
    ['StreamBegin', UserControlEvent.StreamBegin, 1, '000000000001'],
    ['StreamEOF', UserControlEvent.StreamEOF, 1, '000100000001'],
    ['StreamDry', UserControlEvent.StreamDry, 1, '000200000001'],
    ['StreamIsRecorded', UserControlEvent.StreamIsRecorded, 1, '000400000001'],
    ['PingRequest', UserControlEvent.PingRequest, 0xd0f, '000600000d0f'],
    ['PingResponse', UserControlEvent.PingResponse, 0xd0f, '000700000d0f'],
  ] as const)('%s: builds and parses', (_name, event, value, hex) => {
    const msg = userControlMessage(event, value);
    expect(msg).toMatchObject({ csid: 2, typeId: 4, streamId: 0, timestamp: 0 });
    expect(msg.payload.toString('hex')).toBe(hex);
    expect(parseUserControl(msg.payload)).toEqual({ event, value, bufferLengthMs: 0, data: msg.payload.subarray(2) });
  });

  it('SetBufferLength carries stream id and buffer length', () => {
    const msg = userControlMessage(UserControlEvent.SetBufferLength, 1, 3000);
    expect(msg.payload.toString('hex')).toBe('0003' + '00000001' + '00000bb8');
    expect(parseUserControl(msg.payload)).toMatchObject({ event: 3, value: 1, bufferLengthMs: 3000 });
  });

  it('passes unknown events through (e.g. 31 BufferEmpty from some servers, 26 with no data)', () => {
    expect(parseUserControl(Buffer.from('001f00000001', 'hex'))).toMatchObject({ event: 31, value: 1 });
    expect(parseUserControl(Buffer.from('001a', 'hex'))).toEqual({ event: 26, value: 0, bufferLengthMs: 0, data: Buffer.alloc(0) });
  });

  it('refuses a defined event with short data', () => {
    expect(() => parseUserControl(Buffer.from('0003000000010000', 'hex'))).toThrow(
      expect.objectContaining({ code: 'ERR_RTMP_BAD_MESSAGE', message: expect.stringMatching(/8 bytes, expected at least 10/) }),
    );
    expect(() => parseUserControl(Buffer.from('00', 'hex'))).toThrow(expect.objectContaining({ code: 'ERR_RTMP_BAD_MESSAGE' }));
  });
});
