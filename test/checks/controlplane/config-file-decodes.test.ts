// Configuration files decoded as their loaders decode them (k8s.io/apiserver and the kubelet,
// v1.37): strict decoders refuse unknown fields, lenient fallbacks ignore them; both refuse a kind
// they do not register and a value of the wrong JSON type. Real files pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configFileDecodes as check } from '../../../src/checks/controlplane/config-file-decodes.js';
import { decodeConfig } from '../../../src/analysis/config-schema/decode.js';
import { secretsChecks } from '../../../src/checks/secrets/index.js';
import { REPO_ROOT, contextFor, inventoryFromYaml } from '../../helpers.js';

function problems(yaml: string): string[] {
  const inv = inventoryFromYaml(yaml);
  const out = check.evaluate(inv, contextFor(inv));
  assert.ok('violations' in out);
  return out.violations.map((v) => v.message);
}

const ENC = 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n';

const CASES: [string, string, RegExp | undefined][] = [
  ['a valid EncryptionConfiguration', `${ENC}resources:\n- resources: [secrets]\n  providers:\n  - aescbc: {keys: [{name: k1, secret: c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=}]}\n  - identity: {}\n`, undefined],
  ['a misspelled providers', `${ENC}resources:\n- resources: [secrets]\n  provider:\n  - identity: {}\n`, /unknown field "resources\[0\]\.provider" \(did you mean "providers"\?\): the API server refuses this file/],
  ['a field in the wrong case', `${ENC}Resources:\n- resources: [secrets]\n  providers: [{identity: {}}]\n`, /unknown field "Resources" \(did you mean "resources"\?\)/],
  ['an unknown key field', `${ENC}resources:\n- resources: [secrets]\n  providers:\n  - aescbc: {keys: [{name: k1, secret: abc, rotate: true}]}\n`, /unknown field "resources\[0\]\.providers\[0\]\.aescbc\.keys\[0\]\.rotate"/],
  ['a value of the wrong type', `${ENC}resources:\n- resources: secrets\n  providers: [{identity: {}}]\n`, /resources\[0\]\.resources must be a list, got a string.*the API server will refuse this file/],
  ['a misspelled kind', 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguraton\nresources: []\n', /registers no kind "EncryptionConfiguraton" in apiserver\.config\.k8s\.io \(did you mean "EncryptionConfiguration"\?\).*refuse/],
  ['a kind at a version that does not serve it', 'apiVersion: apiserver.config.k8s.io/v1alpha1\nkind: EncryptionConfiguration\nresources: []\n', /does not read EncryptionConfiguration at apiserver\.config\.k8s\.io\/v1alpha1; it reads apiserver\.config\.k8s\.io\/v1/],
  ['the legacy v1 EncryptionConfig', 'apiVersion: v1\nkind: EncryptionConfig\nresources:\n- resources: [secrets]\n  providers: [{identity: {}}]\n', undefined],
  ['the legacy v1 EncryptionConfig with a typo', 'apiVersion: v1\nkind: EncryptionConfig\nresources:\n- resources: [secrets]\n  providres: [{identity: {}}]\n', /unknown field "resources\[0\]\.providres" \(did you mean "providers"\?\): the API server refuses/],
  ['AdmissionConfiguration with a typo', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugin:\n- name: EventRateLimit\n  path: erl.yaml\n', /unknown field "plugin" \(did you mean "plugins"\?\): the API server refuses/],
  ['AdmissionConfiguration whose plugin configuration is opaque', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration: {apiVersion: pod-security.admission.config.k8s.io/v1, kind: PodSecurityConfiguration, anything: 1}\n', undefined],
  ['AuthenticationConfiguration with a typo', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: "https://issuer.example", audiences: [a], audienceMatchPolicy: MatchAny, urll: x}\n  claimMappings: {username: {claim: sub, prefix: ""}}\n', /unknown field "jwt\[0\]\.issuer\.urll" \(did you mean "url"\?\)/],
  ['AuthorizationConfiguration valid', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n- type: Node\n  name: node\n- type: RBAC\n  name: rbac\n', undefined],
  ['AuthorizationConfiguration with a boolean as a string', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n- type: Webhook\n  name: w\n  webhook: {timeout: 3s, failurePolicy: Deny, subjectAccessReviewVersion: v1, matchConditionSubjectAccessReviewVersion: v1, authorizedTTL: 5m, unauthorizedTTL: 30s, connectionInfo: {type: InClusterConfig}, cacheAuthorizedRequests: "yes please"}\n', /cacheAuthorizedRequests must be true or false, got a string/],
  ['an audit Policy with a misspelled omitStages (ignored, not refused)', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStage: [RequestReceived]\nrules:\n- level: Metadata\n', /unknown field "omitStage" \(did you mean "omitStages"\?\): the API server ignores it \(it falls back to lenient decoding/],
  ['a KubeletConfiguration with a misspelled field (ignored)', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: {anonymous: {enable: false}}\n', /unknown field "authentication\.anonymous\.enable" \(did you mean "enabled"\?\): the kubelet ignores it/],
  ['a field written twice in an EncryptionConfiguration (refused by the strict decoder)', `${ENC}resources:\n- resources: [secrets]\n  providers: [{identity: {}}]\n  resources: [configmaps]\n`, /^"resources\[0\]\.resources" is given twice \(again at line 6\): strict decoding rejects a duplicate field, so the API server will refuse this file$/],
  ['a field written twice in a KubeletConfiguration (the lenient fallback keeps the last)', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\nreadOnlyPort: 0\n', /^"readOnlyPort" is given twice \(again at line 4\): strict decoding rejects it, so the kubelet falls back to lenient decoding and uses the last value$/],
  ['a KubeletConfiguration with a port as a string (refused)', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: "0"\n', /readOnlyPort must be an integer, got a string.*the kubelet will refuse this file/],
];

for (const [what, yaml, expected] of CASES) {
  test(`config-file-decodes: ${what}`, () => {
    const messages = problems(yaml);
    if (!expected) assert.deepEqual(messages, []);
    else {
      assert.equal(messages.length, 1, messages.join('\n'));
      assert.match(messages[0]!, expected);
    }
  });
}

test('kinds of these groups that kubeharden does not model are not taken for misspellings; other groups are left alone', () => {
  assert.deepEqual(problems('apiVersion: apiserver.config.k8s.io/v1\nkind: EgressSelectorConfiguration\negressSelections: []\n'), []);
  assert.deepEqual(problems('apiVersion: example.com/v1\nkind: Policy\nanything: 1\n'), []);
});

test('real configuration files in the fixtures decode without a problem', () => {
  for (const file of ['test/fixtures/node/kubeadm/kubelet-config.yaml', 'test/fixtures/audit/k8s-docs-audit-policy.yaml']) {
    const inv = inventoryFromYaml(readFileSync(path.join(REPO_ROOT, file), 'utf8'));
    assert.ok(inv.objects.length > 0);
    for (const o of inv.objects) assert.deepEqual(decodeConfig(o.raw)?.problems ?? [], [], file);
  }
});

test('the legacy v1 EncryptionConfig gets the secrets checks too', () => {
  const inv = inventoryFromYaml('apiVersion: v1\nkind: EncryptionConfig\nresources:\n- resources: [secrets]\n  providers: [{identity: {}}]\n');
  const atRest = secretsChecks.find((c) => c.id === 'secrets-encrypted-at-rest')!;
  assert.ok(atRest.scope === 'object');
  const v = atRest.evaluate(inv.objects[0]!, contextFor(inv));
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /identity/);
});
