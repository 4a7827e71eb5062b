// `kubeharden version`: what a bug report needs — the version, the commit, the Node.js that runs
// it, and the editions of the frameworks it implements.

import { createRequire } from 'node:module';
import { Command } from 'commander';
import { TOOL_VERSION } from '../../version.js';
import { buildCommit } from '../../build-info.js';
import { FRAMEWORK_EDITIONS } from '../../report/frameworks.js';
import { formatOption, outputOption, writeReport } from '../output.js';

export interface VersionInfo {
  version: string;
  commit: string;
  node: string;
  kubernetesClient: string;
  frameworks: Record<string, string>;
}

export function versionInfo(): VersionInfo {
  return {
    version: TOOL_VERSION,
    commit: buildCommit(),
    node: process.version,
    kubernetesClient: clientNodeVersion(),
    frameworks: Object.fromEntries(Object.entries(FRAMEWORK_EDITIONS).map(([key, e]) => [key, `${e.name} ${e.version}`])),
  };
}

function clientNodeVersion(): string {
  try {
    return (createRequire(import.meta.url)('@kubernetes/client-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('Print the version, commit, Node.js version and the framework editions implemented')
    .addOption(formatOption(['text', 'json']).default('text'))
    .addOption(outputOption())
    .addHelpText('after', '\nExamples:\n  $ kubeharden version\n  $ kubeharden version --format json | jq -r .commit')
    .action(async (flags: { format?: string; output?: string }) => {
      const info = versionInfo();
      const text =
        // Text unless JSON is asked for: people read this, often from a pipe into a bug report.
        flags.format === 'json'
          ? JSON.stringify(info, null, 2) + '\n'
          : [
              `kubeharden ${info.version} (commit ${info.commit})`,
              `Node.js ${info.node}, @kubernetes/client-node ${info.kubernetesClient}`,
              'Frameworks:',
              ...Object.values(info.frameworks).map((f) => `  ${f}`),
              '',
            ].join('\n');
      await writeReport(text, flags.output);
    });
}
