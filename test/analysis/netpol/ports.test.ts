import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortSet } from '../../../src/analysis/netpol/ports.js';

test('union merges adjacent ranges; intersection and difference are exact', () => {
  const a = PortSet.range('TCP', 80, 81).union(PortSet.range('TCP', 82)).union(PortSet.range('UDP', 53));
  assert.equal(a.toString(), 'TCP 80-82; UDP 53');
  assert.equal(a.intersect(PortSet.range('TCP', 81, 9000)).toString(), 'TCP 81-82');
  assert.equal(PortSet.ALL.intersect(a).toString(), a.toString());
  assert.equal(a.minus(PortSet.range('TCP', 81)).toString(), 'TCP 80,82; UDP 53');
  assert.ok(PortSet.ALL.isAll && PortSet.NONE.isEmpty);
  assert.equal(PortSet.protocol('UDP').toString(), 'UDP all');
  assert.ok(a.has('TCP', 82) && !a.has('TCP', 83) && !a.has('SCTP', 80));
  assert.deepEqual(a.toJSON(), { TCP: ['80-82'], UDP: ['53'] });
});
