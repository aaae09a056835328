import { z } from 'zod';
import { CHAT_MAX_NICK, CHAT_MAX_TEXT } from './limits.js';

/**
 * The chat wire protocol: JSON text frames on `ws://HOST/:app/:stream/chat`.
 *
 * In:  `{type:"chat", nick, text}`
 * Out: `{type:"chat", id, nick, text, ts, replay?}` (replay: true on history sent to a new joiner),
 *      `{type:"viewers", count}`, `{type:"system", text}`, `{type:"error", code, message}`,
 *      `{type:"caption", text, ts}` (publisher onTextData / onCuePoint).
 */

/** Shape of an incoming message; sizes are bounded again (with clear errors) by `checkChat`. */
export const ChatIn = z.object({
  type: z.literal('chat'),
  nick: z.string(),
  text: z.string(),
});
export type ChatIn = z.infer<typeof ChatIn>;

export interface ChatOut {
  type: 'chat';
  id: number;
  nick: string;
  text: string;
  /** Server time, ms since the epoch. */
  ts: number;
  replay?: true;
}
export interface ViewersOut {
  type: 'viewers';
  count: number;
}
export interface SystemOut {
  type: 'system';
  text: string;
}
export interface CaptionOut {
  type: 'caption';
  text: string;
  ts: number;
}
export interface ErrorOut {
  type: 'error';
  code: ChatErrorCode;
  message: string;
}
export type ServerMessage = ChatOut | ViewersOut | SystemOut | CaptionOut | ErrorOut;

/** Error codes a chat client can receive. */
export type ChatErrorCode =
  | 'bad_json'
  | 'bad_message'
  | 'too_large'
  | 'text_empty'
  | 'text_too_long'
  | 'nick_empty'
  | 'nick_too_long'
  | 'rate_limited'
  | 'room_full'
  | 'too_many_rooms';

// C0/C1 controls (newlines and tabs included), and the bidi overrides/isolates that can
// make a message display differently from what it is (CVE-2021-42574, "Trojan Source").
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;
const LINE_BREAKS = /[\r\n\t\u2028\u2029]+/g;

/** Clean user text for display on one line: line breaks become spaces, controls are removed, ends trimmed. */
export function cleanLine(s: string): string {
  return s.replace(LINE_BREAKS, ' ').replace(CONTROL, '').trim();
}

/** Length in code points (what a person counts), not UTF-16 units. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Check an incoming chat message against the limits; gives the cleaned nick and text, or the error to send back. */
export function checkChat(msg: ChatIn): { nick: string; text: string } | ErrorOut {
  const nick = cleanLine(msg.nick);
  const text = cleanLine(msg.text);
  if (nick.length === 0) return chatError('nick_empty', 'nick is empty');
  const nickLen = charCount(nick);
  if (nickLen > CHAT_MAX_NICK) return chatError('nick_too_long', `nick is ${nickLen} characters, the limit is ${CHAT_MAX_NICK}`);
  if (text.length === 0) return chatError('text_empty', 'message is empty');
  const textLen = charCount(text);
  if (textLen > CHAT_MAX_TEXT) return chatError('text_too_long', `message is ${textLen} characters, the limit is ${CHAT_MAX_TEXT}`);
  return { nick, text };
}

/** An error message for the client. */
export function chatError(code: ChatErrorCode, message: string): ErrorOut {
  return { type: 'error', code, message };
}

/** Cut a caption to the chat text limit (captions come from the publisher and are cut, not refused). */
export function cleanCaption(raw: string): string {
  const line = cleanLine(raw);
  if (line.length <= CHAT_MAX_TEXT) return line;
  return Array.from(line).slice(0, CHAT_MAX_TEXT).join('');
}
