import { describe, expect, it } from 'vitest';
import type { DataMessage } from '@livegate/ingest';
import { CaptionSink, captionText } from '../src/chat/caption-sink.js';
import { ChatHub, type ChatMember, type ChatPeer } from '../src/chat/chat-hub.js';
import { CHAT_HISTORY, CHAT_MAX_TEXT } from '../src/chat/limits.js';
import { checkChat, cleanLine } from '../src/chat/protocol.js';
import { TokenBucket } from '../src/chat/token-bucket.js';

/** A peer that records what it was sent (parsed). */
function peer(buffered = 0): ChatPeer & { got: Array<Record<string, unknown>>; buffered: number } {
  const p = {
    got: [] as Array<Record<string, unknown>>,
    buffered,
    send(data: string) {
      p.got.push(JSON.parse(data) as Record<string, unknown>);
    },
    bufferedBytes: () => p.buffered,
  };
  return p;
}

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const chat = (nick: string, text: string) => JSON.stringify({ type: 'chat', nick, text });

function joined(hub: ChatHub, key: string, p: ChatPeer): ChatMember {
  const m = hub.join(key, p);
  if ('type' in m) throw new Error(`join refused: ${m.message}`);
  return m;
}

describe('chat input cleaning and limits', () => {
  const table: Array<{ name: string; nick: string; text: string; want: { nick: string; text: string } | string }> = [
    { name: 'plain', nick: 'ann', text: 'hello', want: { nick: 'ann', text: 'hello' } },
    { name: 'nick trimmed', nick: '  ann  ', text: 'hi', want: { nick: 'ann', text: 'hi' } },
    { name: 'controls stripped', nick: 'a\u0000n\u0007n', text: 'x\u001by\u007f', want: { nick: 'ann', text: 'xy' } },
    { name: 'line breaks become spaces', nick: 'ann', text: 'one\r\ntwo\tthree', want: { nick: 'ann', text: 'one two three' } },
    { name: 'bidi overrides stripped (Trojan Source)', nick: 'ann\u202e', text: '\u2066abc\u2069', want: { nick: 'ann', text: 'abc' } },
    { name: 'HTML is just text', nick: 'ann', text: '<img src=x onerror=alert(1)>', want: { nick: 'ann', text: '<img src=x onerror=alert(1)>' } },
    { name: 'empty nick', nick: ' \u0000 ', text: 'hi', want: 'nick_empty' },
    { name: 'nick of 33', nick: 'n'.repeat(33), text: 'hi', want: 'nick_too_long' },
    { name: 'nick of 32 emoji (code points, not UTF-16 units)', nick: '😀'.repeat(32), text: 'hi', want: { nick: '😀'.repeat(32), text: 'hi' } },
    { name: 'empty text', nick: 'ann', text: '   ', want: 'text_empty' },
    { name: 'text of 200', nick: 'ann', text: 't'.repeat(CHAT_MAX_TEXT), want: { nick: 'ann', text: 't'.repeat(CHAT_MAX_TEXT) } },
    { name: 'text of 201', nick: 'ann', text: 't'.repeat(CHAT_MAX_TEXT + 1), want: 'text_too_long' },
  ];
  for (const c of table) {
    it(c.name, () => {
      const r = checkChat({ type: 'chat', nick: c.nick, text: c.text });
      if (typeof c.want === 'string') expect(r).toMatchObject({ type: 'error', code: c.want });
      else expect(r).toEqual(c.want);
    });
  }

  it('says the value and the limit', () => {
    expect(checkChat({ type: 'chat', nick: 'a', text: 'x'.repeat(250) })).toMatchObject({ message: 'message is 250 characters, the limit is 200' });
  });

  it('cleanLine keeps emoji joiners', () => {
    expect(cleanLine('👩‍👩‍👧')).toBe('👩‍👩‍👧');
  });
});

describe('TokenBucket', () => {
  it('allows a burst of 5 then 1 per second', () => {
    const c = clock();
    const b = new TokenBucket(5, 1, c.now);
    expect([1, 2, 3, 4, 5, 6].map(() => b.take())).toEqual([true, true, true, true, true, false]);
    expect(b.waitMs()).toBe(1000);
    c.advance(999);
    expect(b.take()).toBe(false);
    c.advance(1);
    expect(b.take()).toBe(true);
    c.advance(60_000); // refills to the burst, not beyond
    expect([1, 2, 3, 4, 5, 6].map(() => b.take())).toEqual([true, true, true, true, true, false]);
  });
});

