// Effective admission plugins from kube-apiserver flags, the AdmissionConfiguration file and the
// plugin configurations it names (pkg/kubeapiserver/options, k8s.io/apiserver admission/config.go).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeAdmission } from '../../../src/analysis/admission/analyze.js';
import { podSecurityGaps } from '../../../src/analysis/admission/config.js';
import { parseFlags } from '../../../src/analysis/admission/apiserver-pod.js';
import { DEFAULT_ON_PLUGINS, admissionFlagsFrom, effectivePlugins, parseKubernetesVersion } from '../../../src/analysis/admission/plugins.js';

const flags = (...argv: string[]) => parseFlags(argv);
const enabled = (...argv: string[]) => effectivePlugins(admissionFlagsFrom(flags(...argv))).enabled;

test('without flags, exactly the default-on plugins run, in the API server order', () => {
  const on = enabled();
  assert.deepEqual(new Set(on), DEFAULT_ON_PLUGINS);
  assert.equal(on[0], 'NamespaceLifecycle');
  assert.deepEqual(on.slice(-3), ['ValidatingAdmissionPolicy', 'ValidatingAdmissionWebhook', 'ResourceQuota']);
  for (const off of ['AlwaysAdmit', 'NodeRestriction', 'EventRateLimit', 'AlwaysPullImages', 'DenyServiceExternalIPs']) assert.ok(!on.includes(off), off);
});

test('--enable-admission-plugins adds to the defaults; --disable-admission-plugins removes from them', () => {
  const on = enabled('--enable-admission-plugins=NodeRestriction,EventRateLimit', '--disable-admission-plugins', 'ServiceAccount');
  assert.ok(on.includes('NodeRestriction') && on.includes('EventRateLimit') && on.includes('PodSecurity'));
  assert.ok(!on.includes('ServiceAccount'));
  assert.ok(on.indexOf('NodeRestriction') < on.indexOf('EventRateLimit'), 'the API server order, not the flag order');
});

test('repeated --enable-admission-plugins append (pflag StringSlice), they do not replace', () => {
  const on = enabled('--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=AlwaysPullImages');
  assert.ok(on.includes('NodeRestriction') && on.includes('AlwaysPullImages'));
});

test('the deprecated --admission-control runs exactly the plugins it lists', () => {
  assert.deepEqual(enabled('--admission-control=ServiceAccount,NamespaceLifecycle,AlwaysAdmit'), ['AlwaysAdmit', 'NamespaceLifecycle', 'ServiceAccount']);
});

test('flags the API server refuses: unknown or removed plugins, overlap, legacy flag mixed with the new ones', () => {
  const p = (...argv: string[]) => effectivePlugins(admissionFlagsFrom(flags(...argv))).problems;
  assert.match(p('--enable-admission-plugins=PodSecurityPolicy')[0]!, /names PodSecurityPolicy, which is removed in Kubernetes 1\.25 \(use PodSecurity\): the API server refuses to start/);
  assert.match(p('--disable-admission-plugins=NodeRestrictions')[0]!, /NodeRestrictions, which is not an admission plugin of Kubernetes/);
  assert.match(p('--enable-admission-plugins=NodeRestriction', '--disable-admission-plugins=NodeRestriction')[0]!, /NodeRestriction both enabled and disabled/);
  assert.match(p('--admission-control=NodeRestriction', '--enable-admission-plugins=PodSecurity')[0]!, /mutually exclusive/);
  assert.deepEqual(p('--enable-admission-plugins=NodeRestriction'), []);
});

test('the defaults follow the Kubernetes version: PodSecurity is on from 1.23', () => {
  const at = (v: string) => effectivePlugins({ enable: [], disable: [] }, parseKubernetesVersion(v)!).enabled;
  assert.ok(!at('1.22').includes('PodSecurity'));
  assert.ok(at('v1.23.4').includes('PodSecurity'));
  assert.match(effectivePlugins({ enable: ['PodTopologyLabels'], disable: [] }, { minor: 30 }).problems[0]!, /added in Kubernetes 1\.33/);
  assert.equal(parseKubernetesVersion('2.0'), undefined);
});

test('flag reader: --flag=value, --flag value, bare boolean flags', () => {
  assert.deepEqual([...flags('--a=1', '--b', '2', '--c', '--d=x=y')], [['a', '1'], ['b', '2'], ['c', 'true'], ['d', 'x=y']]);
});

test('flag reader is the components\' parser: repeated list flags append (pflag StringSlice), others keep the last', () => {
  const f = flags('--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins', 'EventRateLimit', '--profiling=true', '--profiling=false');
  assert.equal(f.get('enable-admission-plugins'), 'NodeRestriction,EventRateLimit');
  assert.equal(f.get('profiling'), 'false');
  assert.deepEqual(enabled('--enable-admission-plugins=NodeRestriction', '--enable-admission-plugins=AlwaysAdmit').filter((p) => ['AlwaysAdmit', 'NodeRestriction'].includes(p)), ['AlwaysAdmit', 'NodeRestriction']);
  // A boolean flag never takes the next word as its value.
  assert.equal(flags('--profiling', 'false').get('profiling'), 'true');
});

const files = (entries: Record<string, string>) => (f: string) => entries[f];

const ADMISSION_CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  path: podsecurity.yaml
- name: EventRateLimit
  configuration:
    apiVersion: eventratelimit.admission.k8s.io/v1alpha1
    kind: Configuration
    limits:
    - {type: Namespace, qps: 50, burst: 100}
