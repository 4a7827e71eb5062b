import { evaluateEach, evidenceOf, unconfirmedPass } from './evaluate.js';
import { observe } from '../templates/setting-item.js';
import { parseGoBool } from '../../analysis/flags/values.js';
import { defineNodeCheck } from './types.js';

const cis = { id: '4.2.9', automated: false };

/**
 * CIS 4.2.9. kube-bench wants tlsCertFile and tlsPrivateKeyFile; a kubelet with
 * serverTLSBootstrap obtains a CA-signed serving certificate instead, which this check
 * accepts as equivalent and says so. Without either the kubelet self-signs.
 */
export const kubeletServingCertificate = defineNodeCheck({
  id: 'kubelet-serving-certificate', cis, severity: 'medium', category: 'node',
  title: 'The kubelet serves TLS with a CA-signed certificate',
  rationale: 'Without a configured or bootstrapped certificate the kubelet serves a self-signed one that the API server cannot verify.',
  remediation: 'Set serverTLSBootstrap: true in the kubelet config file (and approve the kubelet-serving CSRs), or set tlsCertFile and tlsPrivateKeyFile.',
  appliesTo: 'kubelet tlsCertFile/tlsPrivateKeyFile (--tls-cert-file/--tls-private-key-file) or serverTLSBootstrap (--rotate-server-certificates)',
  evaluateNode: (facts) =>
    evaluateEach(facts, 'kubelet', cis, (c) => {
      const cert = observe(c, 'tls-cert-file');
      const key = observe(c, 'tls-private-key-file');
      const bootstrap = observe(c, 'rotate-server-certificates');
      const evidence = [cert, key, bootstrap].map(evidenceOf);
      const unknown = [cert, key, bootstrap].find((o) => o.unknown);
      if (unknown) return { ok: 'unknown', evidence, reason: unknown.unknown as string };
      if (cert.set && key.set) return { ok: true, evidence };
      if (parseGoBool(bootstrap.value ?? '') === true) {
        return (
          unconfirmedPass(c, [{ obs: bootstrap, flag: 'rotate-server-certificates' }], evidence) ??
          { ok: true, evidence, note: 'serverTLSBootstrap obtains a CA-signed serving certificate; accepted in place of tlsCertFile/tlsPrivateKeyFile' }
        );
      }
      return { ok: false, evidence, message: `the kubelet in ${c.where} has neither tlsCertFile/tlsPrivateKeyFile nor serverTLSBootstrap: true, so it serves a self-signed certificate`, location: cert.location };
    }),
});
