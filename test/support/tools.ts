/**
 * Real-client test gating. On a developer machine without ffmpeg/ffprobe/chromium the
 * tests that need them are skipped with a clear reason; under CI (CI=true) they are
 * never skipped: a missing tool fails the run.
 */
import { execFileSync } from 'node:child_process';
import { describe } from 'vitest';

const cache = new Map<string, boolean>();

/** True when `cmd` is on PATH (or is an existing absolute path) and runs. */
export function hasTool(cmd: string): boolean {
  let ok = cache.get(cmd);
  if (ok === undefined) {
    // ffmpeg answers -version, chromium --version, openssl version
    ok = [['-version'], ['--version'], ['version']].some((args) => {
      try {
        execFileSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
        return true;
      } catch {
        return false;
      }
    });
    cache.set(cmd, ok);
  }
  return ok;
}

/**
 * `describe` that needs external tools. Skips with a printed reason when one is missing,
 * except under CI, where the suite fails instead.
 */
export function describeWithTools(tools: string[], name: string, fn: () => void): void {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      throw new Error(`CI must not skip "${name}": missing ${missing.join(', ')} (install with apt-get)`);
    });
    return;
  }
  console.warn(`[skip] "${name}": needs ${missing.join(', ')}, not installed (apt-get install ${missing.join(' ')})`);
  describe.skip(name, fn);
}
