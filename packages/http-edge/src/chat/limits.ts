/**
 * Chat limits. Each bounds something a viewer (or a publisher's captions) could otherwise
 * grow without end; the reason is next to the value.
 */

/** Longest chat text in characters (code points): a line of danmaku must fit across a phone screen in a few seconds. */
export const CHAT_MAX_TEXT = 200;
/** Longest nickname in characters, after trimming and stripping control characters. */
export const CHAT_MAX_NICK = 32;
/** Largest WebSocket message accepted, in bytes: a chat message with 200 4-byte characters and a nick fits well below. */
export const CHAT_MAX_MESSAGE_BYTES = 4 * 1024;
/** Token bucket per connection: up to 5 messages at once ... */
export const CHAT_RATE_BURST = 5;
/** ... then 1 message per second sustained. */
export const CHAT_RATE_PER_SECOND = 1;
/** Chat messages replayed to a new joiner. */
export const CHAT_HISTORY = 50;
/** Connections per room (one room per stream). */
export const CHAT_MAX_CONNECTIONS_PER_ROOM = 500;
/** Rooms at once: a room exists while it has a member, so this bounds the room map against key spraying. */
export const CHAT_MAX_ROOMS = 1000;
/**
 * Unsent bytes a member may hold before messages to it are dropped (a stalled reader must not make
 * the server buffer the whole room's traffic): about 1,000 chat messages.
 */
export const CHAT_MAX_BUFFERED_BYTES = 256 * 1024;
/** Publisher captions: burst and sustained rate per stream, so a runaway encoder cannot flood viewers. */
export const CAPTION_RATE_BURST = 10;
export const CAPTION_RATE_PER_SECOND = 5;
/** Viewer count updates are coalesced: at most one broadcast per room per this many ms. */
export const CHAT_VIEWERS_INTERVAL_MS = 250;
/** Ping period; a member that has not answered the previous ping by the next one is dropped. */
export const CHAT_PING_INTERVAL_MS = 30_000;
