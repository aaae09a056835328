import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPolicy, postCallback, queryParam, signStream, StreamKeyRules, verifySignature, type CallbackBody, type EdgeAccessRequest } from '../src/access/index.js';
import { ConfigError, loadConfig } from '../src/config/index.js';

const SECRET = '0123456789abcdef-secret';
const NOW_S = 1_700_000_000;
const silent = pino({ level: 'silent' });

describe('signed URLs: sign=EXPIRES-HEX, HEX = HMAC-SHA256(secret, "/app/stream-EXPIRES")', () => {
  it('matches a vector computed independently (Python hmac)', () => {
    expect(signStream(SECRET, 'live', 'cam', 1_700_000_000)).toBe('1700000000-efee33e05ac15334b3b7316d94c7a78ce35adbc8066a060322bf29d8a8074744');
  });

  const good = signStream(SECRET, 'live', 'cam', NOW_S + 60);
  it.each([
    ['valid and unexpired', good, true],
    ['expiring this very second', signStream(SECRET, 'live', 'cam', NOW_S), true],
    ['missing', null, 'signature missing'],
    ['expired', signStream(SECRET, 'live', 'cam', NOW_S - 1), 'signature expired'],
    ['for another stream', signStream(SECRET, 'live', 'other', NOW_S + 60), 'signature invalid'],
    ['with another secret', signStream('another-secret-0000', 'live', 'cam', NOW_S + 60), 'signature invalid'],
    ['with the expiry edited', `${NOW_S + 9999}${good.slice(10)}`, 'signature invalid'],
    ['one hex digit flipped', good.slice(0, -1) + (good.endsWith('0') ? '1' : '0'), 'signature invalid'],
    ['in upper case hex', good.toUpperCase(), 'signature malformed'],
    ['truncated', good.slice(0, -2), 'signature malformed'],
    ['huge', `${NOW_S}-${'a'.repeat(100_000)}`, 'signature malformed'],
    ['without the dash', good.replace('-', ''), 'signature malformed'],
  ] as const)('%s', (_name, sign, want) => {
    expect(verifySignature(SECRET, 'live', 'cam', sign, NOW_S)).toBe(want);
  });

  it('never puts the signature in the reason', () => {
    const forged = `${NOW_S + 60}-${'ab'.repeat(32)}`;
    const why = verifySignature(SECRET, 'live', 'cam', forged, NOW_S);
    expect(why).toBe('signature invalid');
    expect(String(why)).not.toContain('abab');
  });
});

describe('stream keys', () => {
  it('with no rule, every key may publish', () => {
    const r = new StreamKeyRules([], []);
    expect(r.enabled).toBe(false);
    expect(r.check('live', 'anything', null)).toBe(true);
  });

  it('an allowed app/stream list', () => {
    const r = new StreamKeyRules(['live/cam1', 'studio/main'], []);
    expect(r.check('live', 'cam1', null)).toBe(true);
    expect(r.check('studio', 'main', null)).toBe(true);
    expect(r.check('live', 'cam2', null)).toBe('stream key not allowed');
    expect(r.check('studio', 'cam1', null)).toBe('stream key not allowed');
  });

  it('one secret per app (secrets may contain colons)', () => {
    const r = new StreamKeyRules([], ['live:s3cret-key:1', 'studio:other-secret']);
    expect(r.check('live', 'any', 's3cret-key:1')).toBe(true);
    expect(r.check('live', 'any', 'other-secret')).toBe('bad or missing app key');
    expect(r.check('live', 'any', null)).toBe('bad or missing app key');
    expect(r.check('studio', 'x', 'other-secret')).toBe(true);
    expect(r.check('nosecret', 'x', 'other-secret')).toBe('stream key not allowed');
  });

  it('query parameters come from the stream name first, then the connect query', () => {
    expect(queryParam({ query: 'key=a&x=1', connectQuery: 'key=b' }, 'key')).toBe('a');
    expect(queryParam({ query: '', connectQuery: 'key=b' }, 'key')).toBe('b');
    expect(queryParam({ query: '', connectQuery: '' }, 'key')).toBeNull();
  });
});

describe('config of access and admin', () => {
  it('is off by default: publishing open, no signatures, no callbacks, admin disabled', () => {
    const c = loadConfig();
    expect(c.access.streamKeys).toEqual([]);
    expect(c.access.signPublish || c.access.signPlay).toBe(false);
    expect(c.access.callbacks.onPublish).toBeNull();
    expect(c.admin.token).toBeNull();
    expect(new AccessPolicy(c.access, silent).publishingOpen).toBe(true);
  });

  it('takes lists comma-separated from env and flags', () => {
    const c = loadConfig(['--access-stream-keys', 'live/a, live/b'], { LIVEGATE_ACCESS_APP_SECRETS: 'live:0123456789' });
    expect(c.access.streamKeys).toEqual(['live/a', 'live/b']);
    expect(c.access.appSecrets).toEqual(['live:0123456789']);
  });

  it.each([
    [['--access-sign-play', 'true'], /access.signSecret: signPublish \/ signPlay need access.signSecret/],
    [['--access-sign-secret', 'short'], /access.signSecret: must be at least 16 characters/],
    [['--access-app-secrets', 'live'], /appSecrets entries are app:secret/],
    [['--access-stream-keys', 'nostream'], /streamKeys entries are app\/stream/],
    [['--access-callbacks-on-publish', 'ftp://x/y'], /access.callbacks.onPublish/],
    [['--admin-token', 'short'], /admin.token: must be at least 16 characters/],
  ])('refuses %j', (flags, msg) => {
    expect(() => loadConfig(flags)).toThrow(ConfigError);
    expect(() => loadConfig(flags)).toThrow(msg);
  });
});

