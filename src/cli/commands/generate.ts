// `kubeharden generate …`: write hardened configuration. Each kind of output is one
// subcommand in its own file, registered here.

import { Command } from 'commander';
import { registerGenerateEncryptionConfig } from './generate-encryption-config.js';
import { registerGenerateAuditPolicy } from './generate-audit-policy.js';
import { registerGeneratePsaLabels } from './generate-psa-labels.js';
import { registerGenerateNetpol } from './generate-netpol.js';
import { registerGenerateRbac } from './generate-rbac.js';

export function registerGenerate(program: Command): void {
  const generate = program
    .command('generate')
    .description('Write hardened configuration: NetworkPolicies, EncryptionConfiguration, audit Policy, Pod Security labels, least-privilege RBAC from audit logs')
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden generate netpol --namespace shop k8s/ > shop-netpol.yaml
  $ kubeharden generate encryption-config --provider secretbox -o /etc/kubernetes/enc/config.yaml
  $ kubeharden generate audit-policy -o audit-policy.yaml
  $ kubeharden generate psa-labels k8s/
  $ kubeharden generate rbac --from-audit-log audit.log > observed-rbac.yaml`,
    );
  registerGenerateNetpol(generate);
  registerGenerateEncryptionConfig(generate);
  registerGenerateAuditPolicy(generate);
  registerGeneratePsaLabels(generate);
  registerGenerateRbac(generate);
}
