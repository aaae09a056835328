/** What the chat server sends (see packages/http-edge/src/chat/protocol.ts). */
export type ServerMessage =
  | { type: 'chat'; id: number; nick: string; text: string; ts: number; replay?: boolean }
  | { type: 'viewers'; count: number }
  | { type: 'system'; text: string }
  | { type: 'caption'; text: string; ts: number }
  | { type: 'error'; code: string; message: string };

/** Parse a frame from the server; undefined for anything unexpected (ignored, never rendered raw). */
export function parseServerMessage(data: unknown): ServerMessage | undefined {
  if (typeof data !== 'string') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object') return undefined;
  const m = v as Record<string, unknown>;
  switch (m.type) {
    case 'chat':
      return typeof m.id === 'number' && typeof m.nick === 'string' && typeof m.text === 'string'
        ? { type: 'chat', id: m.id, nick: m.nick, text: m.text, ts: Number(m.ts) || 0, replay: m.replay === true }
        : undefined;
    case 'viewers':
      return typeof m.count === 'number' ? { type: 'viewers', count: m.count } : undefined;
    case 'system':
      return typeof m.text === 'string' ? { type: 'system', text: m.text } : undefined;
    case 'caption':
      return typeof m.text === 'string' ? { type: 'caption', text: m.text, ts: Number(m.ts) || 0 } : undefined;
    case 'error':
      return typeof m.message === 'string' ? { type: 'error', code: String(m.code), message: m.message } : undefined;
    default:
      return undefined;
  }
}