describe('callbacks and the composed policy, against a real HTTP server', () => {
  const got: CallbackBody[] = [];
  let answer = 200;
  let delayMs = 0;
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        got.push(JSON.parse(body) as CallbackBody);
        setTimeout(() => res.writeHead(answer).end(), delayMs);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const req: EdgeAccessRequest = { action: 'publish', app: 'live', stream: 'cam', query: 'key=0123456789', connectQuery: 'x=1', clientId: 'rtmp-1', remoteAddress: '127.0.0.1:5000', protocol: 'rtmp' };

  it('POSTs the JSON body; 2xx is ok, others are a status, timeouts and refused connections are errors', async () => {
    answer = 204;
    expect(await postCallback(`${base}/on_publish`, { ...req, action: 'publish', address: req.remoteAddress }, 1000)).toEqual({ ok: true, status: 204 });
    expect(got.at(-1)).toEqual({ action: 'publish', app: 'live', stream: 'cam', query: 'key=0123456789', connectQuery: 'x=1', clientId: 'rtmp-1', address: '127.0.0.1:5000', protocol: 'rtmp', remoteAddress: '127.0.0.1:5000' });
    answer = 403;
    expect(await postCallback(base, { ...req, address: '' }, 1000)).toEqual({ ok: false, status: 403, error: 'answered 403' });
    answer = 200;
    delayMs = 400;
    const t0 = Date.now();
    expect(await postCallback(base, { ...req, address: '' }, 100)).toEqual({ ok: false, status: undefined, error: 'timed out after 100 ms' });
    expect(Date.now() - t0).toBeLessThan(350);
    delayMs = 0;
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await postCallback(`http://127.0.0.1:${port}/`, { ...req, address: '' }, 1000);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/^failed: .*ECONNREFUSED/);
  });

  const policy = (over: Record<string, unknown>) => new AccessPolicy(loadConfig([], {}, { access: over }).access, silent, () => NOW_S * 1000);

  it('runs keys, then the signature, then the callback; the callback sees the query', async () => {
    answer = 200;
    const p = policy({ appSecrets: ['live:0123456789'], signSecret: SECRET, signPublish: true, callbacks: { onPublish: `${base}/pub` } });
    expect(p.publishingOpen).toBe(false);
    expect(await p.check({ ...req, query: '' })).toBe('bad or missing app key');
    expect(await p.check(req)).toBe('signature missing');
    const sign = signStream(SECRET, 'live', 'cam', NOW_S + 10);
    const n = got.length;
    expect(await p.check({ ...req, query: `key=0123456789&sign=${sign}` })).toBe(true);
    expect(got.length).toBe(n + 1);
    expect(got.at(-1)).toMatchObject({ action: 'publish', query: `key=0123456789&sign=${sign}` });
    answer = 401;
    expect(await p.check({ ...req, query: `key=0123456789&sign=${sign}` })).toBe('on_publish callback answered 401');
  });

  it('a callback timeout refuses by default and allows with onFailure: allow; a non-2xx always refuses', async () => {
    answer = 200;
    delayMs = 300;
    expect(await policy({ callbacks: { onPlay: base, timeoutMs: 50 } }).check({ ...req, action: 'play' })).toBe('on_play callback timed out after 50 ms');
    expect(await policy({ callbacks: { onPlay: base, timeoutMs: 50, onFailure: 'allow' } }).check({ ...req, action: 'play' })).toBe(true);
    delayMs = 0;
    answer = 500;
    expect(await policy({ callbacks: { onPlay: base, onFailure: 'allow' } }).check({ ...req, action: 'play' })).toBe('on_play callback answered 500');
  });

  it('ended() posts unpublish and stop', async () => {
    answer = 200;
    const p = policy({ callbacks: { onUnpublish: `${base}/u`, onStop: `${base}/s` } });
    const n = got.length;
    p.ended(req);
    p.ended({ ...req, action: 'play', clientId: 'flv-2' });
    await new Promise((r) => setTimeout(r, 200));
    expect(got.slice(n).map((b) => [b.action, b.clientId]).sort()).toEqual([['stop', 'flv-2'], ['unpublish', 'rtmp-1']]);
  });
});
