const KEY = 'livegate.nick';
export const NICK_MAX = 32;

/** The saved nickname, or a new random one (saved). */
export function loadNick(): string {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && saved.trim()) return saved.trim().slice(0, NICK_MAX);
  } catch {
    // storage blocked (private mode): a nick for this page only
  }
  const nick = `viewer-${Math.random().toString(36).slice(2, 6)}`;
  saveNick(nick);
  return nick;
}

/** Remember the nickname for the next visit. */
export function saveNick(nick: string): void {
  try {
    localStorage.setItem(KEY, nick);
  } catch {
    // storage blocked: nothing to do
  }
}
