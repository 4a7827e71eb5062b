// Which build this is: the commit it was built from. In a git checkout it is read from git
// (dist/build-info.json there was written when `npm ci` ran `prepare`, and goes stale with the
// next commit, since `npm run build` does not rewrite it); in a packed or installed package
// `npm pack` (prepack) recorded it in dist/build-info.json; otherwise it is unknown.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package's folder: src/ or dist/src/ sit one or two folders below it. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 3; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return dir;
}

export function buildCommit(): string {
  const root = packageRoot();
  if (existsSync(path.join(root, '.git'))) {
    const git = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8', timeout: 5000 });
    if (git.status === 0 && git.stdout.trim()) {
      const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8', timeout: 5000 });
      return git.stdout.trim() + (dirty.status === 0 && dirty.stdout.trim() ? '-dirty' : '');
    }
  }
  try {
    const info = JSON.parse(readFileSync(path.join(root, 'dist', 'build-info.json'), 'utf8')) as { commit?: unknown };
    if (typeof info.commit === 'string' && info.commit) return info.commit;
  } catch {
    // neither a checkout nor a packed build
  }
  return 'unknown';
}
