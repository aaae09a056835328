// Build the web player into dist/: index.html, static/app.js (+ lazily loaded chunks for
// flv.js and hls.js, bundled from npm, never a CDN) and static/style.css.
// The new build is written next to dist/ and swapped in, so a gateway serving dist/ never
// sees half-written files. Usage: node build.mjs [--dev] (dev: no minify).
import { build } from 'esbuild';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const dev = process.argv.includes('--dev');
const dist = join(here, 'dist');
const tmp = join(here, `.dist-tmp-${process.pid}`);
const old = join(here, `.dist-old-${process.pid}`);

await rm(tmp, { recursive: true, force: true });
await mkdir(join(tmp, 'static'), { recursive: true });
const result = await build({
  entryPoints: { app: join(here, 'src/main.ts') },
  outdir: join(tmp, 'static'),
  bundle: true,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15', 'edge100'],
  minify: !dev,
  sourcemap: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
});
await copyFile(join(here, 'src/index.html'), join(tmp, 'index.html'));
await build({ entryPoints: [join(here, 'src/style.css')], outfile: join(tmp, 'static/style.css'), bundle: true, minify: !dev, logLevel: 'warning' });

// Swap: dist -> old, tmp -> dist, drop old. Two builds racing (parallel test files) retry the swap.
const olds = [];
for (let i = 0; ; i++) {
  const o = `${old}-${i}`;
  await rename(dist, o).then(
    () => olds.push(o),
    (e) => {
      if (e.code !== 'ENOENT') throw e;
    },
  );
  try {
    await rename(tmp, dist);
    break;
  } catch (e) {
    if ((e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') || i >= 5) throw e;
  }
}
await Promise.all(olds.map((o) => rm(o, { recursive: true, force: true })));

const sizes = Object.entries(result.metafile.outputs)
  .filter(([f]) => f.endsWith('.js'))
  .map(([f, o]) => `${f.split('/static/')[1]} ${(o.bytes / 1024).toFixed(0)} KiB`);
console.log(`web-player built into ${dist}\n  ${sizes.join('\n  ')}`);
