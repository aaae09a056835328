/** The actions livegate reports to HTTP callbacks. */
export type CallbackAction = 'publish' | 'unpublish' | 'play' | 'stop';

/** The JSON body POSTed to a callback URL. */
export interface CallbackBody {
  action: CallbackAction;
  app: string;
  stream: string;
  /** Connection or viewer id (matches the admin API and the logs' `conn`). */
  clientId: string;
  /** Client address (`ip:port` for RTMP, `ip` for HTTP). */
  address: string;
  /** `rtmp`, `rtmps`, `http-flv`, `ws-flv` or `hls`. */
  protocol: string;
  /** Query string of the stream name or HTTP URL, without `?`. */
  query: string;
  /** Query string of the RTMP connect (app / tcUrl); empty for HTTP. */
  connectQuery: string;
}

/** What a callback answered: `ok` for a 2xx; otherwise the status or the failure (timeout, connection refused). */
export type CallbackResult = { ok: true; status: number } | { ok: false; status: number | undefined; error: string };

/** Where a callback URL is, for logs: origin and path only (its query may carry a secret). */
export function callbackTarget(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/**
 * POST `body` as JSON to `url` within `timeoutMs` (global fetch, AbortSignal.timeout).
 * Never throws: network errors and timeouts are results.
 */
export async function postCallback(url: string, body: CallbackBody, timeoutMs: number): Promise<CallbackResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await res.body?.cancel(); // only the status matters; free the connection
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `answered ${res.status}` };
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    const error = name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${timeoutMs} ms` : `failed: ${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)}`;
    return { ok: false, status: undefined, error };
  }
}
