// Writes EncryptionConfigurations: a new one with a fresh key, and the staged files of the documented
// key rotation (spec/semantics.md 4.5): 1. new key added second, 2. new key first (then rewrite every
// object), 3. old key removed. Keys come from the OS's cryptographic random source.

import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { isMapping } from '../../inventory/model.js';
import {
  ENCRYPTION_CONFIG_API_VERSION,
  ENCRYPTION_CONFIG_KIND,
  LOCAL_KEY_PROVIDERS,
  readEncryptionConfig,
  type LocalKeyProviderType,
  type ResourceEntry,
} from './config.js';
import { overlapProblems, parseGroupResource, resourceStringProblem } from './resources.js';

/** The key size every generated key gets: AES-256, and the only size secretbox takes. */
const GENERATED_KEY_BYTES = 32;

export class GenerateError extends Error {}

export interface KeySource {
  random?: (size: number) => Buffer;
  /** For the default key name; injectable for tests. */
  now?: Date;
}

function defaultKeyName(now: Date): string {
  return `key-${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

function newKey(name: string, source: KeySource): { name: string; secret: string } {
  return { name, secret: (source.random ?? randomBytes)(GENERATED_KEY_BYTES).toString('base64') };
}

const HEADER = (what: string) =>
  `# ${what}\n# Written by kubeharden. It holds key material: keep it mode 600, owned by the API server user,\n# and out of version control. Pass it with --encryption-provider-config on every API server.\n`;

/** A new configuration: the chosen provider (fresh key) writes; identity after it keeps existing plain objects readable. */
export function newEncryptionConfig(
  provider: LocalKeyProviderType,
  resources: string[],
  source: KeySource & { keyName?: string } = {},
): string {
  validateResources(resources);
  const key = newKey(source.keyName ?? defaultKeyName(source.now ?? new Date()), source);
  const config = {
    apiVersion: ENCRYPTION_CONFIG_API_VERSION,
    kind: ENCRYPTION_CONFIG_KIND,
    resources: [{ resources, providers: [{ [provider]: { keys: [key] } }, { identity: {} }] }],
  };
  return HEADER(`Encryption at rest for ${resources.join(', ')} with ${provider}.`) + stringify(config, { version: '1.1' });
}

function validateResources(resources: string[]): void {
  if (resources.length === 0) throw new GenerateError('--resources needs at least one resource, e.g. secrets');
  for (const r of resources) {
    const problem = resourceStringProblem(r);
    if (problem) throw new GenerateError(`--resources "${r}": ${problem}`);
  }
  const overlap = overlapProblems(resources.map(parseGroupResource));
  if (overlap.length) throw new GenerateError(`--resources: ${overlap.join('; ')}`);
}

export interface RotationStage {
  /** File name of the stage, e.g. stage-1-add-key.yaml. */
  file: string;
  text: string;
}

export interface RotationPlan {
  stages: RotationStage[];
  /** Step-by-step instructions; never contain key material. */
  instructions: string;
}

interface RotationTarget {
  entry: ResourceEntry;
  oldType: LocalKeyProviderType;
  newType: LocalKeyProviderType;
  oldKeyName: string;
  key: { name: string; secret: string };
}

/**
 * The staged files for rotating the write key of every entry whose first provider holds a local key.
 * With `provider` different from the current one, the new provider is staged in the same way
 * (second, then first, then the old provider removed).
 */
export function rotationPlan(
  raw: Record<string, unknown>,
  options: KeySource & { provider?: LocalKeyProviderType; keyName?: string; currentFile: string },
): RotationPlan {
  const config = readEncryptionConfig(raw);
  if (config.problems.length) {
    throw new GenerateError(
      `${options.currentFile} is not a configuration the API server accepts (${config.problems.length} problem(s), first: ${config.problems[0]?.message}); ` +
        'fix it first (kubeharden scan shows every problem)',
    );
  }
  const targets: RotationTarget[] = [];
  for (const entry of config.entries) {
    const writer = entry.providers[0];
    if (!writer || !(LOCAL_KEY_PROVIDERS as readonly string[]).includes(writer.type)) continue;
    const oldType = writer.type as LocalKeyProviderType;
    const newType = options.provider ?? oldType;
    const taken = new Set(entry.providers.filter((p) => p.type === newType).flatMap((p) => p.keys.map((k) => k.name)));
    targets.push({
      entry,
      oldType,
      newType,
      oldKeyName: writer.keys[0]?.name ?? '',
      key: newKey(uniqueName(options.keyName ?? defaultKeyName(options.now ?? new Date()), taken), options),
    });
  }
  if (targets.length === 0) {
    throw new GenerateError(
      `no entry of ${options.currentFile} writes with a local key (aescbc, aesgcm or secretbox first): KMS v2 keys rotate in the KMS, ` +
        'and an entry with identity first encrypts nothing — write a new configuration with kubeharden generate encryption-config --provider secretbox',
    );
  }
  const stage = (n: 1 | 2 | 3) => {
    const copy = structuredClone(raw);
    for (const t of targets) applyStage(copy, t, n);
    return stringify(copy, { version: '1.1' });
  };
  return {
    stages: [
      { file: 'stage-1-add-key.yaml', text: HEADER('Rotation stage 1 of 3: the new key is known but not used yet.') + stage(1) },
      { file: 'stage-2-use-key.yaml', text: HEADER('Rotation stage 2 of 3: the new key writes; the old key still reads.') + stage(2) },
      { file: 'stage-3-remove-old-key.yaml', text: HEADER('Rotation stage 3 of 3: the old key is gone.') + stage(3) },
    ],
    instructions: rotationInstructions(targets),
  };
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

function applyStage(raw: Record<string, unknown>, t: RotationTarget, stage: 1 | 2 | 3): void {
  const entries = raw.resources as unknown[];
  const item = entries[t.entry.index];
  if (!isMapping(item) || !Array.isArray(item.providers)) return;
  const providers = item.providers as Record<string, unknown>[];
  if (t.newType === t.oldType) {
    const body = providers[0]?.[t.oldType];
    if (!isMapping(body) || !Array.isArray(body.keys)) return;
    const [oldKey, ...rest] = body.keys as unknown[];
    if (stage === 1) body.keys = [oldKey, t.key, ...rest];
    if (stage === 2) body.keys = [t.key, oldKey, ...rest];
    if (stage === 3) body.keys = [t.key, ...rest];
    return;
  }
  const [oldProvider, ...rest] = providers;
  const fresh = { [t.newType]: { keys: [t.key] } };
  if (stage === 1) item.providers = [oldProvider, fresh, ...rest];
  if (stage === 2) item.providers = [fresh, oldProvider, ...rest];
  if (stage === 3) item.providers = [fresh, ...rest];
}

/** The kubectl command that rewrites every object a resource string names, so it is re-encrypted. */
export function rewriteCommand(resource: string): string {
  const gr = parseGroupResource(resource);
  const replaceEach = (selector: string) =>
    `kubectl api-resources ${selector} --verbs=list,update -o name | xargs -I{} sh -c 'kubectl get {} --all-namespaces -o json | kubectl replace -f -'`;
  if (gr.group === '*') return replaceEach('');
  if (gr.resource === '*') return replaceEach(`--api-group=${gr.group === '' ? "''" : gr.group}`);
  return `kubectl get ${resource} --all-namespaces -o json | kubectl replace -f -`;
}

function rotationInstructions(targets: RotationTarget[]): string {
  const what = targets
    .map((t) => {
      const change = t.newType === t.oldType ? `${t.oldType} key "${t.oldKeyName}" → new key "${t.key.name}"` : `${t.oldType} → ${t.newType} (new key "${t.key.name}")`;
      return `  resources[${t.entry.index}] (${t.entry.resources.map((r) => r.text).join(', ')}): ${change}`;
    })
    .join('\n');
  const rewrite = [...new Set(targets.flatMap((t) => t.entry.resources.map((r) => r.text)))].map((r) => `       ${rewriteCommand(r)}`).join('\n');
  return `Key rotation, in three stages (Kubernetes docs, "Rotating a decryption key"):
${what}

Stage 1  stage-1-add-key.yaml — the new key is added SECOND, so it can decrypt but does not write.
    Install it as the --encryption-provider-config file on EVERY API server and restart them all
    (with --encryption-provider-config-automatic-reload=true, wait for the reload instead).
Stage 2  stage-2-use-key.yaml — the new key is FIRST: it writes; the old key still decrypts.
    Install it on every API server and restart them all. Then rewrite every object so it is
    re-encrypted with the new key:
${rewrite}
    Verify nothing is left on the old key:
       kubeharden etcd probe --endpoints URL --cacert CA --cert CERT --key KEY --encryption-config stage-2-use-key.yaml
    Then back up etcd.
Stage 3  stage-3-remove-old-key.yaml — the old key is removed. Install it on every API server and restart.
    Objects still encrypted with the old key would become unreadable: do this only after stage 2's rewrite.
`;
}
