import { el } from '../dom.js';
import { ChatClient, type ChatState } from './chat-client.js';
import type { Danmaku } from './danmaku.js';
import type { ServerMessage } from './messages.js';
import { loadNick, NICK_MAX, saveNick } from './nick.js';

/** Lines kept in the chat log; older ones are removed. */
const MAX_LINES = 200;
/** Characters per message (the server's limit). */
const TEXT_MAX = 200;

/**
 * The chat panel: log, nickname and message box; messages also go to the danmaku layer.
 * All user text is set with textContent.
 */
export class ChatPanel {
  readonly root: HTMLElement;
  private readonly log: HTMLOListElement;
  private readonly input: HTMLInputElement;
  private readonly nickInput: HTMLInputElement;
  private readonly state: HTMLElement;
  private readonly client: ChatClient;
  /** Texts sent by this page and not yet echoed (to mark own messages). */
  private readonly pending: string[] = [];

  constructor(
    url: string,
    private readonly danmaku: Danmaku,
    private readonly onViewers: (count: number) => void,
  ) {
    this.state = el('span', 'chat-state', { 'data-state': 'connecting' }, ['connecting…']);
    this.log = el('ol', 'chat-log', { 'aria-live': 'polite' });
    this.nickInput = el('input', 'chat-nick', { type: 'text', maxlength: NICK_MAX, 'aria-label': 'Nickname', autocomplete: 'nickname', spellcheck: 'false' });
    this.nickInput.value = loadNick();
    this.nickInput.addEventListener('change', () => {
      const v = this.nickInput.value.trim();
      if (v) saveNick(v);
      else this.nickInput.value = loadNick();
    });
    this.input = el('input', 'chat-input', { type: 'text', maxlength: TEXT_MAX, placeholder: 'Say something…', 'aria-label': 'Message', autocomplete: 'off', enterkeyhint: 'send' });
    const send = el('button', 'chat-send', { type: 'submit' }, ['Send']);
    const form = el('form', 'chat-form', undefined, [this.nickInput, this.input, send]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.root = el('aside', 'chat', { 'aria-label': 'Live chat' }, [
      el('div', 'chat-head', undefined, [el('span', 'chat-title', undefined, ['Live chat']), this.state]),
      this.log,
      form,
    ]);
    this.client = new ChatClient(url, (m) => this.onMessage(m), (s) => this.onState(s));
    this.client.connect();
  }

  /** Disconnect for good. */
  close(): void {
    this.client.close();
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text) return;
    const nick = this.nickInput.value.trim() || loadNick();
    if (!this.client.send(nick, text)) {
      this.line('error', 'Not connected; the message was not sent.');
      return;
    }
    this.pending.push(text.replace(/\s+/g, ' '));
    if (this.pending.length > 20) this.pending.shift();
    this.input.value = '';
  }

  private onState(s: ChatState): void {
    this.state.dataset.state = s;
    this.state.textContent = s === 'open' ? 'connected' : s === 'connecting' ? 'connecting…' : 'reconnecting…';
  }

  private onMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'chat': {
        const i = m.replay ? -1 : this.pending.indexOf(m.text);
        const own = i >= 0 && m.nick === this.nickInput.value.trim();
        if (own) this.pending.splice(i, 1);
        this.chatLine(m.nick, m.text, own, m.replay === true);
        if (!m.replay) this.danmaku.add(m.text, own ? 'own' : 'chat');
        return;
      }
      case 'caption':
        this.line('caption', m.text);
        this.danmaku.add(m.text, 'caption');
        return;
      case 'viewers':
        this.onViewers(m.count);
        return;
      case 'system':
        this.line('system', m.text);
        return;
      case 'error':
        this.line('error', m.message);
        return;
    }
  }

  private chatLine(nick: string, text: string, own: boolean, replay: boolean): void {
    const li = el('li', `chat-line${own ? ' own' : ''}${replay ? ' replay' : ''}`);
    const n = el('span', 'nick');
    n.textContent = nick;
    const t = el('span', 'text');
    t.textContent = text;
    li.append(n, t);
    this.append(li);
  }

  private line(kind: 'system' | 'error' | 'caption', text: string): void {
    const li = el('li', `chat-line ${kind}`);
    const t = el('span', 'text');
    t.textContent = text;
    li.append(t);
    this.append(li);
  }

  private append(li: HTMLLIElement): void {
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
    this.log.append(li);
    while (this.log.childElementCount > MAX_LINES) this.log.firstElementChild?.remove();
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }
}
