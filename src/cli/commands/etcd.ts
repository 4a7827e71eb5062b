import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { parseDays, parseSeconds } from '../option-values.js';
import { isEncryptionConfiguration, readEncryptionConfig, type EncryptionConfig } from '../../analysis/encryption/config.js';
import { loadManifests } from '../../sources/manifests.js';
import { probeEtcd } from '../../sources/etcd/probe.js';
import { socketOfEndpoint } from '../../sources/etcd/kms-plugin.js';
import { probeResult } from '../../engine/probe-result.js';
import { exitCodeFor, failOnOption, formatOption, outputOption, renderResult, resolveFormat, writeReport, type FailOn } from '../output.js';
import { UsageError } from '../usage-error.js';

interface ProbeFlags {
  endpoints: string[];
  cacert?: string;
  cert?: string;
  key?: string;
  insecureSkipTlsVerify?: boolean;
  encryptionConfig?: string;
  kmsPlugin?: boolean;
  kmsSocket: Map<string, string>;
  etcdPrefix: string;
  timeout: number;
  expiryDays: number;
  format?: string;
  output?: string;
  failOn: FailOn;
}

const DEFAULT_TIMEOUT_SECONDS = 5;

function parseKmsSocket(value: string, previous: Map<string, string> = new Map()): Map<string, string> {
  const m = /^([^=:]+)=(.+)$/.exec(value);
  if (!m) throw new UsageError(`--kms-socket ${JSON.stringify(value)}: write it as NAME=/path/to/socket (NAME: the kms provider's name)`);
  // A path, or an endpoint as the EncryptionConfiguration writes it (unix:///path, unix:///@abstract).
  let socket = m[2]!;
  try {
    if (socket.startsWith('unix://')) socket = socketOfEndpoint(socket);
  } catch (err) {
    throw new UsageError(`--kms-socket: ${(err as Error).message}`);
  }
  return new Map([...previous, [m[1]!, socket]]);
}

function parseEndpoints(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((e) => e.trim()).filter(Boolean)];
}

export function registerEtcd(program: Command): void {
  const etcd = program.command('etcd').description('Look at a live etcd');
  etcd
    .command('probe')
    .description('Connect to etcd (read-only) and report TLS, client-certificate auth, its certificate, and how Secrets are stored')
    .requiredOption('--endpoints <urls>', 'comma-separated client URLs, e.g. https://10.0.0.5:2379', parseEndpoints)
    .option('--cacert <file>', 'CA that signed the etcd server certificate')
    .option('--cert <file>', 'client certificate (the API server\'s etcd client certificate)')
    .option('--key <file>', 'client key')
    .option('--insecure-skip-tls-verify', 'read Secrets even when the server certificate does not verify')
    .option('--encryption-config <file>', 'the API server\'s EncryptionConfiguration: check every Secret decrypts with it')
    .option('--kms-plugin', 'decrypt kms v2 Secrets by calling each KMS v2 plugin at the endpoint the EncryptionConfiguration names (run on the control-plane host)')
    .option('--kms-socket <name=path>', 'the socket of the KMS v2 plugin of provider NAME, when it is not at the configured endpoint (repeatable; implies calling it)', parseKmsSocket)
    .option('--etcd-prefix <prefix>', 'the API server\'s --etcd-prefix', '/registry')
    .option('--timeout <seconds>', 'deadline of each request (connect, TLS handshake and answer)', parseSeconds, DEFAULT_TIMEOUT_SECONDS)
    .option('--expiry-days <days>', 'report server certificates expiring within this many days', parseDays, 30)
    .addOption(formatOption())
    .addOption(outputOption())
    .addOption(failOnOption())
    .addHelpText(
      'after',
      `
The probe only reads (range requests); it never writes to etcd. Secret values are never printed:
findings name Secrets by namespace and name only.

Examples:
  $ kubeharden etcd probe --endpoints http://127.0.0.1:2379
  $ kubeharden etcd probe --endpoints https://10.0.0.5:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt
  $ kubeharden etcd probe --endpoints https://10.0.0.5:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt \\
      --cert /etc/kubernetes/pki/apiserver-etcd-client.crt --key /etc/kubernetes/pki/apiserver-etcd-client.key \\
      --encryption-config /etc/kubernetes/enc/encryption.yaml --format json
  $ kubeharden etcd probe --endpoints https://127.0.0.1:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt \\
      --cert /etc/kubernetes/pki/apiserver-etcd-client.crt --key /etc/kubernetes/pki/apiserver-etcd-client.key \\
      --encryption-config /etc/kubernetes/enc/encryption.yaml --kms-plugin

With --kms-plugin (or --kms-socket), kms v2 Secrets are decrypted as the API server reads them: the
plugin unwraps each data encryption key (its Decrypt call), the probe opens the value with it and
checks it is a Secret. The plugin's current key (Status) tells which Secrets are stale. Keys and
values stay in memory and are never printed. kms v1 (deprecated) is not decrypted.

Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 usage error or an endpoint could not be probed.`,
    )
    .action(async (flags: ProbeFlags) => {
      if (Boolean(flags.cert) !== Boolean(flags.key)) throw new UsageError('--cert and --key go together');
      const kmsWanted = Boolean(flags.kmsPlugin) || (flags.kmsSocket?.size ?? 0) > 0;
      if (kmsWanted && !flags.encryptionConfig) throw new UsageError('--kms-plugin and --kms-socket need --encryption-config (it names the kms providers)');
      const [ca, cert, key] = await Promise.all([flags.cacert, flags.cert, flags.key].map((f) => (f ? readInput(f) : undefined)));
      const encryption = flags.encryptionConfig ? await readEncryptionConfigFile(flags.encryptionConfig) : undefined;
      const report = await probeEtcd({
        endpoints: flags.endpoints,
        ca,
        cert,
        key,
        insecureSkipVerify: flags.insecureSkipTlsVerify,
        timeoutMs: flags.timeout * 1000,
        etcdPrefix: flags.etcdPrefix,
        encryption,
        ...(kmsWanted ? { kms: { sockets: flags.kmsSocket ?? new Map(), useConfigEndpoints: Boolean(flags.kmsPlugin) } } : {}),
      });
      const result = probeResult(report, { now: new Date(), expiryWarningDays: flags.expiryDays, caGiven: Boolean(ca), failOn: flags.failOn });
      for (const e of result.errors) process.stderr.write(`kubeharden: ${e.message}\n`);
      const format = resolveFormat(flags.format, flags.output);
      await writeReport(renderResult(result, format, flags.output), flags.output);
      process.exitCode = exitCodeFor(result, flags.failOn);
    });
}

async function readInput(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function readEncryptionConfigFile(file: string): Promise<EncryptionConfig> {
  const { inventory } = await loadManifests([file]);
  const errors = inventory.problems.filter((p) => p.level === 'error');
  if (errors.length) throw new UsageError(`${file}: ${errors.map((e) => e.message).join('; ')}`);
  const objects = inventory.objects.filter((o) => isEncryptionConfiguration(o.apiVersion, o.kind));
  if (objects.length !== 1) throw new UsageError(`${file} must hold exactly one EncryptionConfiguration, found ${objects.length}`);
  const config = readEncryptionConfig(objects[0]!.raw);
  const keyProblems = config.problems.filter((p) => p.area === 'keys');
  if (keyProblems.length) throw new UsageError(`${file}: ${keyProblems.map((p) => p.message).join('; ')}`);
  return config;
}
