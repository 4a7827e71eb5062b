import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podCannotReachCloudMetadata as check } from '../../../src/checks/network/pod-cannot-reach-cloud-metadata.js';
import { paths, runCheck } from '../../helpers.js';
import { deployment, networkPolicy } from './manifests.js';

const WEB = deployment('shop', 'web');
const egress = (rules: string) => networkPolicy('shop', 'out', `{podSelector: {}, policyTypes: [Egress], egress: ${rules}}`);

test('passes when egress excludes the metadata address or only allows other peers', () => {
  assert.deepEqual(runCheck(check, WEB + egress('[{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]}]')), []);
  assert.deepEqual(runCheck(check, WEB + egress('[{to: [{namespaceSelector: {}}]}]')), []);
  assert.deepEqual(runCheck(check, WEB + egress('[]')), []);
});

test('fails without an egress policy, or with one that allows it', () => {
  const none = runCheck(check, WEB);
  assert.deepEqual(paths(none), ['spec.template.metadata.labels']);
  assert.match(none[0]!.message, /can reach the cloud metadata address 169.254.169.254 \(all\): no egress policy selects it/);
  const wide = runCheck(check, WEB + egress('[{to: [{ipBlock: {cidr: 169.254.0.0/16}}], ports: [{port: 80}]}]'));
  assert.match(wide[0]!.message, /\(TCP 80\): its egress policies \(out\) allow it/);
});
