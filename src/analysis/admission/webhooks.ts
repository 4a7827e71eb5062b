// Admission webhooks as the API server calls them (admissionregistration.k8s.io): which are
// security controls, whether they fail closed, and which requests escape them through their
// selectors.

import { isMapping, type InventoryObject, type PathSegment } from '../../inventory/model.js';

export const WEBHOOK_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

export interface Webhook {
  index: number;
  name: string;
  raw: Record<string, unknown>;
}

export function webhooksOf(obj: InventoryObject): Webhook[] {
  if (obj.group !== 'admissionregistration.k8s.io' || !Array.isArray(obj.raw.webhooks)) return [];
  return obj.raw.webhooks.flatMap((raw, index) => (isMapping(raw) ? [{ index, name: typeof raw.name === 'string' ? raw.name : `#${index}`, raw }] : []));
}

/**
 * Policy engines and image verifiers whose webhooks enforce security: recognised by the
 * configuration name, the webhook name or the Service they call. A heuristic by necessity —
 * a webhook's purpose is not in its API object.
 */
const SECURITY_ENGINES = /\b(kyverno|gatekeeper|opa|kubewarden|policy\.sigstore|policy-controller|sigstore|connaisseur|k-rail|jspolicy|datree|polaris|neuvector|ratify|kube-policy|validating-admission-policy|cosign|kubescape|kubeharden)\b/i;

export function isSecurityWebhook(config: InventoryObject, webhook: Webhook): boolean {
  const { service, url } = clientOf(webhook);
  return [config.name, webhook.name, service.name ?? '', service.namespace ?? '', url ?? ''].some((s) => SECURITY_ENGINES.test(s));
}

/** Where the API server sends the webhook's requests: an in-cluster Service or a URL. */
export function clientOf(webhook: Webhook): { service: { name?: string; namespace?: string }; url?: string } {
  const client = isMapping(webhook.raw.clientConfig) ? webhook.raw.clientConfig : {};
  const service = isMapping(client.service) ? client.service : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { service: { name: str(service.name), namespace: str(service.namespace) }, url: str(client.url) };
}

/** failurePolicy as the API server applies it: unset is Fail in v1, Ignore in v1beta1. */
export function effectiveFailurePolicy(config: InventoryObject, webhook: Webhook): string {
  const fp = webhook.raw.failurePolicy;
  if (typeof fp === 'string') return fp;
  return config.apiVersion.endsWith('/v1beta1') ? 'Ignore' : 'Fail';
}

/** Namespaces every cluster has and admission policies commonly leave out. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface Escape {
  path: PathSegment[];
  /** How requests escape, in words. */
  message: string;
}

/**
 * Ways a request escapes the webhook through its selectors: a namespace or object label that
 * whoever can label the namespace or object controls, or a list of excluded namespaces beyond
 * the system ones (and the webhook's own namespace).
 */
export function selectorEscapes(webhook: Webhook, ownNamespace: string | undefined): Escape[] {
  const out: Escape[] = [];
  for (const selector of ['namespaceSelector', 'objectSelector'] as const) {
    const sel = webhook.raw[selector];
    if (!isMapping(sel)) continue;
    const who = selector === 'namespaceSelector' ? 'namespaces' : 'objects';
    const base: PathSegment[] = ['webhooks', webhook.index, selector];
    const matchLabels = isMapping(sel.matchLabels) ? sel.matchLabels : {};
    for (const [key, value] of Object.entries(matchLabels)) {
      if (selector === 'namespaceSelector' && key === NAMESPACE_NAME_LABEL) continue;
      out.push({ path: [...base, 'matchLabels', key], message: `webhook "${webhook.name}" only sees ${who} labelled ${key}=${String(value)}: ${who} without that label bypass it` });
    }
    const expressions = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
    expressions.forEach((e, i) => {
      if (!isMapping(e) || typeof e.key !== 'string') return;
      const path = [...base, 'matchExpressions', i];
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      if (selector === 'namespaceSelector' && e.key === NAMESPACE_NAME_LABEL) {
        // The API server sets this label to the namespace name; nobody can fake it.
        if (e.operator === 'NotIn') {
          const extra = values.filter((v) => !SYSTEM_NAMESPACES.has(v) && v !== ownNamespace);
          if (extra.length) out.push({ path, message: `webhook "${webhook.name}" skips namespaces ${extra.join(', ')} besides the system ones` });
        } else if (e.operator === 'In') {
          out.push({ path, message: `webhook "${webhook.name}" only sees namespaces ${values.join(', ')}: every other namespace bypasses it` });
        }
        return;
      }
      const by = who === 'namespaces' ? 'whoever can label a namespace' : 'whoever creates the object';
      if (e.operator === 'DoesNotExist' || e.operator === 'NotIn') {
        out.push({ path, message: `webhook "${webhook.name}" skips ${who} labelled ${e.key}${e.operator === 'NotIn' ? ` in (${values.join(', ')})` : ''}: ${by} can opt out of it` });
      } else if (e.operator === 'In' || e.operator === 'Exists') {
        out.push({ path, message: `webhook "${webhook.name}" only sees ${who} labelled ${e.key}${e.operator === 'In' ? ` in (${values.join(', ')})` : ''}: ${who} without that label bypass it` });
      }
    });
  }
  return out;
}