describe('ChatHub', () => {
  it('broadcasts a chat message to every member of the room, not to other rooms', () => {
    const hub = new ChatHub();
    const a = peer();
    const b = peer();
    const other = peer();
    const ma = joined(hub, 'live/a', a);
    joined(hub, 'live/a', b);
    joined(hub, 'live/b', other);
    ma.receive(chat('ann', 'hello'), false);
    const msg = { type: 'chat', nick: 'ann', text: 'hello' };
    expect(a.got.filter((m) => m.type === 'chat')).toEqual([expect.objectContaining(msg)]);
    expect(b.got.filter((m) => m.type === 'chat')).toEqual([expect.objectContaining(msg)]);
    expect(other.got.filter((m) => m.type === 'chat')).toEqual([]);
    const got = b.got.find((m) => m.type === 'chat')!;
    expect(typeof got.id).toBe('number');
    expect(typeof got.ts).toBe('number');
  });

  it('refuses bad frames with an error to the sender only, and counts them', () => {
    const counters = { chatMessages: 0, chatRefused: 0 };
    const c = clock();
    const hub = new ChatHub({ counters, now: c.now });
    const a = peer();
    const b = peer();
    const ma = joined(hub, 'k/s', a);
    joined(hub, 'k/s', b);
    const cases: Array<[Buffer | string, boolean, string]> = [
      ['{not json', false, 'bad_json'],
      [JSON.stringify({ type: 'hello' }), false, 'bad_message'],
      [JSON.stringify({ type: 'chat', nick: 1, text: 'x' }), false, 'bad_message'],
      [Buffer.from(chat('ann', 'hi')), true, 'bad_message'],
      ['x'.repeat(4097), false, 'too_large'],
    ];
    for (const [data, binary, code] of cases) {
      c.advance(1000);
      ma.receive(data, binary);
      expect(a.got.at(-1)).toMatchObject({ type: 'error', code });
    }
    expect(b.got.some((m) => m.type === 'error')).toBe(false);
    expect(counters).toEqual({ chatMessages: 0, chatRefused: cases.length });
    c.advance(1000);
    ma.receive(chat('ann', 'still here'), false);
    expect(b.got.at(-1)).toMatchObject({ type: 'chat', text: 'still here' });
    expect(counters.chatMessages).toBe(1);
  });

  it('rate-limits each connection on its own: burst 5, then 1 per second', () => {
    const c = clock();
    const hub = new ChatHub({ now: c.now });
    const a = peer();
    const b = peer();
    const ma = joined(hub, 'k/s', a);
    const mb = joined(hub, 'k/s', b);
    for (let i = 0; i < 8; i++) ma.receive(chat('flood', `m${i}`), false);
    expect(b.got.filter((m) => m.type === 'chat').map((m) => m.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    const errors = a.got.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatchObject({ code: 'rate_limited' });
    expect(String(errors[0]!.message)).toContain('wait 1000 ms');
    mb.receive(chat('calm', 'unaffected'), false);
    expect(a.got.at(-1)).toMatchObject({ type: 'chat', text: 'unaffected' });
    c.advance(1000);
    ma.receive(chat('flood', 'after a second'), false);
    expect(b.got.at(-1)).toMatchObject({ type: 'chat', text: 'after a second' });
  });

  it(`replays the last ${CHAT_HISTORY} messages to a new joiner, marked replay`, () => {
    const c = clock();
    const hub = new ChatHub({ now: c.now });
    const first = joined(hub, 'k/s', peer());
    for (let i = 0; i < 60; i++) {
      c.advance(1000);
      first.receive(chat('ann', `m${i}`), false);
    }
    const late = peer();
    joined(hub, 'k/s', late);
    const replay = late.got.filter((m) => m.type === 'chat');
    expect(replay).toHaveLength(CHAT_HISTORY);
    expect(replay[0]).toMatchObject({ text: 'm10', replay: true });
    expect(replay.at(-1)).toMatchObject({ text: 'm59', replay: true });
    expect(late.got.at(-1)).toEqual({ type: 'viewers', count: 2 });
  });

  it('bounds connections per room and rooms; deletes a room with its last member (and its history)', () => {
    const hub = new ChatHub({ limits: { maxConnectionsPerRoom: 2, maxRooms: 2 } });
    const m1 = joined(hub, 'a/1', peer());
    joined(hub, 'a/1', peer());
    expect(hub.join('a/1', peer())).toMatchObject({ type: 'error', code: 'room_full', message: 'chat of a/1 has 2 connections, the limit is 2' });
    const m3 = joined(hub, 'a/2', peer());
    expect(hub.join('a/3', peer())).toMatchObject({ type: 'error', code: 'too_many_rooms' });
    m3.receive(chat('x', 'y'), false);
    m3.leave();
    m3.leave(); // idempotent
    expect(hub.roomCount).toBe(1);
    const again = peer();
    joined(hub, 'a/2', again);
    expect(again.got.filter((m) => m.type === 'chat')).toEqual([]); // new room, no history
    expect(hub.memberCount('a/1')).toBe(2);
    m1.leave();
    expect(hub.memberCount('a/1')).toBe(1);
  });

  it('drops messages for a member that is not reading (bounded buffer), others still get them', () => {
    const hub = new ChatHub();
    const slow = peer(1024 * 1024);
    const fast = peer();
    const ms = joined(hub, 'k/s', slow);
    const mf = joined(hub, 'k/s', fast);
    mf.receive(chat('a', 'b'), false);
    expect(fast.got.some((m) => m.type === 'chat')).toBe(true);
    expect(slow.got).toEqual([]);
    expect(ms.dropped).toBeGreaterThan(0);
  });

  it('coalesces viewer counts: a burst of joins sends one update after the interval', async () => {
    const hub = new ChatHub({ limits: { viewersIntervalMs: 30 } });
    const a = peer();
    joined(hub, 'k/s', a);
    for (let i = 0; i < 10; i++) joined(hub, 'k/s', peer());
    const counts = () => a.got.filter((m) => m.type === 'viewers').map((m) => m.count);
    expect(counts()).toEqual([1, 1]); // its own count at join, then the leading-edge broadcast
    await new Promise((r) => setTimeout(r, 60));
    expect(counts()).toEqual([1, 1, 11]);
  });

  it('sends captions and system lines to the room only when it exists', () => {
    const hub = new ChatHub();
    hub.caption('k/s', 'nobody hears this');
    const a = peer();
    joined(hub, 'k/s', a);
    hub.caption('k/s', 'hello viewers');
    hub.system('k/s', 'k/s is live');
    expect(a.got.slice(-2)).toEqual([{ type: 'caption', text: 'hello viewers', ts: expect.any(Number) }, { type: 'system', text: 'k/s is live' }]);
  });
});

describe('publisher captions', () => {
  const data = (name: string, ...args: unknown[]): DataMessage => ({ kind: 'data', dts: 0, pts: 0, name, args, body: Buffer.alloc(0) });
  const obj = (o: Record<string, unknown>) => Object.assign(Object.create(null) as Record<string, unknown>, o); // AMF decodes to null-prototype objects
  const table: Array<[string, DataMessage, string | undefined]> = [
    ['onTextData text', data('onTextData', obj({ text: 'Hello world', language: 'eng' })), 'Hello world'],
    ['onCuePoint parameters.text', data('onCuePoint', obj({ name: 'cue1', time: 1, type: 'event', parameters: obj({ text: 'Goal!' }) })), 'Goal!'],
    ['onCuePoint without text: its name', data('onCuePoint', obj({ name: 'halftime', time: 1, type: 'navigation' })), 'halftime'],
    ['onCuePoint with empty text: its name', data('onCuePoint', obj({ name: 'cue', parameters: obj({ text: '  ' }) })), 'cue'],
    ['onMetaData is not a caption', data('onMetaData', obj({ width: 640 })), undefined],
    ['onTextData without text', data('onTextData', obj({ language: 'eng' })), undefined],
    ['onTextData with a number', data('onTextData', obj({ text: 42 })), undefined],
    ['onTextData with no argument', data('onTextData'), undefined],
    ['long caption is cut to the limit', data('onTextData', obj({ text: 'c'.repeat(500) })), 'c'.repeat(CHAT_MAX_TEXT)],
    ['controls stripped', data('onTextData', obj({ text: 'a\nb\u0000c' })), 'a bc'],
  ];
  for (const [name, msg, want] of table) it(name, () => expect(captionText(msg)).toBe(want));

  it('the sink ignores media, never reports a backlog, and rate-limits a runaway publisher', () => {
    const got: string[] = [];
    const sink = new CaptionSink((t) => got.push(t), () => 0);
    expect(sink.backlog()).toBe(0);
    sink.write({ kind: 'audio', codec: 'aac', fourcc: undefined, packet: 'frame', dts: 0, pts: 0, soundRate: 44100, soundSize: 16, channels: 2, body: Buffer.alloc(4), payload: Buffer.alloc(2) });
    for (let i = 0; i < 30; i++) sink.write(data('onTextData', obj({ text: `t${i}` })));
    expect(got).toHaveLength(10);
    expect(sink.dropped).toBe(20);
  });
});
