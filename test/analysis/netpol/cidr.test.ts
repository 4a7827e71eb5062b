import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContainsCidr, cidrContainsIp, parseCidr, parseIp, type Cidr } from '../../../src/analysis/netpol/cidr.js';

function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if ('error' in c) throw new Error(c.error);
  return c;
}
const ip = (t: string) => parseIp(t)!;

test('IPv4 blocks contain their addresses; host bits are ignored as Go does', () => {
  assert.ok(cidrContainsIp(cidr('192.0.2.0/24'), ip('192.0.2.255')));
  assert.ok(!cidrContainsIp(cidr('192.0.2.0/24'), ip('192.0.3.0')));
  assert.ok(cidrContainsIp(cidr('10.0.0.1/8'), ip('10.200.1.1')));
  assert.ok(cidrContainsIp(cidr('0.0.0.0/0'), ip('169.254.169.254')));
  assert.ok(cidrContainsIp(cidr('169.254.169.254/32'), ip('169.254.169.254')));
  assert.ok(!cidrContainsIp(cidr('169.254.169.254/32'), ip('169.254.169.253')));
});

test('IPv6 blocks, with :: compression and embedded IPv4, never mix with IPv4', () => {
  assert.ok(cidrContainsIp(cidr('2001:db8::/32'), ip('2001:db8:ffff::1')));
  assert.ok(!cidrContainsIp(cidr('2001:db8::/32'), ip('2001:db9::1')));
  assert.ok(cidrContainsIp(cidr('::/0'), ip('fe80::1')));
  assert.ok(!cidrContainsIp(cidr('::/0'), ip('10.0.0.1')));
  assert.ok(!cidrContainsIp(cidr('0.0.0.0/0'), ip('::1')));
  assert.equal(ip('::ffff:10.0.0.1').value, ip('0:0:0:0:0:ffff:a00:1').value);
  assert.equal(ip('fd00::1').value, ip('fd00:0:0:0:0:0:0:1').value);
});

test('containment between blocks', () => {
  assert.ok(cidrContainsCidr(cidr('192.0.2.0/24'), cidr('192.0.2.0/28')));
  assert.ok(cidrContainsCidr(cidr('192.0.2.0/24'), cidr('192.0.2.0/24')));
  assert.ok(!cidrContainsCidr(cidr('192.0.2.0/28'), cidr('192.0.2.0/24')));
  assert.ok(!cidrContainsCidr(cidr('192.0.2.0/24'), cidr('198.51.100.0/28')));
});

test('invalid CIDRs are explained', () => {
  for (const [text, message] of [
    ['10.0.0.0', /needs a \/prefix/],
    ['10.0.0.0/33', /prefix must be 0 to 32/],
    ['2001:db8::/129', /prefix must be 0 to 128/],
    ['10.0.0.256/8', /not an IPv4 or IPv6 address/],
    ['010.0.0.0/8', /not an IPv4 or IPv6 address/],
    ['1:2:3:4:5:6:7:8:9/64', /not an IPv4 or IPv6 address/],
    ['1::2::3/64', /not an IPv4 or IPv6 address/],
    ['10.0.0.0/x', /prefix/],
  ] as const) {
    const c = parseCidr(text);
    assert.ok('error' in c, text);
    assert.match(c.error, message);
  }
});
