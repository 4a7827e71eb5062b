// The checks that close the gaps to the peers' rule sets (Polaris, kube-linter, kube-score,
// kubescape, checkov), each with passing and failing inputs, and the reliability category.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/checks/types.js';
import { parseConfig } from '../../src/engine/config.js';
import { contextFor, inventoryFromYaml, runCheck } from '../helpers.js';

const check = (id: string): Check => ALL_CHECKS.find((c) => c.id === id)!;

const deploy = (spec: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
${spec}
---
${extra}`;
const podSpec = (spec: string, replicas = 1, labels = '{app: web}') =>
  deploy(`  replicas: ${replicas}\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n    spec:\n${spec.replace(/^/gm, '      ')}`);
const svc = (spec: string, annotations = '{}') => `apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop, annotations: ${annotations}}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;

/** [check, input, expected messages matching (empty: passes)] */
const CASES: [string, string, RegExp[]][] = [
  ['pod-no-container-runtime-socket', podSpec('containers: [{name: a, image: x}]\nvolumes: [{name: s, hostPath: {path: /run/containerd/containerd.sock}}]'), [/mounts the containerd socket \/run\/containerd\/containerd\.sock/]],
  ['pod-no-container-runtime-socket', podSpec('containers: [{name: a, image: x}]\nvolumes: [{name: s, hostPath: {path: /var/run//}}]'), [/mounts \/var\/run\/\/ from the host, which holds the Docker, containerd, containerd \(k3s\), CRI-O, Podman, cri-dockerd, dockershim socket/]],
  ['pod-no-container-runtime-socket', podSpec('containers: [{name: a, image: x}]\nvolumes: [{name: s, hostPath: {path: /var/log}}, {name: t, hostPath: {path: /var/run/docker.sock.bak}}]'), []],
  ['pod-no-deprecated-service-account-field', podSpec('serviceAccount: web\ncontainers: [{name: a, image: x}]'), [/deprecated field; write serviceAccountName: web/]],
  ['pod-no-deprecated-service-account-field', podSpec('serviceAccount: web\nserviceAccountName: api\ncontainers: [{name: a, image: x}]'), [/differs from serviceAccountName "api"; the pod runs as "api"/]],
  ['pod-no-deprecated-service-account-field', podSpec('serviceAccount: web\nserviceAccountName: web\ncontainers: [{name: a, image: x}]'), []],
  ['container-no-ssh-port', podSpec('containers: [{name: a, image: x, ports: [{containerPort: 22}, {containerPort: 22, protocol: UDP}, {containerPort: 2222}]}]'), [/exposes port 22 \(SSH\) as containerPort/]],
  ['service-no-ssh-port', svc('ports: [{port: 2222, targetPort: 22}, {port: 443}]'), [/port 2222 → 22 exposes SSH/]],
  ['service-no-ssh-port', svc('ports: [{port: 443, targetPort: 8443}]'), []],
  ['service-load-balancer-source-restricted', svc('type: LoadBalancer\nports: [{port: 443}]'), [/reachable from any address/]],
  ['service-load-balancer-source-restricted', svc('type: LoadBalancer\nloadBalancerSourceRanges: [0.0.0.0/0]\nports: [{port: 443}]'), [/includes 0\.0\.0\.0\/0/]],
  ['service-load-balancer-source-restricted', svc('type: LoadBalancer\nloadBalancerSourceRanges: [203.0.113.0/24]\nports: [{port: 443}]'), []],
  ['service-load-balancer-source-restricted', svc('type: LoadBalancer\nports: [{port: 443}]', '{networking.gke.io/load-balancer-type: Internal}'), []],
  ['service-load-balancer-source-restricted', svc('type: NodePort\nports: [{port: 443}]'), []],
  ['cluster-no-dashboard-or-tiller', podSpec('serviceAccountName: kubernetes-dashboard\ncontainers: [{name: d, image: "docker.io/kubernetesui/dashboard:v2.7.0"}]'), [/runs the Kubernetes Dashboard .* under ServiceAccount "kubernetes-dashboard"/]],
  ['cluster-no-dashboard-or-tiller', podSpec('containers: [{name: t, image: "gcr.io/kubernetes-helm/tiller:v2.17.0"}]'), [/runs Helm 2 Tiller .* under ServiceAccount "default"/]],
  ['cluster-no-dashboard-or-tiller', podSpec('containers: [{name: d, image: "grafana/dashboard:1"}, {name: m, image: "kubernetesui/metrics-scraper:v1.0.8"}, {name: t, image: "corp/tiller:1"}]'), []],
  ['container-image-digest-only', podSpec('containers: [{name: a, image: "r.example/app:1.2"}, {name: b, image: "r.example/app@sha256:' + 'a'.repeat(64) + '"}]'), [/container "a" image "r\.example\/app:1\.2" is not referenced by digest/]],
  ['container-image-pull-policy-always', podSpec('containers: [{name: a, image: "r.example/app:1.2"}, {name: b, image: "r.example/app"}, {name: c, image: "r.example/app:1.2", imagePullPolicy: IfNotPresent}, {name: d, image: "r.example/app:1.2", imagePullPolicy: Always}]'), [/"a" does not set imagePullPolicy, which defaults to IfNotPresent/, /"c" has imagePullPolicy IfNotPresent/]],
  ['container-runs-with-high-uid', podSpec('securityContext: {runAsUser: 10001, runAsGroup: 10001}\ncontainers: [{name: a, image: x}, {name: b, image: x, securityContext: {runAsUser: 1000}}]'), [/"b" runs with runAsUser 1000, below 10000/]],
  ['container-ephemeral-storage-set', podSpec('containers: [{name: a, image: x, resources: {limits: {ephemeral-storage: 1Gi}}}, {name: b, image: x}]'), [/"b" does not set resources\.limits\.ephemeral-storage/, /"b" does not set resources\.requests\.ephemeral-storage/]],
  ['rbac-pod-exec-restricted', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: debug, namespace: shop}\nrules:\n- apiGroups: [""]\n  resources: [pods/exec, pods/log]\n  verbs: [create, get]\n- apiGroups: [""]\n  resources: [pods/portforward]\n  verbs: [create]\n', [/rules\[0\].*grants .*pods\/exec/, /rules\[1\].*grants .*pods\/portforward/]],
  ['rbac-pod-exec-restricted', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: view, namespace: shop}\nrules:\n- apiGroups: [""]\n  resources: [pods, pods/log]\n  verbs: [get, list, watch]\n', []],
  // Reliability.
  ['container-liveness-probe-set', podSpec('containers: [{name: a, image: x}, {name: b, image: x, livenessProbe: {tcpSocket: {port: 80}}}]'), [/"a" has no livenessProbe/]],
  ['container-liveness-probe-set', 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: shop}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: x}]\n', []],
  ['service-backends-have-readiness-probe', podSpec('containers: [{name: a, image: x}]') + svc('selector: {app: web}\nports: [{port: 80}]'), [/"a" has no readinessProbe, yet Service s sends it traffic/]],
  ['service-backends-have-readiness-probe', podSpec('containers: [{name: a, image: x}]') + svc('selector: {app: api}\nports: [{port: 80}]'), []],
  ['workload-replicas-more-than-one', deploy('  replicas: 1\n  template: {spec: {containers: [{name: a, image: x}]}}'), [/runs 1 replica/]],
  ['workload-replicas-more-than-one', deploy('  template: {spec: {containers: [{name: a, image: x}]}}'), [/replicas is not set, so it runs 1 replica/]],
  ['workload-replicas-more-than-one', deploy('  template: {spec: {containers: [{name: a, image: x}]}}', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 5}\n'), []],
  ['workload-has-pod-disruption-budget', podSpec('containers: [{name: a, image: x}]', 3), [/no PodDisruptionBudget of the input selects its pods, so a node drain may evict all 3 replicas/]],
  ['workload-has-pod-disruption-budget', podSpec('containers: [{name: a, image: x}]', 3) + 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: shop}\nspec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}\n', []],
  ['workload-has-pod-disruption-budget', podSpec('containers: [{name: a, image: x}]', 1), []],
  ['workload-replicas-spread', podSpec('containers: [{name: a, image: x}]', 3), [/3 replicas with neither topologySpreadConstraints nor podAntiAffinity/]],
  ['workload-replicas-spread', podSpec('topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}]\ncontainers: [{name: a, image: x}]', 3), []],
  ['hpa-scales-safely', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 1}\n', [/minReplicas is not set, so it defaults to 1/, /maxReplicas 1 is not above minReplicas 1/]],
  ['hpa-scales-safely', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec: {scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 6}\n', []],
  // Dangling references: reported only as near misses of what the input holds.
  ['pod-service-account-exists', podSpec('serviceAccountName: wbe\ncontainers: [{name: a, image: x}]') + 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n', [/ServiceAccount "wbe" is not in namespace shop; did you mean "web"\?/]],
  ['pod-service-account-exists', podSpec('serviceAccountName: payments\ncontainers: [{name: a, image: x}]') + 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n', []],
  ['pod-service-account-exists', podSpec('serviceAccountName: web\ncontainers: [{name: a, image: x}]') + 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n', []],
  ['service-selects-pods', podSpec('containers: [{name: a, image: x}]', 1, '{app: frontend, tier: web}') + svc('selector: {app: frontned, tier: web}\nports: [{port: 80}]'), [/matches no pod in namespace shop; did you mean app=frontend\?/]],
  ['service-selects-pods', podSpec('containers: [{name: a, image: x}]', 1, '{app: frontend}') + svc('selector: {app: prometheus}\nports: [{port: 80}]'), []],
  ['service-selects-pods', podSpec('containers: [{name: a, image: x}]', 1, '{app: frontend}') + svc('selector: {app: frontend}\nports: [{port: 80}]'), []],
  ['ingress-backend-exists', svc('selector: {app: web}\nports: [{port: 80}]').replace('name: s,', 'name: storefront,') + '---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: shop}\nspec:\n  rules:\n  - http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: storefornt, port: {number: 80}}}}\n      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}\n', [/backend Service "storefornt" is not in namespace shop; did you mean "storefront"\?/]],
  ['hpa-target-exists', deploy('  template: {spec: {containers: [{name: a, image: x}]}}', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: shop}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: wbe}, minReplicas: 2, maxReplicas: 5}\n'), [/Deployment "wbe" is not in namespace shop; did you mean "web"\?/]],
  ['hpa-target-exists', deploy('  template: {spec: {containers: [{name: a, image: x}]}}', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: shop}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}, minReplicas: 2, maxReplicas: 5}\n'), []],
];

for (const [id, yaml, expected] of CASES) {
  test(`${id}: ${expected.length ? 'fails' : 'passes'} (${expected.map(String).join(', ').slice(0, 80) || 'no finding'})`, () => {
    const messages = runCheck(check(id), yaml).map((v) => v.message);
    assert.equal(messages.length, expected.length, messages.join('\n'));
    expected.forEach((re, i) => assert.match(messages[i]!, re));
  });
}

test('the reliability category maps to no framework and can be turned off as a whole', () => {
  const reliability = ALL_CHECKS.filter((c) => c.category === 'reliability');
  assert.ok(reliability.length >= 6);
  assert.deepEqual(reliability.filter((c) => c.controls.length > 0).map((c) => c.id), []);
  const config = parseConfig('checks:\n  disableCategories: [reliability]\n', 'test.yaml', new Set(ALL_CHECKS.map((c) => c.id)));
  assert.deepEqual([...config.disabled].sort(), reliability.map((c) => c.id).sort());
});

test('policy checks that depend on a local choice are opt-in', () => {
  for (const id of ['container-image-digest-only', 'container-image-pull-policy-always', 'container-runs-with-high-uid', 'container-ephemeral-storage-set']) {
    assert.equal(check(id).optIn, true, id);
  }
});

test('object-has-required-metadata: labels and annotations from the configuration, by kind', () => {
  const config = parseConfig(
    'requiredLabels:\n- key: owner\n- key: tier\n  value: "web|api"\n  kinds: [Service]\nrequiredAnnotations:\n- key: contact\n  value: ".+@example\\\\.com"\n',
    'test.yaml',
    new Set(ALL_CHECKS.map((c) => c.id)),
  );
  const yaml = `${deploy('  template: {spec: {containers: [{name: a, image: x}]}}')}apiVersion: v1
kind: Service
metadata: {name: s, namespace: shop, labels: {tier: db}}
spec: {ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ok, namespace: shop, labels: {owner: payments}, annotations: {contact: team@example.com}}
spec:
  template: {spec: {containers: [{name: a, image: x}]}}
`;
  const messages = runCheck(check('object-has-required-metadata'), yaml, config.settings).map((v) => v.message);
  assert.deepEqual(messages, ['Deployment web has no label "owner"', 'Deployment web has no annotation "contact"', 'label "tier" is "db", which does not match web|api']);
  assert.throws(() => parseConfig('requiredLabels:\n- key: owner\n  value: "("\n', 'test.yaml', new Set()), /not a valid regular expression/);
});

test('object-has-required-metadata skips until the configuration requires something', () => {
  const c = check('object-has-required-metadata');
  assert.ok(c.scope === 'inventory');
  const inv = inventoryFromYaml(deploy('  template: {spec: {containers: [{name: a, image: x}]}}'));
  assert.deepEqual(c.evaluate(inv, contextFor(inv)), { skip: 'no requiredLabels or requiredAnnotations in the configuration' });
});
