import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob } from '../../src/sources/glob.js';

test('--exclude globs: **, *, ?, sets, braces, names anywhere, dot files', () => {
  const cases: [string, string, boolean][] = [
    ['a/**/c/**', 'a/b/c/pod.yaml', true],
    ['a/**/c/**', 'a/c/pod.yaml', true],
    ['a/**/c/**', 'a/x.yaml', false],
    ['deploy/**', 'deploy', true],
    ['deploy/**', 'deployment/x.yaml', false],
    ['*.generated.yaml', 'a/b/x.generated.yaml', true],
    ['*.generated.yaml', 'a/b/x.yaml', false],
    ['k8s/*.yaml', 'k8s/a/b.yaml', false],
    ['k8s/*.yaml', 'k8s/b.yaml', true],
    ['./k8s/', 'k8s', true],
    ['{charts,test}/**', 'test/x.yaml', true],
    ['{charts,test}/**', 'docs/x.yaml', false],
    ['[!x]*.yaml', 'y.yaml', true],
    ['[!x]*.yaml', 'x.yaml', false],
    ['v[0-9].yaml', 'v7.yaml', true],
    ['v?.yaml', 'v10.yaml', false],
    ['**/*.yaml', '.github/ci.yaml', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
  ];
  for (const [glob, path, expected] of cases) assert.equal(compileGlob(glob)(path), expected, `${glob} on ${path}`);
});

test('a pattern that makes backtracking matchers take exponential time is answered at once', () => {
  // picomatch's regular expression for this pattern took 28 s on an 80-character name; this
  // matcher is bounded by pattern × path length. (Checked for its answer, not its time.)
  const name = 'b' + 'a'.repeat(250) + 'c';
  assert.equal(compileGlob('*a*a*a*a*a*a*a*a*a*a*b')(name), false);
  assert.equal(compileGlob('**/*a*a*a*a*a*a*a*a*c')(`x/y/${name}`), true);
  assert.equal(compileGlob('**/**/**/**/**/**/z')('a/'.repeat(200) + 'y'), false);
});
