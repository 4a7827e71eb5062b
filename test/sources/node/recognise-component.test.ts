// Control-plane containers are recognised by what they run: command, args naming the program
// (images whose CMD is the program), an image whose entrypoint is the component, the kubeadm
// label — and the way it was recognised is recorded and said in `where`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recogniseComponent } from '../../../src/analysis/flags/static-pods.js';
import { cisNodeChecks } from '../../../src/checks/node/index.js';
import { runCheck } from '../../helpers.js';

const CASES: [string, string[], string[], string | undefined, string, string | undefined][] = [
  // [what, command, args, label, image, expected "component by"]
  ['command names the program', ['etcd'], ['--data-dir=/var/lib/etcd'], undefined, 'busybox', 'etcd by command'],
  ['hyperkube subcommand', ['/hyperkube', 'kube-apiserver'], [], undefined, 'x', 'kube-apiserver by command'],
  ['args name the program (image CMD replaced)', [], ['/usr/local/bin/etcd', '--cert-file=/a'], undefined, 'quay.io/coreos/etcd:v3.5.16', 'etcd by args'],
  ['etcd image entrypoint, flags only', [], ['--cert-file=/a'], undefined, 'registry.k8s.io/etcd:3.5.21-0', 'etcd by image registry.k8s.io/etcd:3.5.21-0'],
  ['etcd image by digest', [], ['--cert-file=/a'], undefined, 'gcr.io/etcd-development/etcd@sha256:0123', 'etcd by image gcr.io/etcd-development/etcd@sha256:0123'],
  ['mirrored etcd image', [], [], undefined, 'rancher/mirrored-coreos-etcd:v3.5.12', 'etcd by image rancher/mirrored-coreos-etcd:v3.5.12'],
  ['controller manager image with arch suffix', [], ['--profiling=false'], undefined, 'k8s.gcr.io/kube-controller-manager-amd64:v1.11.0', 'kube-controller-manager by image k8s.gcr.io/kube-controller-manager-amd64:v1.11.0'],
  ['scheduler image on a private registry port', [], ['--bind-address=127.0.0.1'], undefined, 'registry.local:5000/kube-scheduler:v1.34.1', 'kube-scheduler by image registry.local:5000/kube-scheduler:v1.34.1'],
  ['unknown image, kubeadm label', [], ['--profiling=false'], 'kube-scheduler', 'corp/sched:1', 'kube-scheduler by label component=kube-scheduler'],
  // Not components:
  ['command runs something else, etcd image', ['/bin/sh', '-c', 'sleep 1'], [], 'etcd', 'registry.k8s.io/etcd:3.5.21-0', undefined],
  ['args run something else', [], ['etcdctl', 'snapshot', 'save'], undefined, 'registry.k8s.io/etcd:3.5.21-0', undefined],
  ['etcd operator image', [], ['--namespace=x'], undefined, 'quay.io/coreos/etcd-operator:v0.9.4', undefined],
  ['etcd backup image', [], [], undefined, 'corp/etcd-backup:1.0', undefined],
  ['apiserver proxy image', [], [], undefined, 'corp/kube-apiserver-proxy:1', undefined],
  ['no command, no known image, no label', [], ['--port=1'], undefined, 'nginx:1.27', undefined],
];

for (const [what, command, args, label, image, expected] of CASES) {
  test(`recognition: ${what}`, () => {
    const r = recogniseComponent(command, args, label, image);
    assert.equal(r ? `${r.component} by ${r.by}` : undefined, expected);
  });
}

test('an etcd Pod started by its image entrypoint with flags only in args runs the etcd items, and says how it was recognised', () => {
  const v = runCheck(cisNodeChecks.find((c) => c.id === 'etcd-client-cert-auth')!, `
apiVersion: v1
kind: Pod
metadata: {name: etcd-0, namespace: kube-system}
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.21-0
    args: [--data-dir=/var/lib/etcd, --client-cert-auth=false]
`);
  assert.equal(v.length, 1);
  assert.deepEqual(v[0]!.path, ['spec', 'containers', 0, 'args', 1]);
  assert.match(v[0]!.message, /recognised by image registry\.k8s\.io\/etcd:3\.5\.21-0/);
});
