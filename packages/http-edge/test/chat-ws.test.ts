/**
 * The chat over real WebSockets (`ws` clients) against a running gateway on 127.0.0.1:
 * limits answered with error messages while others keep chatting, history capped at 50,
 * live viewer counts, publisher captions, room limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import type { AddressInfo } from 'node:net';
import { amfObject, encodeAmf0, RtmpClient, StreamBus, type DataMessage } from '@livegate/ingest';
import { loadConfig } from '../src/config/index.js';
import { startGateway, type Gateway } from '../src/gateway.js';
import { createLogger } from '../src/logger.js';
import { chatPlugin } from '../src/plugins/chat.js';
import { newEdgeCounters } from '../src/counters.js';
import type { EdgeContext } from '../src/context.js';

type Msg = Record<string, unknown> & { type: string };

/** A chat client that records every message and can wait for one. */
class Client {
  readonly got: Msg[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.got.push(JSON.parse(d.toString()) as Msg);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    const c = new Client(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return c;
  }
  chat(nick: string, text: string): void {
    this.ws.send(JSON.stringify({ type: 'chat', nick, text }));
  }
  of(type: string): Msg[] {
    return this.got.filter((m) => m.type === type);
  }
  /** Wait until `pred` holds over what was received (5 s at most). */
  async until(pred: (got: Msg[]) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred(this.got)) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.got.slice(-5))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
  close(): void {
    this.ws.close();
  }
}

const lastChat = (c: Client) => c.of('chat').at(-1);

