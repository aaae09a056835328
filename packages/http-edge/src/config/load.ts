import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.js';

/** A configuration problem; the message names the key and where the value came from. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Tree = { [k: string]: unknown };
type Origin = Map<string, string>; // dotted key -> where it was set

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf key of the schema as a dotted path, from the defaults (e.g. `rtmp.port`). */
export function configKeys(): string[] {
  const out: string[] = [];
  const walk = (t: Tree, prefix: string) => {
    for (const [k, v] of Object.entries(t)) {
      if (isTree(v)) walk(v, `${prefix}${k}.`);
      else out.push(`${prefix}${k}`);
    }
  };
  walk(ConfigSchema.parse({}) as Tree, '');
  return out;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** `rtmp.maxMessageSize` -> `LIVEGATE_RTMP_MAX_MESSAGE_SIZE`. */
export const envName = (key: string) => `LIVEGATE_${key.split('.').map((p) => kebab(p).replace(/-/g, '_').toUpperCase()).join('_')}`;
/** `rtmp.maxMessageSize` -> `--rtmp-max-message-size`. */
export const flagName = (key: string) => `--${key.split('.').map(kebab).join('-')}`;

/** Strings from env/flags become numbers, booleans or null when they look like one; zod judges the rest. */
function scalar(s: string): unknown {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (s.trim() !== '' && Number.isFinite(Number(s))) return Number(s);
  return s;
}

function setPath(t: Tree, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = t;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    node = isTree(next) ? next : (node[p] = {});
  }
  node[parts.at(-1)!] = value;
}

function merge(into: Tree, from: Tree, origin: Origin, source: string, prefix = ''): void {
  for (const [k, v] of Object.entries(from)) {
    const key = `${prefix}${k}`;
    if (isTree(v)) {
      const cur = into[k];
      merge(isTree(cur) ? cur : (into[k] = {}), v, origin, source, `${key}.`);
    }
    else {
      into[k] = v;
      origin.set(key, source);
    }
  }
}

/** Parse argv flags: `--config FILE`, and `--<key>` / `--<key>=value` for every config key. */
export function parseFlags(argv: string[]): { configFile: string | undefined; values: Tree; origin: Origin } {
  const byFlag = new Map(configKeys().map((k) => [flagName(k), k]));
  const values: Tree = {};
  const origin: Origin = new Map();
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new ConfigError(`flag ${flag} needs a value`);
      return v;
    };
    if (flag === '--config' || flag === '-c') {
      configFile = take();
      continue;
    }
    const key = byFlag.get(flag);
    if (!key) throw new ConfigError(`unknown flag ${flag} (known: --config, ${[...byFlag.keys()].join(', ')})`);
    setPath(values, key, scalar(take()));
    origin.set(key, `flag ${flag}`);
  }
  return { configFile, values, origin };
}

/** LIVEGATE_* variables for every config key. */
function fromEnv(env: NodeJS.ProcessEnv): { values: Tree; origin: Origin } {
  const values: Tree = {};
  const origin: Origin = new Map();
  for (const key of configKeys()) {
    const name = envName(key);
    const v = env[name];
    if (v !== undefined) {
      setPath(values, key, scalar(v));
      origin.set(key, `env ${name}`);
    }
  }
  return { values, origin };
}

function readFile(file: string): Tree {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`config file ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`config file ${file}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  if (parsed == null) return {};
  if (!isTree(parsed)) throw new ConfigError(`config file ${file}: must hold an object of settings`);
  return parsed;
}

function describeIssues(issues: z.core.$ZodIssue[], origin: Origin): string {
  return issues
    .map((i) => {
      const path = i.path.map(String).join('.');
      const keys = i.code === 'unrecognized_keys' ? i.keys.map((k) => (path ? `${path}.${k}` : k)) : [path];
      const from = origin.get(keys[0] ?? '') ?? 'config';
      const what = i.code === 'unrecognized_keys' ? `unknown key ${keys.join(', ')}` : `${path || '(root)'}: ${i.message}`;
      return `${what} (from ${from})`;
    })
    .join('; ');
}

/**
 * Build the configuration: defaults, then the file (`--config` or LIVEGATE_CONFIG), then
 * LIVEGATE_* environment variables, then flags. Throws ConfigError naming the bad key.
 */
export function loadConfig(argv: string[] = [], env: NodeJS.ProcessEnv = {}, overrides: Tree = {}): Config {
  const flags = parseFlags(argv);
  const origin: Origin = new Map();
  const merged: Tree = {};
  const file = flags.configFile ?? env.LIVEGATE_CONFIG;
  if (file) merge(merged, readFile(file), origin, `file ${file}`);
  const e = fromEnv(env);
  merge(merged, e.values, origin, 'env');
  for (const [k, v] of e.origin) origin.set(k, v);
  merge(merged, flags.values, origin, 'flags');
  for (const [k, v] of flags.origin) origin.set(k, v);
  merge(merged, overrides, origin, 'overrides');
  const r = ConfigSchema.safeParse(merged);
  if (!r.success) throw new ConfigError(`invalid configuration: ${describeIssues(r.error.issues, origin)}`);
  return r.data;
}
