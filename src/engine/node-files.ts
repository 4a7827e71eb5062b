// The files a node's kube-apiserver names (--encryption-provider-config, --audit-policy-file),
// loaded into an inventory the way a manifest scan loads files, so that the secrets and audit
// checks run on them in a node scan with file and line. Paths are the API server's; they are
// read under --root (and from the API server's container when not on the host). The kubelet's
// config file and --config-dir drop-ins join them, decoded as the kubelet decodes them
// (config-file-decodes), so a misspelled or duplicated field is a finding at its line.

import { auditChecks } from '../checks/audit/index.js';
import { encryptionConfigFilePrivate } from '../checks/secrets/encryption-config-file-private.js';
import { secretsChecks } from '../checks/secrets/index.js';
import type { Check } from '../checks/types.js';
import { configFileDecodes } from '../checks/controlplane/config-file-decodes.js';
import { observeFlag } from '../analysis/flags/settings.js';
import { Inventory } from '../inventory/inventory.js';
import { type TextCache } from '../sources/manifests.js';
import { addText } from '../inventory/parse-manifest.js';
import { readHostOrContainer } from '../analysis/flags/config-documents.js';
import { instancesOf, KUBELET_DROP_INS_ONLY, type ComponentFacts, type NodeFacts } from '../inventory/node-facts.js';

/** Flags of kube-apiserver that name a file the file checks read, with the kinds the API server decodes there. */
const API_SERVER_FILE_FLAGS = {
  'encryption-provider-config': ['EncryptionConfiguration', 'EncryptionConfig'],
  'audit-policy-file': ['Policy'],
  'admission-control-config-file': ['AdmissionConfiguration'],
  'authentication-config': ['AuthenticationConfiguration'],
  'authorization-config': ['AuthorizationConfiguration'],
} as const;

/**
 * The checks run on those files. encryption-config-file-private is left out: it stats the path
 * on the machine that scans, which under --root is not the host's file; the node audit reads
 * file modes through the host instead.
 */
export const API_SERVER_FILE_CHECKS: readonly Check[] = [...secretsChecks.filter((c) => c !== encryptionConfigFilePrivate), ...auditChecks, configFileDecodes];

/** The checks run on the kubelet's config files where no API server names a file (a worker node). */
export const KUBELET_FILE_CHECKS: readonly Check[] = [configFileDecodes];

export interface ApiServerFiles {
  inventory: Inventory;
  /** The text of each file by its path on the host, for line numbers. */
  texts: TextCache;
  /** Whether a file an API server names was loaded (else only kubelet config files, if any). */
  apiServerFiles: boolean;
}

/**
 * Loads every file the API servers name once. A file that cannot be read is left out: the node
 * items that need it (1.2.27, 1.2.28, 3.2.1, 3.2.2) skip and say why.
 */
export function loadApiServerFiles(facts: NodeFacts): ApiServerFiles {
  const inventory = new Inventory();
  const texts: TextCache = new Map();
  let nextId = 0;
  for (const c of instancesOf(facts, 'kube-apiserver')) {
    for (const [flag, kinds] of Object.entries(API_SERVER_FILE_FLAGS)) {
      const obs = observeFlag(c, flag);
      const file = obs.value;
      if (!obs.set || !file || texts.has(file)) continue;
      const read = readHostOrContainer(facts, c, file);
      if (!read.ok) continue;
      texts.set(file, read.text);
      const before = inventory.objects.length;
      nextId = addText(inventory, file, read.text, nextId);
      // Its mode, recorded as it is loaded (encryption-config-file-private judges it); a file
      // read inside a container has no host mode to record.
      const stat = read.source === file ? facts.host?.stat(file) : undefined;
      if (stat?.exists && stat.error === undefined) inventory.fileModes.set(file, stat.mode & 0o777);
      const refusal = undecodable(inventory.objects.slice(before), kinds);
      if (refusal) inventory.problems.push({ source: file, message: `the API server will refuse this file (named by --${flag}): ${refusal}`, level: 'error' });
    }
  }
  const apiServerFiles = texts.size > 0;
  for (const c of instancesOf(facts, 'kubelet')) {
    for (const file of kubeletConfigFiles(c)) {
      if (texts.has(file)) continue;
      const read = readHostOrContainer(facts, c, file);
      if (!read.ok) continue; // the kubelet items already say why its config was not read
      texts.set(file, read.text);
      nextId = addText(inventory, file, read.text, nextId);
    }
  }
  return { inventory, texts, apiServerFiles };
}

/**
 * The kubelet's config file and drop-ins as read for its settings. A file that could not be used
 * (missing, not YAML, another kind) is left out: the node source has reported it already.
 */
function kubeletConfigFiles(c: ComponentFacts): string[] {
  const config = c.config;
  // Read from a manifest scan's inventory, or rebuilt from a distribution's settings: no host file.
  if (!config || config.error || config.object) return [];
  const dropIns = (config.dropIns ?? []).map((d) => d.path);
  // Drop-ins without a config file: `path` is then their folder.
  return config.how === KUBELET_DROP_INS_ONLY ? dropIns : [config.path, ...dropIns];
}

/** Why a file the API server decodes as one of `kinds` does not decode as one (undefined when it does). */
function undecodable(objects: readonly { kind: string; apiVersion: string }[], kinds: readonly string[]): string | undefined {
  const first = objects[0];
  if (!first) return 'it holds no object that decodes (see the parse error for this file)';
  if (!kinds.includes(first.kind)) return `it holds kind ${first.kind || '(none)'} (${first.apiVersion || 'no apiVersion'}), not ${kinds.join(' or ')}`;
  return undefined;
}
