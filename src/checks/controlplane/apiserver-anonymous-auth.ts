import { observeFlag } from '../../analysis/flags/settings.js';
import { parseGoBool } from '../../analysis/flags/values.js';
import { getPath } from '../../inventory/model.js';
import { readConfigDocument } from '../../analysis/flags/config-documents.js';
import { describeSeen, evaluateEach, evidenceOf } from '../node/evaluate.js';
import { defineNodeCheck } from '../node/types.js';

const cis = { id: '1.2.1', automated: false };
const AUTHENTICATION_CONFIG = { kinds: ['AuthenticationConfiguration'], groups: ['apiserver.config.k8s.io'] };

/**
 * CIS 1.2.1. Since 1.32 anonymous access can be configured in the structured
 * AuthenticationConfiguration instead of --anonymous-auth (they are mutually exclusive),
 * so the file is read when the flag is absent.
 */
export const apiserverAnonymousAuthDisabled = defineNodeCheck({
  id: 'apiserver-anonymous-auth-disabled',
  title: 'The API server refuses anonymous requests',
  severity: 'medium',
  category: 'control-plane',
  cis,
  rationale:
    'Anonymous requests reach every endpoint RBAC grants to system:anonymous; a mistaken binding then opens the cluster. ' +
    'The benchmark marks this Manual because some health probes rely on anonymous access to /healthz, /livez and /readyz: ' +
    'an AuthenticationConfiguration can allow anonymous requests on those paths only.',
  remediation:
    'Set --anonymous-auth=false on kube-apiserver, or in an AuthenticationConfiguration set anonymous.enabled: false ' +
    '(or limit it with anonymous.conditions to the health paths).',
  appliesTo: 'kube-apiserver --anonymous-auth, or the anonymous stanza of its --authentication-config file',
  evaluateNode: (facts) =>
    evaluateEach(facts, 'kube-apiserver', cis, (c) => {
      const flag = observeFlag(c, 'anonymous-auth', 'true');
      const configFlag = observeFlag(c, 'authentication-config');
      if (flag.set || !configFlag.set) {
        const ok = parseGoBool(flag.value ?? '') === false;
        return ok
          ? { ok: true, evidence: [evidenceOf(flag)] }
          : { ok: false, evidence: [evidenceOf(flag)], message: `kube-apiserver --anonymous-auth is ${describeSeen(flag)} in ${c.where}; set it to false`, location: flag.location };
      }
      const doc = readConfigDocument(facts, c, configFlag.value as string, AUTHENTICATION_CONFIG);
      if (!doc.ok) return { ok: 'unknown', evidence: [evidenceOf(configFlag)], reason: `cannot read the authentication config: ${doc.message}` };
      const enabled = getPath(doc.value, ['anonymous', 'enabled']);
      const conditions = getPath(doc.value, ['anonymous', 'conditions']);
      const evidence = [evidenceOf(configFlag), { subject: 'AuthenticationConfiguration anonymous.enabled', value: enabled === undefined ? undefined : String(enabled), source: doc.source }];
      if (enabled === false) return { ok: true, evidence };
      if (enabled === true && Array.isArray(conditions) && conditions.length > 0) {
        return { ok: true, evidence, note: `anonymous requests are limited to ${conditions.length} path condition(s); review them` };
      }
      return {
        ok: false,
        evidence,
        message: `anonymous requests are ${enabled === true ? 'enabled without path conditions' : 'not configured (the --anonymous-auth default true applies)'} in ${doc.source}; set anonymous.enabled: false`,
        location: { file: doc.source, path: 'anonymous.enabled' },
      };
    }),
});
