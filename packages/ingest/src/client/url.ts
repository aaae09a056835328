import { IngestError } from '../errors.js';

/** Port an `rtmp://` URL without one connects to (RTMP 1.0 section 4: "TCP port 1935"). */
export const DEFAULT_RTMP_PORT = 1935;
/** Port an `rtmps://` URL without one connects to (RTMP over TLS on the HTTPS port, as ffmpeg and OBS do). */
export const DEFAULT_RTMPS_PORT = 443;

/** Where an RTMP URL points: the socket to open and the `app`/`tcUrl` of the connect command. */
export interface RtmpTarget {
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
  /** Application (and instance) path with its query string, as the connect command's `app` carries it. */
  readonly app: string;
  /** The URL as the connect command's `tcUrl` carries it: scheme, host, port and app. */
  readonly tcUrl: string;
}

/**
 * Parses `rtmp[s]://host[:port]/app[/instance][?query]` (stream names are given to publish/play,
 * not in the URL). Throws ERR_CLIENT_REFUSED for another scheme or a URL without an app.
 */
export function parseRtmpUrl(url: string): RtmpTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new IngestError('ERR_CLIENT_REFUSED', `not a URL: ${JSON.stringify(url.slice(0, 200))}`);
  }
  if (u.protocol !== 'rtmp:' && u.protocol !== 'rtmps:') {
    throw new IngestError('ERR_CLIENT_REFUSED', `URL scheme ${u.protocol} is not rtmp: or rtmps:`);
  }
  const secure = u.protocol === 'rtmps:';
  let app: string;
  try {
    app = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, '')) + u.search;
  } catch {
    throw new IngestError('ERR_CLIENT_REFUSED', `URL path ${JSON.stringify(u.pathname.slice(0, 200))} has a malformed %-escape`);
  }
  if (app === '' || app.startsWith('?')) throw new IngestError('ERR_CLIENT_REFUSED', `URL ${u.origin} names no application`);
  const host = u.hostname.replace(/^\[|\]$/g, ''); // IPv6 literals come bracketed
  const port = u.port === '' ? (secure ? DEFAULT_RTMPS_PORT : DEFAULT_RTMP_PORT) : Number(u.port);
  const tcUrl = `${u.protocol}//${u.host}${u.port === '' ? `:${port}` : ''}/${app}`;
  return { secure, host, port, app, tcUrl };
}
