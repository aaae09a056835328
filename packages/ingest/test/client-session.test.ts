/**
 * RtmpClientSession without a socket: bytes in from a scripted server (livegate's ServerHandshake,
 * then chunks built with encodeChunks), bytes out read back with a ChunkReader.
 */
import { describe, expect, it } from 'vitest';
import {
  ChunkReader,
  decodeAmf0All,
  MessageType,
  PeerBandwidthLimit,
  ServerHandshake,
  UserControlEvent,
  encodeAmf0,
  encodeChunks,
  parseUserControl,
  setChunkSizeMessage,
  setPeerBandwidthMessage,
  userControlMessage,
  windowAckSizeMessage,
  type RtmpMessage,
} from '../src/index.js';
import { RtmpClientSession, parseRtmpUrl, type ClientTransport } from '../src/client/index.js';

/** A client session wired to a scripted server: `feed` sends server messages, `sent` holds what the client wrote. */
async function connected() {
  const chunks: Buffer[] = [];
  const transport: ClientTransport = {
    write: (b) => (chunks.push(b), true),
    backlog: () => 0,
    drain: () => Promise.resolve(),
    pause: () => undefined,
    resume: () => undefined,
    end: () => undefined,
    destroy: () => undefined,
  };
  const client = new RtmpClientSession({ transport });
  const server = new ServerHandshake();
  const ready = client.start();
  const step = server.push(Buffer.concat(chunks.splice(0))); // C0+C1 → S0+S1+S2
  client.receive(Buffer.concat(step.out));
  server.push(Buffer.concat(chunks.splice(0))); // C2
  await ready;
  const sent: RtmpMessage[] = [];
  const reader = new ChunkReader({ onMessage: (m) => sent.push({ ...m, payload: Buffer.from(m.payload) }) });
  let serverChunkSize = 128;
  const feed = (m: RtmpMessage) => {
    client.receive(encodeChunks(m, serverChunkSize));
    if (m.typeId === MessageType.SetChunkSize) serverChunkSize = m.payload.readUInt32BE(0);
  };
  const flush = () => {
    reader.push(Buffer.concat(chunks.splice(0)));
    return sent.splice(0);
  };
  return { client, feed, flush };
}

const cmd = (streamId: number, ...values: Parameters<typeof encodeAmf0>): RtmpMessage => ({
  csid: 3,
  typeId: MessageType.CommandAmf0,
  streamId,
  timestamp: 0,
  payload: encodeAmf0(...values),
});

describe('RtmpClientSession (bytes in, bytes out)', () => {
  it('answers PingRequest with PingResponse carrying the same timestamp (RTMP 1.0 7.1.7)', async () => {
    const { feed, flush } = await connected();
    feed(userControlMessage(UserControlEvent.PingRequest, 123456));
    const [pong] = flush();
    expect(pong?.typeId).toBe(MessageType.UserControl);
    expect(parseUserControl(pong!.payload)).toMatchObject({ event: UserControlEvent.PingResponse, value: 123456 });
  });

  it('answers Set Peer Bandwidth with Window Acknowledgement Size once per new size (5.4.5)', async () => {
    const { feed, flush } = await connected();
    feed(setPeerBandwidthMessage(5000, PeerBandwidthLimit.Dynamic));
    feed(setPeerBandwidthMessage(5000, PeerBandwidthLimit.Dynamic));
    const out = flush();
    expect(out.map((m) => [m.typeId, m.payload.readUInt32BE(0)])).toEqual([[MessageType.WindowAckSize, 5000]]);
  });

  it('acknowledges every window of received bytes with the running byte count (5.4.3)', async () => {
    const { client, feed, flush } = await connected();
    feed(windowAckSizeMessage(1000));
    expect(flush()).toEqual([]);
    feed(setChunkSizeMessage(4096));
    feed({ csid: 5, typeId: MessageType.DataAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('onTextData', 'x'.repeat(1500)) });
    const acks = flush().filter((m) => m.typeId === MessageType.Acknowledgement);
    expect(acks.length).toBe(1);
    const handshake = 1 + 2 * 1536; // S0 + S1 + S2: counted in bytesIn, not in the acknowledged chunk stream
    expect(acks[0]!.payload.readUInt32BE(0)).toBe(client.bytesIn - handshake);
    expect(client.bytesIn - handshake).toBeGreaterThan(1500);
  });

  it('resolves call() on _result, rejects on _error with the status code, and rejects pending calls on close', async () => {
    const { client, feed, flush } = await connected();
    const ok = client.call('createStream', 0, null);
    const bad = client.call('connect', 0, { app: 'x' });
    const never = client.call('getStreamLength', 0, null, 'a');
    const [m1, m2] = flush();
    const txid = (m: RtmpMessage | undefined) => decodeAmf0All(m!.payload)[1];
    expect([txid(m1), txid(m2)]).toEqual([1, 2]);
    feed(cmd(0, '_result', 1, null, 7));
    feed(cmd(0, '_error', 2, null, { level: 'error', code: 'NetConnection.Connect.Rejected', description: 'no' }));
    await expect(ok).resolves.toEqual([null, 7]);
    await expect(bad).rejects.toMatchObject({ code: 'ERR_CLIENT_REFUSED', status: 'NetConnection.Connect.Rejected' });
    client.transportClosed();
    await expect(never).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
    expect(client.closed).toBe(true);
  });

  it('delivers played video through parseVideoTag and drops |RtmpSampleAccess', async () => {
    const { client, feed } = await connected();
    const got: unknown[] = [];
    client.on('media', (m) => got.push(m));
    feed({ csid: 5, typeId: MessageType.DataAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('|RtmpSampleAccess', true, true) });
    const body = Buffer.from([0x90, 0x68, 0x76, 0x63, 0x31, 1, 2, 3]); // ex header, key, SequenceStart, 'hvc1', record bytes
    feed({ csid: 6, typeId: MessageType.Video, streamId: 1, timestamp: 40, payload: body });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ kind: 'video', codec: 'hevc', fourcc: 'hvc1', packet: 'config', dts: 40 });
  });
});

describe('parseRtmpUrl', () => {
  it.each([
    ['rtmp://127.0.0.1/live', { secure: false, host: '127.0.0.1', port: 1935, app: 'live', tcUrl: 'rtmp://127.0.0.1:1935/live' }],
    ['rtmp://example.com:1936/live/', { secure: false, host: 'example.com', port: 1936, app: 'live', tcUrl: 'rtmp://example.com:1936/live' }],
    ['rtmps://example.com/live?key=a', { secure: true, host: 'example.com', port: 443, app: 'live?key=a', tcUrl: 'rtmps://example.com:443/live?key=a' }],
    ['rtmp://[::1]:1935/app/inst', { secure: false, host: '::1', port: 1935, app: 'app/inst', tcUrl: 'rtmp://[::1]:1935/app/inst' }],
  ])('%s', (url, target) => {
    expect(parseRtmpUrl(url)).toEqual(target);
  });

  it.each(['http://example.com/live', 'rtmp://example.com/', 'rtmp://example.com/%zz', 'not a url'])('refuses %s', (url) => {
    expect(() => parseRtmpUrl(url)).toThrow(expect.objectContaining({ code: 'ERR_CLIENT_REFUSED' }));
  });
});
