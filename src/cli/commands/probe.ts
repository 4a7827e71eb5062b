import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { probeApiServer, ProbeInputError } from '../../sources/apiserver/probe.js';
import { apiServerProbeResult } from '../../engine/probe-result.js';
import { exitCodeFor, failOnOption, formatOption, outputOption, renderResult, resolveFormat, writeReport, type FailOn } from '../output.js';
import { UsageError } from '../usage-error.js';
import { parseDays, parseSeconds } from '../option-values.js';

interface ProbeFlags {
  ca?: string;
  timeout: number;
  expiryDays: number;
  format?: string;
  output?: string;
  failOn: FailOn;
}

export function registerProbe(program: Command): void {
  const probe = program.command('probe').description('Probe a control-plane endpoint from the network');
  probe
    .command('apiserver')
    .description('What an API server exposes without credentials, which TLS versions and cipher suites it accepts, and its certificate')
    .argument('<url>', 'the API server, e.g. https://10.0.0.1:6443')
    .option('--ca <file>', 'CA the serving certificate must verify against (without it the certificate is inspected, not verified)')
    .option('--timeout <seconds>', 'deadline of each connection', parseSeconds, 5)
    .option('--expiry-days <days>', 'report a certificate expiring within this many days', parseDays, 30)
    .addOption(formatOption())
    .addOption(outputOption())
    .addOption(failOnOption())
    .addHelpText(
      'after',
      `
The probe sends no credentials and only GET requests: anonymous GET /version, /healthz, /api, /apis
and /metrics, and one TLS handshake per TLS version and per TLS 1.0–1.2 cipher suite.

Examples:
  $ kubeharden probe apiserver https://10.0.0.1:6443
  $ kubeharden probe apiserver https://k8s.example.com:6443 --ca /etc/kubernetes/pki/ca.crt --format json

Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 usage error or the server could not be probed.`,
    )
    .action(async (url: string, flags: ProbeFlags) => {
      const ca = flags.ca ? await fs.readFile(flags.ca).catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot read ${flags.ca}: ${err.code ?? err.message}`);
      }) : undefined;
      let report;
      try {
        report = await probeApiServer({ url, ca, timeoutMs: flags.timeout * 1000 });
      } catch (err) {
        if (err instanceof ProbeInputError || err instanceof TypeError) throw new UsageError(err instanceof ProbeInputError ? err.message : `${url} is not a URL`);
        throw err;
      }
      const result = apiServerProbeResult(report, { now: new Date(), expiryWarningDays: flags.expiryDays, caGiven: Boolean(ca), failOn: flags.failOn });
      for (const e of result.errors) process.stderr.write(`kubeharden: ${e.message}\n`);
      await writeReport(renderResult(result, resolveFormat(flags.format, flags.output), flags.output), flags.output);
      process.exitCode = exitCodeFor(result, flags.failOn);
    });
}