`;
const PSA_CONFIG = `apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
defaults: {enforce: baseline, enforce-version: v1.30, warn: restricted}
exemptions: {namespaces: [kube-system], usernames: [], runtimeClasses: [kata]}
`;

test('the AdmissionConfiguration: a relative path is read next to it; embedded configuration is used as is', () => {
  const a = analyzeAdmission(
    flags('--enable-admission-plugins=EventRateLimit', '--admission-control-config-file=/etc/kubernetes/admission.yaml'),
    files({ '/etc/kubernetes/admission.yaml': ADMISSION_CONFIG, '/etc/kubernetes/podsecurity.yaml': PSA_CONFIG }),
  );
  assert.deepEqual(a.problems, []);
  assert.deepEqual(a.podSecurity?.defaults, { enforce: { level: 'baseline', version: 'v1.30' }, audit: { level: 'privileged', version: 'latest' }, warn: { level: 'restricted', version: 'latest' } });
  assert.deepEqual(a.podSecurity?.exemptions, { namespaces: ['kube-system'], usernames: [], runtimeClasses: ['kata'] });
  assert.deepEqual(a.eventRateLimit?.limits, [{ type: 'Namespace', qps: 50, burst: 100 }]);
});

test('without a configuration file, PodSecurity defaults to privileged at latest for every mode', () => {
  const a = analyzeAdmission(flags(), files({}));
  assert.deepEqual(Object.values(a.podSecurity!.defaults), [0, 1, 2].map(() => ({ level: 'privileged', version: 'latest' })));
});

test('bad input: a plugin configuration file that is missing, a missing config file, bad PodSecurity and EventRateLimit values', () => {
  const missing = analyzeAdmission(flags('--admission-control-config-file=/etc/kubernetes/admission.yaml'), files({ '/etc/kubernetes/admission.yaml': ADMISSION_CONFIG }));
  assert.deepEqual(missing.problems, ['/etc/kubernetes/admission.yaml: plugins[0] (PodSecurity) names /etc/kubernetes/podsecurity.yaml, which does not exist or cannot be read: the API server stops at start-up']);
  const noFile = analyzeAdmission(flags('--admission-control-config-file=/nope.yaml'), files({}));
  assert.match(noFile.problems[0]!, /names \/nope\.yaml, which does not exist or cannot be read/);
  const badValues = analyzeAdmission(
    flags('--enable-admission-plugins=EventRateLimit', '--admission-control-config-file=/a.yaml'),
    files({
      '/a.yaml': 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration: {apiVersion: pod-security.admission.config.k8s.io/v1, kind: PodSecurityConfiguration, defaults: {enforce: strict, audit-version: "1.29"}}\n- name: EventRateLimit\n  configuration: {apiVersion: eventratelimit.admission.k8s.io/v1alpha1, kind: Configuration, limits: [{type: Pod, qps: 0, burst: 5}]}\n',
    }),
  );
  assert.deepEqual(badValues.problems, [
    '/a.yaml: defaults.enforce "strict" must be one of privileged, baseline, restricted: the API server refuses to start',
    '/a.yaml: defaults.audit-version "1.29" must be "latest" or "v1.N": the API server refuses to start',
    '/a.yaml: limits[0].type "Pod" must be one of Server, Namespace, User, SourceAndObject',
    '/a.yaml: limits[0].qps must be positive',
  ]);
  const noLimits = analyzeAdmission(flags('--enable-admission-plugins=EventRateLimit'), files({}));
  assert.match(noLimits.problems[0]!, /EventRateLimit is enabled without a configuration; it needs at least one limit/);
  const notYaml = analyzeAdmission(flags('--admission-control-config-file=/a.yaml'), files({ '/a.yaml': 'kind: [' }));
  assert.match(notYaml.problems[0]!, /^\/a\.yaml: line \d+: invalid YAML/);
  const wrongKind = analyzeAdmission(flags('--admission-control-config-file=/a.yaml'), files({ '/a.yaml': 'apiVersion: v1\nkind: ConfigMap\n' }));
  assert.match(wrongKind.problems[0]!, /is not an AdmissionConfiguration/);
});

test('when the files cannot be read (a manifest scan), the configuration is not guessed', () => {
  const a = analyzeAdmission(flags('--admission-control-config-file=/etc/kubernetes/admission.yaml'));
  assert.equal(a.configNotRead, "/etc/kubernetes/admission.yaml is on the API server's host and was not scanned");
  assert.equal(a.podSecurity, undefined);
  assert.deepEqual(a.problems, []);
});

test('PodSecurity gaps: privileged default, exempt namespaces beyond kube-system, users, unsandboxed runtime classes', () => {
  const a = analyzeAdmission(flags('--admission-control-config-file=/etc/kubernetes/admission.yaml'), files({ '/etc/kubernetes/admission.yaml': ADMISSION_CONFIG, '/etc/kubernetes/podsecurity.yaml': PSA_CONFIG }));
  assert.deepEqual(podSecurityGaps(a.podSecurity!, ['gvisor', 'kata']), []);
  const open = podSecurityGaps({ ...a.podSecurity!, defaults: { ...a.podSecurity!.defaults, enforce: { level: 'privileged', version: 'latest' } }, exemptions: { namespaces: ['kube-system', 'ci'], usernames: ['admin'], runtimeClasses: ['kata', 'runc'] } }, ['kata']);
  assert.equal(open.length, 4);
  assert.match(open[0]!, /defaults\.enforce is privileged/);
  assert.match(open[1]!, /exempts ci besides kube-system/);
  assert.match(open[2]!, /exemptions\.usernames exempts admin/);
  assert.match(open[3]!, /exempts runc, not known as sandboxed/);
});
