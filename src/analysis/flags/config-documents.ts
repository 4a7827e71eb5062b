// Reading a config file a component names (kubelet --config, an AuthorizationConfiguration,
// an EncryptionConfiguration…). On a node: from the host, else from the container's own
// filesystem through /proc/PID/root (static pods keep some files inside the container).
// In a manifest scan: the one object of that kind in the input.

import { isMapping } from '../../inventory/model.js';
import { parseDocument, splitDocuments } from '../../inventory/yaml.js';
import type { ComponentFacts, NodeFacts } from '../../inventory/node-facts.js';

export type ConfigDocument =
  | { ok: true; value: Record<string, unknown>; source: string }
  | { ok: false; message: string };

export interface ExpectedKind {
  kinds: string[];
  /** API groups accepted (`apiVersion` before the slash). */
  groups: string[];
}

export function readConfigDocument(facts: NodeFacts, c: ComponentFacts | undefined, path: string, expected: ExpectedKind): ConfigDocument {
  if (facts.mode === 'manifests') {
    const found = expected.kinds.flatMap((k) => facts.inventory?.ofKind(k) ?? []).filter((o) => expected.groups.includes(o.group));
    if (found.length === 1) return { ok: true, value: found[0]!.raw, source: `${found[0]!.kind} in ${found[0]!.source.file}` };
    return { ok: false, message: found.length ? `${found.length} ${expected.kinds[0]} documents in the input; cannot tell which is ${path}` : `${path} is not in the input (add the ${expected.kinds[0]} file to the scan)` };
  }
  const text = readHostOrContainer(facts, c, path);
  if (!text.ok) return text;
  return parseConfigText(text.text, text.source, expected);
}

/** Parses the first document of a YAML/JSON file as a mapping (etcd's config file has no kind). */
export function parseYamlMapping(text: string, source: string): ConfigDocument {
  const chunks = splitDocuments(text);
  if (chunks.length === 0) return { ok: false, message: `${source} is empty` };
  const parsed = parseDocument(chunks[0]!);
  if (!parsed.ok) return { ok: false, message: `${source}:${parsed.line}:${parsed.column}: ${parsed.message}` };
  if (!isMapping(parsed.value)) return { ok: false, message: `${source} does not hold a YAML mapping` };
  return { ok: true, value: parsed.value, source };
}

/** Parses a one-document YAML/JSON config file and checks its kind. */
export function parseConfigText(text: string, source: string, expected: ExpectedKind): ConfigDocument {
  const mapping = parseYamlMapping(text, source);
  if (!mapping.ok) return mapping;
  const value = mapping.value;
  const kind = value.kind;
  // `v1` is the core (empty) group, as in an object's apiVersion.
  const group = typeof value.apiVersion === 'string' ? (value.apiVersion.includes('/') ? value.apiVersion.split('/')[0] : '') : undefined;
  if (typeof kind !== 'string' || !expected.kinds.includes(kind) || group === undefined || !expected.groups.includes(group)) {
    return {
      ok: false,
      message: `${source} is ${typeof kind === 'string' ? `kind ${kind} (${String(value.apiVersion)})` : 'not a Kubernetes config object'}, expected ${expected.kinds.join(' or ')} (${expected.groups.join(', ')})`,
    };
  }
  return { ok: true, value, source };
}

/** The text of a file a component names: from the host, else from the process's container. */
export function readHostOrContainer(facts: NodeFacts, c: ComponentFacts | undefined, path: string): { ok: true; text: string; source: string } | { ok: false; message: string } {
  const host = facts.host;
  if (!host) return { ok: false, message: `${path}: no host to read it from` };
  const read = host.readText(path);
  if (read.ok) return { ok: true, text: read.text, source: path };
  if (read.missing && c?.origin.kind === 'process' && facts.procRoot) {
    const inContainer = host.readInContainer(facts.procRoot, c.origin.pid, path);
    if (inContainer.ok) return { ok: true, text: inContainer.text, source: `${path} (inside the container of process ${c.origin.pid})` };
    return { ok: false, message: `${path}: ${read.message.replace(`${path}: `, '')}; not in the process's container either (${inContainer.message})` };
  }
  return { ok: false, message: read.message };
}
