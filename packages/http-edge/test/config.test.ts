import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { ConfigError, envName, flagName, loadConfig } from '../src/config/index.js';
import { autoWorkers } from '../src/config/schema.js';

describe('config', () => {
  it('has embedded defaults: RTMP 1935, HTTP 8080, no file needed', () => {
    const c = loadConfig();
    expect(c.rtmp.port).toBe(1935);
    expect(c.http.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(c.rtmps.cert).toBeNull();
    expect(c.hls.segmentDuration).toBe(2);
  });

  it('maps keys to env names and flags', () => {
    expect(envName('rtmp.port')).toBe('LIVEGATE_RTMP_PORT');
    expect(envName('rtmp.maxMessageSize')).toBe('LIVEGATE_RTMP_MAX_MESSAGE_SIZE');
    expect(flagName('http.port')).toBe('--http-port');
    expect(flagName('host')).toBe('--host');
  });

  it('layers file < env < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cfg-'));
    const yml = join(dir, 'c.yaml');
    writeFileSync(yml, 'rtmp:\n  port: 2000\n  idleTimeoutMs: 5000\nhttp:\n  port: 9000\n');
    const c = loadConfig(['--config', yml, '--http-port=9100', '--host', '127.0.0.1'], { LIVEGATE_RTMP_PORT: '2100' });
    expect(c.rtmp.port).toBe(2100);
    expect(c.rtmp.idleTimeoutMs).toBe(5000);
    expect(c.http.port).toBe(9100);
    expect(c.host).toBe('127.0.0.1');
    const json = join(dir, 'c.json');
    writeFileSync(json, JSON.stringify({ hls: { playlistLength: 10 } }));
    expect(loadConfig([], { LIVEGATE_CONFIG: json }).hls.playlistLength).toBe(10);
  });

  it('reads booleans from env and flags (viewers.tcpNoDelay: on by default)', () => {
    expect(loadConfig().viewers.tcpNoDelay).toBe(true);
    expect(loadConfig([], { LIVEGATE_VIEWERS_TCP_NO_DELAY: 'false' }).viewers.tcpNoDelay).toBe(false);
    expect(loadConfig(['--viewers-tcp-no-delay', 'false'], { LIVEGATE_VIEWERS_TCP_NO_DELAY: 'true' }).viewers.tcpNoDelay).toBe(false);
    expect(() => loadConfig(['--viewers-tcp-no-delay', 'sometimes'])).toThrow(/viewers\.tcpNoDelay.*flag --viewers-tcp-no-delay/);
  });

  it("viewers.workers: a count, or 'auto' for one per available CPU (none on one CPU)", () => {
    expect(loadConfig().viewers.workers).toBe(0);
    expect(loadConfig(['--viewers-workers', '3']).viewers.workers).toBe(3);
    expect(loadConfig([], { LIVEGATE_VIEWERS_WORKERS: 'auto' }).viewers.workers).toBe(autoWorkers(availableParallelism()));
    expect([autoWorkers(1), autoWorkers(2), autoWorkers(16), autoWorkers(200)]).toEqual([0, 2, 16, 64]);
    expect(() => loadConfig(['--viewers-workers', 'many'])).toThrow(/viewers\.workers.*flag --viewers-workers/);
    expect(() => loadConfig(['--viewers-workers', '65'])).toThrow(/viewers\.workers/);
  });

  it('names the bad key and its source', () => {
    expect(() => loadConfig([], { LIVEGATE_RTMP_PORT: '70000' })).toThrow(/rtmp\.port.*env LIVEGATE_RTMP_PORT/);
    expect(() => loadConfig(['--http-port', 'abc'])).toThrow(/http\.port.*flag --http-port/);
    expect(() => loadConfig(['--rtmp-on-conflict', 'maybe'])).toThrow(/rtmp\.onConflict/);
    expect(() => loadConfig(['--nope', '1'])).toThrow(ConfigError);
    expect(() => loadConfig(['--nope', '1'])).toThrow(/unknown flag --nope/);
    const dir = mkdtempSync(join(tmpdir(), 'lg-cfg-'));
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify({ rtmp: { prot: 1 } }));
    expect(() => loadConfig(['--config', f])).toThrow(/unknown key rtmp\.prot \(from file/);
    writeFileSync(f, '{nope');
    expect(() => loadConfig(['--config', f])).toThrow(/not valid JSON/);
  });
});
