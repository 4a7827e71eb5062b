import { readFileSync } from 'node:fs';
import { engineOptionsFrom } from '../engine-options.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ALL_CHECKS } from '../../checks/index.js';
import { loadConfig } from '../../engine/config.js';
import { parsePssVersion } from '../../analysis/pod/pss-version.js';
import { describeFsError } from '../../sources/manifests.js';
import { startWebhook, type WebhookMode } from '../../webhook/server.js';
import { NEEDS_OTHER_OBJECTS, NOT_RUN_BY_WEBHOOK } from '../../webhook/single-object-checks.js';
import { failOnOption, type FailOn } from '../output.js';
import { UsageError } from '../usage-error.js';

interface WebhookFlags {
  tlsCert?: string;
  tlsKey?: string;
  port: number;
  config?: string;
  pssLevel?: 'baseline' | 'restricted';
  pssVersion?: string;
  failOn: FailOn;
  mode: WebhookMode;
}

export function registerWebhook(program: Command): void {
  program
    .command('webhook')
    .description('Run the validating admission webhook: judge pod-bearing objects as they are created or updated, and deny (or warn about) what a scan would report')
    .option('--tls-cert <file>', 'the serving certificate (PEM), e.g. from a cert-manager Secret')
    .option('--tls-key <file>', 'its private key (PEM)')
    .option('--port <port>', 'HTTPS port', parsePort, 8443)
    .option('-c, --config <file>', 'configuration file: disabled checks, severities, exceptions (default: .kubeharden.yaml if present)')
    .addOption(new Option('--pss-level <level>', "Pod Security Standards level (default: restricted, or the config's)").choices(['baseline', 'restricted']))
    .option('--pss-version <version>', 'Pod Security Standards policy version: latest or v1.N (default: latest)')
    .addOption(failOnOption())
    .addOption(new Option('--mode <mode>', 'deny: refuse objects with findings at or above --fail-on; warn: admit them with warnings').choices(['deny', 'warn']).default('deny'))
    .addHelpText(
      'after',
      `
Examples:
  $ kubeharden webhook --tls-cert /tls/tls.crt --tls-key /tls/tls.key
  $ kubeharden webhook --tls-cert tls.crt --tls-key tls.key --mode warn --fail-on medium
  $ kubeharden webhook --tls-cert tls.crt --tls-key tls.key -c /config/.kubeharden.yaml --pss-level baseline

Serves POST /validate (AdmissionReview admission.k8s.io/v1) and GET /healthz over HTTPS.
deploy/kubeharden-webhook.yaml runs it in a cluster.

It runs the checks that decide from one pod-bearing object (Pod, Deployment, StatefulSet,
DaemonSet, ReplicaSet, Job, CronJob, ReplicationController and the custom resources a scan
knows), with the config's exceptions and the kubeharden.io/ignore annotation. It does not run
${NOT_RUN_BY_WEBHOOK};
nor ${Object.keys(NEEDS_OTHER_OBJECTS).join(', ')}. DELETE and other kinds are admitted unchecked.`,
    )
    .action(async (flags: WebhookFlags) => {
      if (!flags.tlsCert || !flags.tlsKey) throw new UsageError('webhook serves HTTPS only: give --tls-cert FILE and --tls-key FILE');
      if (flags.pssVersion !== undefined && !parsePssVersion(flags.pssVersion)) throw new UsageError(`--pss-version must be latest or v1.N, got ${flags.pssVersion}`);
      const cert = readPem(flags.tlsCert, '--tls-cert');
      const key = readPem(flags.tlsKey, '--tls-key');
      const config = await loadConfig(flags.config, new Set(ALL_CHECKS.map((c) => c.id)));
      let server;
      try {
        server = await startWebhook({
          cert,
          key,
          // cert-manager renews the Secret and the kubelet updates the mounted files in place.
          reloadTls: { certFile: flags.tlsCert, keyFile: flags.tlsKey, everyMs: 60_000 },
          port: flags.port,
          mode: flags.mode,
          ...engineOptionsFrom(config, { pssLevel: flags.pssLevel, pssVersion: flags.pssVersion }),
          failOn: flags.failOn,
        });
      } catch (err) {
        throw new UsageError(`cannot start the webhook on port ${flags.port}: ${(err as Error).message} (check --tls-cert and --tls-key are a matching PEM certificate and key)`);
      }
      process.stderr.write(
        `kubeharden webhook: listening on https://0.0.0.0:${server.port}/validate (mode ${flags.mode}, fail on ${flags.failOn}${config.file ? `, config ${config.file}` : ''})\n`,
      );
      // Kubernetes stops a pod with SIGTERM: finish the requests in flight, then exit 0.
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`${flag} ${file}: ${describeFsError(err)}`);
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('a port number from 1 to 65535');
  return port;
}
