// EncryptionConfiguration texts for the secrets checks' tests. Keys are fixed bytes, never real keys.

export const KEY32 = Buffer.alloc(32, 0x11).toString('base64');
export const KEY32_B = Buffer.alloc(32, 0x22).toString('base64');

export function encryptionConfig(resourcesYaml: string): string {
  return `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
${resourcesYaml}`;
}
