// The API server's read path for kms v2 providers, with the real KMS plugin: the stored
// EncryptedObject is decoded, its DEK source unwrapped by the plugin's Decrypt (once per distinct
// wrapped DEK source, as the API server caches them), and the data opened with it
// (analysis/encryption/kmsv2.ts). A value is stale when a provider before this one would write,
// or when the plugin's current key (Status key_id) is not the key that wrapped it — what the
// API server calls stale in envelope.go.

import type { Provider } from '../../analysis/encryption/config.js';
import { DecryptError } from '../../analysis/encryption/formats.js';
import { decodeKmsV2Object, openKmsV2Data } from '../../analysis/encryption/kmsv2.js';
import { connectKmsPlugin, KmsPluginError, socketOfEndpoint, type KmsPlugin } from './kms-plugin.js';

export interface KmsOptions {
  /** Socket per kms v2 provider name; without one, the provider's endpoint in the EncryptionConfiguration. */
  sockets: ReadonlyMap<string, string>;
  /** Call the plugins at the endpoints the EncryptionConfiguration names (the probe runs on the control-plane host). */
  useConfigEndpoints: boolean;
  timeoutMs: number;
}

export type KmsReadOutcome = { ok: true; plaintext: Buffer; provider: Provider; stale: boolean; keyId: string } | { ok: false; reason: string };

export interface KmsReader {
  /** undefined when no kms v2 provider with a plugin to call matches the value's prefix. */
  read(value: Buffer, etcdKey: string, providers: readonly Provider[]): Promise<KmsReadOutcome | undefined>;
  close(): void;
}

export function kmsReader(options: KmsOptions): KmsReader {
  const plugins = new Map<string, { plugin: KmsPlugin; currentKeyId?: Promise<string> }>();
  /** Unwrapped DEK sources by provider, key ID, source type, annotations and wrapped bytes. */
  const deks = new Map<string, Promise<Buffer>>();

  const pluginFor = (provider: Provider) => {
    const name = provider.kms!.name;
    let entry = plugins.get(name);
    if (!entry) {
      const socket = options.sockets.get(name) ?? (options.useConfigEndpoints && provider.kms!.endpoint ? socketOfEndpoint(provider.kms!.endpoint) : undefined);
      if (socket === undefined) return undefined;
      entry = { plugin: connectKmsPlugin(socket, options.timeoutMs) };
      plugins.set(name, entry);
    }
    return entry;
  };

  return {
    async read(value, etcdKey, providers) {
      const reasons: string[] = [];
      let matched = false;
      for (const [index, provider] of providers.entries()) {
        if (provider.type !== 'kms' || provider.kms?.apiVersion !== 'v2') continue;
        const prefix = Buffer.from(`k8s:enc:kms:v2:${provider.kms.name}:`);
        if (value.length < prefix.length || !value.subarray(0, prefix.length).equals(prefix)) continue;
        let entry;
        try {
          entry = pluginFor(provider);
        } catch (err) {
          if (!(err instanceof KmsPluginError)) throw err;
          reasons.push(err.message);
          continue;
        }
        if (!entry) continue;
        matched = true;
        try {
          const object = decodeKmsV2Object(value.subarray(prefix.length));
          const cacheKey = JSON.stringify([provider.kms.name, object.keyId, object.dekSourceType, object.encryptedDekSource.toString('base64'), [...object.annotations].map(([k, v]) => [k, v.toString('base64')])]);
          let dek = deks.get(cacheKey);
          if (!dek) {
            dek = entry.plugin.decrypt({ ciphertext: object.encryptedDekSource, keyId: object.keyId, annotations: object.annotations });
            deks.set(cacheKey, dek);
            // A failed unwrap is not cached: the next value asks again.
            dek.catch(() => deks.delete(cacheKey));
          }
          const plaintext = openKmsV2Data(object, await dek, etcdKey);
          entry.currentKeyId ??= entry.plugin.status().then((s) => s.keyId);
          const current = await entry.currentKeyId.catch(() => undefined);
          return { ok: true, plaintext, provider, keyId: object.keyId, stale: index !== 0 || (current !== undefined && current !== object.keyId) };
        } catch (err) {
          if (!(err instanceof DecryptError) && !(err instanceof KmsPluginError)) throw err;
          reasons.push(`kms provider ${provider.kms.name}: ${err.message}`);
        }
      }
      return matched || reasons.length ? { ok: false, reason: reasons.join('; ') } : undefined;
    },
    close() {
      for (const { plugin } of plugins.values()) plugin.close();
    },
  };
}
