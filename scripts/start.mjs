#!/usr/bin/env node
// `npm start`: build what is missing or stale (tsc -b is incremental), then run the gateway
// with the remaining arguments. No config file is needed: the defaults are embedded.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['node_modules/typescript/bin/tsc', '-b']);
const player = 'packages/web-player';
if (existsSync(`${root}${player}/build.mjs`) && !existsSync(`${root}${player}/dist/index.html`)) {
  run(process.execPath, [`${player}/build.mjs`]);
}
const child = spawn(process.execPath, ['packages/http-edge/dist/cli.js', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
