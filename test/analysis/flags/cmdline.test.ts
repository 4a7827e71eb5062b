import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identifyComponent, parseComponentCommandLine, readFlag } from '../../../src/analysis/flags/components.js';
import { parseGoBool, parseGoDuration, splitList } from '../../../src/analysis/flags/values.js';

const read = (argv: string[], flag: string) => readFlag(parseComponentCommandLine(argv), flag);

test('--a=b and --a b give the same value; an absent flag is not set', () => {
  assert.equal(read(['kube-apiserver', '--secure-port=6443'], 'secure-port').value, '6443');
  assert.equal(read(['kube-apiserver', '--secure-port', '6443'], 'secure-port').value, '6443');
  assert.equal(read(['kube-apiserver', '--secure-port', '6443'], 'profiling').set, false);
});

test('an empty value after = is set and empty', () => {
  const r = read(['kube-apiserver', '--token-auth-file='], 'token-auth-file');
  assert.equal(r.set, true);
  assert.equal(r.value, '');
});

test('a bare boolean flag means true and never takes the next token', () => {
  const cmd = parseComponentCommandLine(['kube-controller-manager', '--profiling', 'false', '--leader-elect']);
  assert.equal(readFlag(cmd, 'profiling').value, 'true');
  assert.deepEqual(cmd.positionals.map((p) => p.value), ['false']);
  assert.equal(readFlag(cmd, 'leader-elect').value, 'true');
});

test('a bare non-boolean flag followed by another flag has no value', () => {
  const r = read(['kube-apiserver', '--audit-log-path', '--profiling=false'], 'audit-log-path');
  assert.equal(r.set, true);
  assert.equal(r.last?.value, undefined);
});

test('repeated scalar flags: the last occurrence wins, and its position is kept', () => {
  const r = read(['kube-apiserver', '--profiling=true', '--v=2', '--profiling=false'], 'profiling');
  assert.equal(r.value, 'false');
  assert.equal(r.last?.index, 3);
  assert.equal(r.occurrences.length, 2);
});

test('list flags split on commas and accumulate across repeats; map flags merge by key', () => {
  assert.deepEqual(read(['kube-apiserver', '--enable-admission-plugins=A,B', '--enable-admission-plugins', 'C'], 'enable-admission-plugins').list, ['A', 'B', 'C']);
  assert.deepEqual(read(['kube-apiserver', '--feature-gates=X=true,Y=false', '--feature-gates=X=false'], 'feature-gates').list, ['X=false', 'Y=false']);
  assert.deepEqual(read(['kube-apiserver', '--tls-cipher-suites='], 'tls-cipher-suites').list, []);
});

test('etcd single-dash long flags and -- ending the flags', () => {
  const cmd = parseComponentCommandLine(['etcd', '-client-cert-auth', '-data-dir=/var/lib/etcd', '--', '--not-a-flag']);
  assert.equal(readFlag(cmd, 'client-cert-auth').value, 'true');
  assert.equal(readFlag(cmd, 'data-dir').value, '/var/lib/etcd');
  assert.equal(readFlag(cmd, 'not-a-flag').set, false);
});

test('components are recognised from argv[0] with any directory, and through hyperkube', () => {
  assert.equal(identifyComponent(['/usr/local/bin/kube-apiserver', '--x']), 'kube-apiserver');
  assert.equal(identifyComponent(['kubelet']), 'kubelet');
  assert.equal(identifyComponent(['/hyperkube', 'kube-scheduler']), 'kube-scheduler');
  assert.equal(identifyComponent(['/usr/bin/kube-apiserver-wrapper']), undefined);
  assert.equal(identifyComponent([]), undefined);
});

test('Go value syntax: booleans, durations, lists', () => {
  assert.equal(parseGoBool('T'), true);
  assert.equal(parseGoBool('0'), false);
  assert.equal(parseGoBool('yes'), undefined);
  assert.equal(parseGoDuration('4h0m0s'), 4 * 3600);
  assert.equal(parseGoDuration('0s'), 0);
  assert.equal(parseGoDuration('0m'), 0);
  assert.equal(parseGoDuration('1.5h'), 5400);
  assert.equal(parseGoDuration('5'), undefined, 'a number without a unit is not a duration (except 0)');
  assert.deepEqual(splitList(' a, b ,,c '), ['a', 'b', 'c']);
});
