import { backoffDelay } from '../player/backoff.js';
import { parseServerMessage, type ServerMessage } from './messages.js';

export type ChatState = 'connecting' | 'open' | 'closed';

/**
 * The chat WebSocket, reconnecting with backoff. History replayed after a reconnect is
 * de-duplicated by message id, so the panel never shows a message twice.
 */
export class ChatClient {
  private ws: WebSocket | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly seen = new Set<number>();

  constructor(
    private readonly url: string,
    private readonly onMessage: (m: ServerMessage) => void,
    private readonly onState: (s: ChatState) => void,
  ) {}

  /** Open the connection (and keep it open). */
  connect(): void {
    if (this.stopped) return;
    this.onState('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.onState('open');
    };
    ws.onmessage = (ev) => {
      const m = parseServerMessage(ev.data);
      if (!m) return;
      if (m.type === 'chat') {
        if (this.seen.has(m.id)) return;
        this.seen.add(m.id);
        if (this.seen.size > 500) this.seen.delete(this.seen.values().next().value as number);
      }
      this.onMessage(m);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.onState('closed');
      if (this.stopped) return;
      this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
    };
  }

  /** Send a chat line; false when not connected. */
  send(nick: string, text: string): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ type: 'chat', nick, text }));
    return true;
  }

  /** Close for good. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000);
    this.ws = undefined;
  }
}
