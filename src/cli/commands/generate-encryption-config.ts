import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { LOCAL_KEY_PROVIDERS, isEncryptionConfiguration, type LocalKeyProviderType } from '../../analysis/encryption/config.js';
import { GenerateError, newEncryptionConfig, rotationPlan } from '../../analysis/encryption/generate.js';
import { loadManifests } from '../../sources/manifests.js';
import { UsageError } from '../usage-error.js';

interface Flags {
  provider?: LocalKeyProviderType;
  resources: string;
  keyName?: string;
  output?: string;
  rotate?: string;
  outputDir?: string;
  force?: boolean;
}

/** The `generate` group; created here only when no other command file has made it yet. */
export function registerGenerateEncryptionConfig(generate: Command): void {
  generate
    .command('encryption-config')
    .description('Write an EncryptionConfiguration with a fresh random key, or the staged files of a key rotation')
    .addOption(new Option('--provider <type>', 'provider of the new key (default secretbox; with --rotate: the current one)').choices([...LOCAL_KEY_PROVIDERS]))
    .option('--resources <list>', 'comma-separated resources to encrypt (secrets, configmaps, *.apps, *.*)', 'secrets')
    .option('--key-name <name>', 'name of the new key (default key-YYYYMMDD)')
    .option('-o, --output <file>', 'file to write the new configuration to (mode 600)')
    .option('--rotate <current.yaml>', 'write the three rotation stages for this configuration instead')
    .option('--output-dir <dir>', 'with --rotate: folder for the stage files (default: beside the current file)')
    .option('--force', 'overwrite files that exist')
    .addHelpText(
      'after',
      `
Key material is only ever written to files of mode 600, never printed.

Examples:
  $ kubeharden generate encryption-config --provider secretbox -o /etc/kubernetes/enc/encryption.yaml
  $ kubeharden generate encryption-config --resources secrets,configmaps -o encryption.yaml
  $ kubeharden generate encryption-config --rotate /etc/kubernetes/enc/encryption.yaml --output-dir /root/rotation
  $ kubeharden generate encryption-config --rotate encryption.yaml --provider secretbox   # move aescbc → secretbox`,
    )
    .action(async (flags: Flags) => {
      try {
        if (flags.rotate) await writeRotation(flags.rotate, flags);
        else await writeNew(flags);
      } catch (err) {
        if (err instanceof GenerateError) throw new UsageError(err.message);
        throw err;
      }
    });
}

async function writeNew(flags: Flags): Promise<void> {
  if (!flags.output) throw new UsageError('--output FILE is required: the configuration holds a key, and keys are never printed');
  const resources = flags.resources.split(',').map((r) => r.trim()).filter(Boolean);
  const text = newEncryptionConfig(flags.provider ?? 'secretbox', resources, { keyName: flags.keyName });
  await writePrivateFile(flags.output, text, Boolean(flags.force));
  process.stderr.write(
    `wrote ${flags.output} (mode 600): ${flags.provider ?? 'secretbox'} writes ${resources.join(', ')}, identity reads what is still plain.\n` +
      'Next: pass it with --encryption-provider-config on every API server, restart them, then rewrite existing objects, e.g.\n' +
      '  kubectl get secrets --all-namespaces -o json | kubectl replace -f -\n',
  );
}

async function writeRotation(current: string, flags: Flags): Promise<void> {
  const { inventory } = await loadManifests([current]);
  const errors = inventory.problems.filter((p) => p.level === 'error');
  if (errors.length) throw new UsageError(`${current}: ${errors.map((e) => e.message).join('; ')}`);
  const configs = inventory.objects.filter((o) => isEncryptionConfiguration(o.apiVersion, o.kind));
  if (configs.length !== 1) throw new UsageError(`${current} must hold exactly one EncryptionConfiguration, found ${configs.length}`);
  const plan = rotationPlan(configs[0]!.raw, { provider: flags.provider, keyName: flags.keyName, currentFile: current });
  const dir = flags.outputDir ?? path.dirname(current);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  for (const stage of plan.stages) await writePrivateFile(path.join(dir, stage.file), stage.text, Boolean(flags.force));
  process.stdout.write(`Wrote ${plan.stages.map((s) => path.join(dir, s.file)).join(', ')} (mode 600).\n\n${plan.instructions}`);
}

/** Writes a complete new file of mode 600 and renames it into place; refuses to replace a file without --force. */
async function writePrivateFile(file: string, text: string, force: boolean): Promise<void> {
  if (!force) {
    const exists = await fs.stat(file).then(() => true, () => false);
    if (exists) throw new UsageError(`${file} exists; add --force to replace it`);
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}