describe('chat over WebSocket (gateway on 127.0.0.1)', () => {
  let gw: Gateway;
  let base: string;
  const clients: Client[] = [];
  const open = async (room = 'live/room') => {
    const c = await Client.open(`${base}/${room}/chat`);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const config = loadConfig(['--host', '127.0.0.1', '--rtmp-port', '0', '--http-port', '0']);
    gw = await startGateway({ config, logger: createLogger('silent') });
    base = `ws://127.0.0.1:${gw.addresses.http.port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await gw?.close();
  });

  it('relays chat between clients, with viewer counts as people come and go', async () => {
    const a = await open('live/counts');
    await a.until((g) => g.some((m) => m.type === 'viewers' && m.count === 1), 'count 1');
    const b = await open('live/counts');
    await a.until((g) => g.some((m) => m.type === 'viewers' && m.count === 2), 'count 2 for a');
    b.chat('bob', 'hi all');
    await a.until((g) => g.some((m) => m.type === 'chat' && m.text === 'hi all'), 'bob’s message');
    expect(lastChat(a)).toMatchObject({ type: 'chat', nick: 'bob', text: 'hi all', id: expect.any(Number), ts: expect.any(Number) });
    b.close();
    await a.until((g) => g.at(-1)?.type === 'viewers' && g.at(-1)?.count === 1, 'count back to 1');
    expect(gw.ctx.counters.chatMessages).toBeGreaterThanOrEqual(1);
  });

  it('refuses over-long text and floods with an error; the others keep chatting', async () => {
    const flooder = await open();
    const calm = await open();
    flooder.chat('f', 'x'.repeat(201));
    await flooder.until((g) => g.some((m) => m.type === 'error'), 'the too-long error');
    expect(flooder.of('error')[0]).toMatchObject({ code: 'text_too_long', message: 'message is 201 characters, the limit is 200' });
    for (let i = 0; i < 10; i++) flooder.chat('f', `flood ${i}`);
    await flooder.until((g) => g.filter((m) => m.type === 'error' && m.code === 'rate_limited').length >= 6, 'rate-limit errors');
    calm.chat('calm', 'still talking');
    await flooder.until((g) => g.some((m) => m.type === 'chat' && m.text === 'still talking'), 'the calm message at the flooder');
    await calm.until((g) => g.some((m) => m.text === 'still talking'), 'its own echo');
    // Burst of 5 tokens: the over-long message took one, so 4 of the flood got through.
    expect(calm.of('chat').filter((m) => String(m.text).startsWith('flood')).map((m) => m.text)).toEqual(['flood 0', 'flood 1', 'flood 2', 'flood 3']);
    expect(calm.of('error')).toEqual([]);
    expect(flooder.closed).toBeUndefined();
    expect(gw.ctx.counters.chatRefused).toBeGreaterThanOrEqual(7);
  });

  it('answers bad JSON, wrong shapes and oversized frames with an error and keeps the connection', async () => {
    const c = await open('live/bad');
    const other = await open('live/bad');
    c.ws.send('{"type":"chat", nick: nope');
    await c.until((g) => g.some((m) => m.type === 'error' && m.code === 'bad_json'), 'bad_json');
    c.ws.send(JSON.stringify({ type: 'chat', nick: 'n' }));
    await c.until((g) => g.some((m) => m.type === 'error' && m.code === 'bad_message'), 'bad_message');
    c.ws.send(JSON.stringify({ type: 'chat', nick: 'n', text: 'y'.repeat(5000) }));
    await c.until((g) => g.some((m) => m.type === 'error' && m.code === 'too_large'), 'too_large');
    c.chat('n', 'valid after all that');
    await other.until((g) => g.some((m) => m.text === 'valid after all that'), 'the valid message');
    expect(c.closed).toBeUndefined();
    // A frame past the WebSocket server's maxPayload (64 KiB) closes that connection only (1009).
    c.ws.send('z'.repeat(70 * 1024));
    await c.until(() => c.closed !== undefined, 'the close');
    expect(c.closed?.code).toBe(1009);
    other.chat('o', 'unaffected');
    await other.until((g) => g.some((m) => m.text === 'unaffected'), 'other unaffected');
  });

  it('replays at most the last 50 messages to a new joiner', async () => {
    // 12 senders x 5 (their burst) = 60 messages, fast.
    const senders = await Promise.all(Array.from({ length: 12 }, () => open('live/history')));
    const watcher = senders[0]!;
    for (let s = 0; s < senders.length; s++) {
      for (let i = 0; i < 5; i++) senders[s]!.chat(`s${s}`, `m${s * 5 + i}`);
      await watcher.until((g) => g.filter((m) => m.type === 'chat').length >= (s + 1) * 5, `messages of sender ${s}`);
    }
    const late = await open('live/history');
    await late.until((g) => g.some((m) => m.type === 'viewers'), 'the count after the history');
    const replay = late.of('chat');
    expect(replay).toHaveLength(50);
    expect(replay.every((m) => m.replay === true)).toBe(true);
    expect(replay[0]!.text).toBe('m10');
    expect(replay.at(-1)!.text).toBe('m59');
    expect(late.got.find((m) => m.type === 'viewers')).toEqual({ type: 'viewers', count: 13 });
  });

  it('is open before the stream is live and after it ends; publisher captions reach the room', async () => {
    const c = await open('live/cap');
    const stream = gw.ctx.bus.publish('live', 'cap', { id: 'test-pub', protocol: 'rtmp', remoteAddress: '127.0.0.1:1' }, () => {});
    await c.until((g) => g.some((m) => m.type === 'system' && m.text === 'live/cap is live'), 'the live notice');
    const text: DataMessage = { kind: 'data', dts: 40, pts: 40, name: 'onTextData', args: [Object.assign(Object.create(null), { text: 'Hello from OBS' })], body: Buffer.alloc(0) };
    const cue: DataMessage = { kind: 'data', dts: 80, pts: 80, name: 'onCuePoint', args: [Object.assign(Object.create(null), { name: 'cue', parameters: Object.assign(Object.create(null), { text: 'Goal!' }) })], body: Buffer.alloc(0) };
    stream.push(text);
    stream.push(cue);
    await c.until((g) => g.filter((m) => m.type === 'caption').length === 2, 'two captions');
    expect(c.of('caption').map((m) => m.text)).toEqual(['Hello from OBS', 'Goal!']);
    gw.ctx.bus.unpublish(stream);
    await c.until((g) => g.some((m) => m.type === 'system' && m.text === 'live/cap ended'), 'the end notice');
    c.chat('n', 'chat goes on');
    await c.until((g) => g.some((m) => m.text === 'chat goes on'), 'chat after the end');
  });

  it('captions sent by a real RTMP publisher (onTextData, @setDataFrame onCuePoint) reach the room', async () => {
    const c = await open('live/rtmpcap');
    const pub = await RtmpClient.connect(`rtmp://127.0.0.1:${gw.addresses.rtmp.port}/live`);
    try {
      await pub.publish('rtmpcap');
      await c.until((g) => g.some((m) => m.type === 'system' && m.text === 'live/rtmpcap is live'), 'the live notice');
      pub.sendData(encodeAmf0('onTextData', amfObject({ text: 'subtitle line <b>1</b>', language: 'eng' })), 0);
      pub.sendData(encodeAmf0('@setDataFrame', 'onCuePoint', amfObject({ name: 'kickoff', time: 1, type: 'event', parameters: amfObject({ text: 'Kick-off!' }) })), 40);
      pub.sendData(encodeAmf0('onCuePoint', amfObject({ name: 'halftime', time: 2, type: 'navigation' })), 80);
      await c.until((g) => g.filter((m) => m.type === 'caption').length === 3, 'three captions');
      expect(c.of('caption').map((m) => m.text)).toEqual(['subtitle line <b>1</b>', 'Kick-off!', 'halftime']);
    } finally {
      await pub.close();
    }
    await c.until((g) => g.some((m) => m.type === 'system' && m.text === 'live/rtmpcap ended'), 'the end notice');
  });

  it('a plain GET on the chat path is a 404, not a crash', async () => {
    const res = await fetch(`http://127.0.0.1:${gw.addresses.http.port}/live/room/chat`);
    expect(res.status).toBe(404);
  });
});

describe('chat room limits (plugin with lowered limits)', () => {
  it('refuses a connection past the per-room limit with an error and close code 4503', async () => {
    const ctx = {
      config: loadConfig([]),
      bus: new StreamBus(),
      counters: newEdgeCounters(),
      logger: createLogger('silent'),
    } as unknown as EdgeContext;
    const app = Fastify();
    await app.register(websocket);
    await app.register(chatPlugin, { ...ctx, chatLimits: { maxConnectionsPerRoom: 2 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/live/full/chat`;
    try {
      const a = await Client.open(url);
      const b = await Client.open(url);
      const c = await Client.open(url);
      await c.until(() => c.closed !== undefined, 'the refusal');
      expect(c.of('error')[0]).toMatchObject({ code: 'room_full', message: 'chat of live/full has 2 connections, the limit is 2' });
      expect(c.closed?.code).toBe(4503);
      expect(ctx.counters.chatRefused).toBe(1);
      a.chat('a', 'room still works');
      await b.until((g) => g.some((m) => m.text === 'room still works'), 'the message');
      a.close();
      b.close();
    } finally {
      await app.close();
    }
  });
});
