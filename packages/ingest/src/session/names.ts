/** Longest app or stream name accepted (bytes of UTF-16; names are keys in URLs and logs). */
export const MAX_NAME_LENGTH = 128;

/**
 * A name usable as one path segment of `app/stream` and of the HTTP routes: not empty, not
 * `.`/`..`, no `/`, `\`, `?`, `#`, `%`, whitespace or control characters.
 */
export function isValidName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= MAX_NAME_LENGTH &&
    name !== '.' &&
    name !== '..' &&
    !/[\u0000-\u0020\u007f/\\?#%]/.test(name)
  );
}

/** Split `name?query` (RTMP publish/play names and connect's app carry query strings). */
export function splitQuery(s: string): { name: string; query: string } {
  const q = s.indexOf('?');
  return q < 0 ? { name: s, query: '' } : { name: s.slice(0, q), query: s.slice(q + 1) };
}

/** The app of a connect command: trims slashes (`live/` from some clients) and splits off the query. */
export function parseApp(app: string): { name: string; query: string } {
  const { name, query } = splitQuery(app);
  return { name: name.replace(/^\/+|\/+$/g, ''), query };
}
