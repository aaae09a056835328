import {
  CHAT_HISTORY,
  CHAT_MAX_BUFFERED_BYTES,
  CHAT_MAX_CONNECTIONS_PER_ROOM,
  CHAT_MAX_MESSAGE_BYTES,
  CHAT_MAX_ROOMS,
  CHAT_RATE_BURST,
  CHAT_RATE_PER_SECOND,
  CHAT_VIEWERS_INTERVAL_MS,
} from './limits.js';
import { ChatIn, chatError, checkChat, type ChatOut, type ErrorOut, type ServerMessage } from './protocol.js';
import { TokenBucket } from './token-bucket.js';

/** The limits a hub enforces (defaults: the constants in limits.ts). */
export interface ChatLimits {
  maxConnectionsPerRoom: number;
  maxRooms: number;
  maxMessageBytes: number;
  history: number;
  rateBurst: number;
  ratePerSecond: number;
  maxBufferedBytes: number;
  viewersIntervalMs: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  maxConnectionsPerRoom: CHAT_MAX_CONNECTIONS_PER_ROOM,
  maxRooms: CHAT_MAX_ROOMS,
  maxMessageBytes: CHAT_MAX_MESSAGE_BYTES,
  history: CHAT_HISTORY,
  rateBurst: CHAT_RATE_BURST,
  ratePerSecond: CHAT_RATE_PER_SECOND,
  maxBufferedBytes: CHAT_MAX_BUFFERED_BYTES,
  viewersIntervalMs: CHAT_VIEWERS_INTERVAL_MS,
};

/** A connection as the hub sees it: the socket side is the plugin's business. */
export interface ChatPeer {
  /** Send one serialized message. */
  send(data: string): void;
  /** Bytes given to `send` and not yet written (WebSocket `bufferedAmount`). */
  bufferedBytes(): number;
}

/** Counters the hub adds to (the edge's chatMessages / chatRefused). */
export interface ChatCounters {
  chatMessages: number;
  chatRefused: number;
}

export interface ChatHubOptions {
  limits?: Partial<ChatLimits>;
  counters?: ChatCounters;
  /** Monotonic ms, for rate limiting and coalescing. */
  now?: () => number;
  /** Wall clock ms since the epoch, for message `ts`. */
  wallClock?: () => number;
}

/** One member of a room: a peer, its rate limiter, and what it was refused or missed. */
export class ChatMember {
  /** Messages not sent to this member because it was not reading fast enough. */
  dropped = 0;
  /** Messages this member sent that were refused. */
  refused = 0;
  private left = false;

  constructor(
    private readonly hub: ChatHub,
    readonly room: ChatRoom,
    readonly peer: ChatPeer,
    readonly bucket: TokenBucket,
  ) {}

  /** Handle one frame from this member: refuse it with an error message, or broadcast it. */
  receive(data: Buffer | string, isBinary: boolean): void {
    if (this.left) return;
    this.hub.receive(this, data, isBinary);
  }

  /** The member left (socket closed). Idempotent. */
  leave(): void {
    if (this.left) return;
    this.left = true;
    this.hub.leave(this);
  }

  /** Send one message to this member alone. */
  send(msg: ServerMessage): void {
    this.hub.deliver(this, JSON.stringify(msg));
  }
}

/** The chat of one stream (`app/stream`): members and the last messages. Exists while it has members. */
export class ChatRoom {
  readonly members = new Set<ChatMember>();
  /** The last `limits.history` chat messages, oldest first. */
  readonly history: ChatOut[] = [];
  viewersTimer: ReturnType<typeof setTimeout> | undefined;
  viewersSentAt = Number.NEGATIVE_INFINITY;
  viewersSent = -1;

  constructor(readonly key: string) {}
}

/**
 * All chat rooms. Pure room logic: peers are abstract, so tests drive it without sockets.
 * A room is created by its first member and deleted with its last one; rooms are independent
 * of the publisher (chat works before a stream starts and after it ends).
 */
export class ChatHub {
  readonly limits: ChatLimits;
  private readonly rooms = new Map<string, ChatRoom>();
  private readonly counters: ChatCounters;
  private readonly now: () => number;
  private readonly wallClock: () => number;
  private nextId = 1;

  constructor(opts: ChatHubOptions = {}) {
    this.limits = { ...DEFAULT_CHAT_LIMITS, ...opts.limits };
    this.counters = opts.counters ?? { chatMessages: 0, chatRefused: 0 };
    this.now = opts.now ?? (() => performance.now());
    this.wallClock = opts.wallClock ?? (() => Date.now());
  }

  /** Rooms open now. */
  get roomCount(): number {
    return this.rooms.size;
  }

  /** Members of the room `key` (0 when it does not exist). */
  memberCount(key: string): number {
    return this.rooms.get(key)?.members.size ?? 0;
  }

  /** The room `key`, if it exists. */
  room(key: string): ChatRoom | undefined {
    return this.rooms.get(key);
  }

