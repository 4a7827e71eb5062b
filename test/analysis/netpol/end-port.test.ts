// NetworkPolicy `endPort` (networking/v1 NetworkPolicyPort): the range port..endPort, both ends
// included, for the protocol given (TCP when absent); not for named ports. Several cases, so a
// range read one off at either end, or as exclusive, or across protocols, fails here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, policy } from './semantics-fixture.js';

const toA = (name: string, ports: unknown[]) => policy(name, { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'], ingress: [{ ports }] });

test('a range includes both ends and nothing outside them', () => {
  const range = toA('range', [{ port: 8000, endPort: 8100 }]);
  const cases: [number, string][] = [[7999, 'denied'], [8000, 'allowed'], [8050, 'allowed'], [8100, 'allowed'], [8101, 'denied'], [80, 'denied']];
  for (const [port, expected] of cases) assert.equal(decide([range], 'y/b', 'x/a', 'TCP', port), expected, `TCP ${port}`);
});

test('a range is for its protocol only (TCP when none is given)', () => {
  const tcp = toA('tcp', [{ port: 53, endPort: 54 }]);
  assert.equal(decide([tcp], 'y/b', 'x/a', 'UDP', 53), 'denied');
  const udp = toA('udp', [{ port: 53, endPort: 54, protocol: 'UDP' }]);
  assert.equal(decide([udp], 'y/b', 'x/a', 'UDP', 54), 'allowed');
  assert.equal(decide([udp], 'y/b', 'x/a', 'TCP', 54), 'denied');
});

test('a one-port range, and ranges that add up across rules and policies', () => {
  const single = toA('single', [{ port: 443, endPort: 443 }]);
  assert.equal(decide([single], 'y/b', 'x/a', 'TCP', 443), 'allowed');
  assert.equal(decide([single], 'y/b', 'x/a', 'TCP', 444), 'denied');
  const low = toA('low', [{ port: 1000, endPort: 1999 }]);
  const high = toA('high', [{ port: 3000, endPort: 3999 }]);
  assert.equal(decide([low, high], 'y/b', 'x/a', 'TCP', 3999), 'allowed');
  assert.equal(decide([low, high], 'y/b', 'x/a', 'TCP', 2500), 'denied');
  const full = toA('full', [{ port: 1, endPort: 65535 }]);
  assert.equal(decide([full], 'y/b', 'x/a', 'TCP', 65535), 'allowed');
});
