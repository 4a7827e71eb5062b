import { observeFlag } from '../../analysis/flags/settings.js';
import { createHash } from 'node:crypto';
import { instancesOf, type NodeFacts } from '../../inventory/node-facts.js';
import { evaluateEach, evidenceOf } from '../node/evaluate.js';
import { observe } from '../templates/setting-item.js';
import { defineNodeCheck } from '../node/types.js';

const cis = { id: '2.7', automated: false };

function digest(facts: NodeFacts, path: string): string | undefined {
  const read = facts.host?.readText(path);
  return read?.ok ? createHash('sha256').update(read.text).digest('hex') : undefined;
}

/**
 * CIS 2.7: etcd trusts its own CA, not the cluster CA. kube-bench only tests that
 * --trusted-ca-file is set; the benchmark's intent is that it differs from the API
 * server's --client-ca-file (by path and, when both files can be read, by content).
 */
export const etcdUsesOwnCa = defineNodeCheck({
  id: 'etcd-uses-own-ca',
  title: 'etcd trusts its own CA, not the cluster CA',
  severity: 'high',
  category: 'etcd',
  cis,
  rationale: 'If etcd trusted the cluster CA, every client certificate the cluster CA signs (any user or node) could talk to etcd directly.',
  remediation: 'Give etcd its own CA (kubeadm: /etc/kubernetes/pki/etcd/ca.crt) in --trusted-ca-file, different from the API server\'s --client-ca-file.',
  appliesTo: 'etcd --trusted-ca-file compared with kube-apiserver --client-ca-file',
  evaluateNode: (facts) =>
    evaluateEach(facts, 'etcd', cis, (c) => {
      const etcdCa = observe(c, 'trusted-ca-file');
      const evidence = [evidenceOf(etcdCa)];
      if (etcdCa.unknown) return { ok: 'unknown', evidence, reason: etcdCa.unknown };
      if (!etcdCa.set) return { ok: false, evidence, message: `etcd has no --trusted-ca-file in ${c.where}; set one to etcd's own CA`, location: etcdCa.location };
      const apiserver = instancesOf(facts, 'kube-apiserver')[0];
      if (!apiserver) return { ok: 'unknown', evidence, reason: 'etcd has a trusted CA, but the API server is not on this node, so its --client-ca-file cannot be compared: check by hand that they differ' };
      const clusterCa = observeFlag(apiserver, 'client-ca-file');
      evidence.push(evidenceOf(clusterCa));
      if (!clusterCa.set) return { ok: true, evidence, note: 'the API server has no --client-ca-file to compare with' };
      const same = etcdCa.value === clusterCa.value;
      const etcdDigest = digest(facts, etcdCa.value as string);
      const sameContent = etcdDigest !== undefined && etcdDigest === digest(facts, clusterCa.value as string);
      if (same || sameContent) {
        return {
          ok: false,
          evidence,
          message: `etcd --trusted-ca-file ${etcdCa.value} (${c.where}) is ${same ? 'the same file as' : 'the same certificate as'} the API server's --client-ca-file ${clusterCa.value}; give etcd its own CA`,
          location: etcdCa.location,
        };
      }
      return { ok: true, evidence, ...(etcdDigest === undefined && facts.mode === 'node' ? { note: 'the CA files could not be read to compare contents; paths differ' } : {}) };
    }),
});