  /**
   * Add a peer to the room `key` (created if needed). The new member gets the history
   * (`replay: true`) and the viewer count. Refused with an error when the room is full or
   * there are too many rooms; the caller then closes the connection.
   */
  join(key: string, peer: ChatPeer): ChatMember | ErrorOut {
    let room = this.rooms.get(key);
    if (!room) {
      if (this.rooms.size >= this.limits.maxRooms) {
        return chatError('too_many_rooms', `chat rooms (${this.rooms.size}) at the limit (${this.limits.maxRooms})`);
      }
      room = new ChatRoom(key);
      this.rooms.set(key, room);
    } else if (room.members.size >= this.limits.maxConnectionsPerRoom) {
      return chatError('room_full', `chat of ${key} has ${room.members.size} connections, the limit is ${this.limits.maxConnectionsPerRoom}`);
    }
    const member = new ChatMember(this, room, peer, new TokenBucket(this.limits.rateBurst, this.limits.ratePerSecond, this.now));
    room.members.add(member);
    for (const m of room.history) member.send({ ...m, replay: true });
    member.send({ type: 'viewers', count: room.members.size });
    this.viewersChanged(room);
    return member;
  }

  /** Broadcast a publisher caption to the room `key` (nobody hears it when the room is empty). */
  caption(key: string, text: string): void {
    const room = this.rooms.get(key);
    if (room) this.broadcast(room, { type: 'caption', text, ts: this.wallClock() });
  }

  /** Broadcast a system line (stream started / ended) to the room `key`. */
  system(key: string, text: string): void {
    const room = this.rooms.get(key);
    if (room) this.broadcast(room, { type: 'system', text });
  }

  /** Forget every room (the plugin closes the sockets). */
  close(): void {
    for (const room of this.rooms.values()) clearTimeout(room.viewersTimer);
    this.rooms.clear();
  }

  /** @internal A frame from `member`. Every frame spends a token, so floods of bad frames are limited too. */
  receive(member: ChatMember, data: Buffer | string, isBinary: boolean): void {
    if (!member.bucket.take()) {
      return this.refuse(
        member,
        chatError(
          'rate_limited',
          `too many messages: ${this.limits.rateBurst} at once, then ${this.limits.ratePerSecond} per second; wait ${member.bucket.waitMs()} ms`,
        ),
      );
    }
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (size > this.limits.maxMessageBytes) {
      return this.refuse(member, chatError('too_large', `message is ${size} bytes, the limit is ${this.limits.maxMessageBytes}`));
    }
    if (isBinary) return this.refuse(member, chatError('bad_message', 'binary frames are not chat messages; send JSON text'));
    let json: unknown;
    try {
      json = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
    } catch {
      return this.refuse(member, chatError('bad_json', 'message is not valid JSON'));
    }
    const parsed = ChatIn.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return this.refuse(member, chatError('bad_message', `expected {type:"chat", nick, text}; ${where}${issue?.message ?? 'invalid'}`));
    }
    const checked = checkChat(parsed.data);
    if ('type' in checked) return this.refuse(member, checked);
    const out: ChatOut = { type: 'chat', id: this.nextId++, nick: checked.nick, text: checked.text, ts: this.wallClock() };
    const room = member.room;
    room.history.push(out);
    if (room.history.length > this.limits.history) room.history.splice(0, room.history.length - this.limits.history);
    this.counters.chatMessages++;
    this.broadcast(room, out);
  }

  /** @internal */
  leave(member: ChatMember): void {
    const room = member.room;
    if (!room.members.delete(member)) return;
    if (room.members.size === 0) {
      clearTimeout(room.viewersTimer);
      if (this.rooms.get(room.key) === room) this.rooms.delete(room.key);
      return;
    }
    this.viewersChanged(room);
  }

  /** @internal Send to one member unless it is too far behind (then the message is dropped for it). */
  deliver(member: ChatMember, data: string): void {
    if (member.peer.bufferedBytes() > this.limits.maxBufferedBytes) {
      member.dropped++;
      return;
    }
    member.peer.send(data);
  }

  private refuse(member: ChatMember, err: ErrorOut): void {
    member.refused++;
    this.counters.chatRefused++;
    member.send(err);
  }

  private broadcast(room: ChatRoom, msg: ServerMessage): void {
    const data = JSON.stringify(msg);
    for (const m of room.members) this.deliver(m, data);
  }

  /** Broadcast the viewer count at most once per `viewersIntervalMs` (joins in a burst send one update). */
  private viewersChanged(room: ChatRoom): void {
    if (room.viewersTimer !== undefined) return;
    const wait = room.viewersSentAt + this.limits.viewersIntervalMs - this.now();
    if (wait <= 0) return this.sendViewers(room);
    room.viewersTimer = setTimeout(() => {
      room.viewersTimer = undefined;
      if (this.rooms.get(room.key) === room) this.sendViewers(room);
    }, wait);
    room.viewersTimer.unref?.();
  }

  private sendViewers(room: ChatRoom): void {
    room.viewersSentAt = this.now();
    const count = room.members.size;
    if (count === room.viewersSent) return;
    room.viewersSent = count;
    this.broadcast(room, { type: 'viewers', count });
  }
}
