// The CLI as one module and a few shared chunks (dist/cli), bundled by esbuild from the compiled
// dist/src: Node starts it in about 0.25 s, where loading the ~380 modules of dist/src one by one
// takes about 0.35 s (most of a small scan's time, and paid by every pre-commit hook and kubectl
// plugin run). The worker threads are entry points of their own, beside the chunk that starts
// them, so `new URL('./parse-worker.js', import.meta.url)` finds them there. Dependencies stay
// in node_modules (not bundled): they keep their own files and licences. The library entry
// (dist/src/index.js) is not bundled: its users import its modules.
//
// `npm run build` and the package build (prepack) run this after tsc; bin/entry.js loads
// dist/src instead whenever the bundle is older than it (a bare `tsc` after an edit).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'dist', 'cli');
const from = (file) => path.join(root, 'dist', 'src', file);

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    main: from('cli/main.js'),
    'parse-worker': from('sources/parse-worker.js'),
    'judge-worker': from('webhook/judge-worker.js'),
    'connection-worker': from('sources/cluster/connection-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.12',
  packages: 'external',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
});
