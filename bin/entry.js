// Which build of the CLI the bin scripts load: the bundle (dist/cli, see scripts/bundle.js),
// which starts in about two thirds of the time, or dist/src. An installed package (no src/
// beside it) was built once and is used as built: its bundle. In a checkout the bundle is used
// only when it was made after dist/src was last compiled: a bare `tsc` after an edit rewrites
// every file of dist/src but leaves the bundle behind, and must not be hidden behind it.
// (Time stamps alone cannot tell in an installed package: npm sets them as it extracts.)
import { existsSync, statSync } from 'node:fs';

/** The URL of the module that exports `main`. */
export function cliModule(root = new URL('../', import.meta.url)) {
  const bundle = new URL('dist/cli/main.js', root);
  const compiled = new URL('dist/src/cli/main.js', root);
  const bundled = statSync(bundle, { throwIfNoEntry: false });
  if (!bundled) return compiled.href;
  if (!existsSync(new URL('src/', root))) return bundle.href;
  const source = statSync(compiled, { throwIfNoEntry: false });
  return !source || bundled.mtimeMs >= source.mtimeMs ? bundle.href : compiled.href;
}
