// Finding the real helm and kustomize for the tests: $KUBEHARDEN_HELM / $KUBEHARDEN_KUSTOMIZE,
// else what `node scripts/build-tools.mjs helm kustomize` built into the cache. Without them
// the suites that render skip with a message, unless KUBEHARDEN_REQUIRE_HELM=1 /
// KUBEHARDEN_REQUIRE_KUSTOMIZE=1 (set by .ci/run) make a missing tool a failure.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../../helpers.js';

export type ToolName = 'helm' | 'kustomize';

interface BuildTools {
  TOOLS: Record<ToolName, { version: string; pkg: string }>;
  toolPath(name: ToolName): string;
}

const buildTools = (await import(path.join(REPO_ROOT, 'scripts', 'build-tools.mjs'))) as BuildTools;

export const TOOL_VERSIONS = { helm: buildTools.TOOLS.helm.version, kustomize: buildTools.TOOLS.kustomize.version };

/** The binary's path, or undefined with the reason logged (or thrown when required). */
export function findTool(name: ToolName): string | undefined {
  const fromEnv = process.env[name === 'helm' ? 'KUBEHARDEN_HELM' : 'KUBEHARDEN_KUSTOMIZE'];
  const candidate = fromEnv || buildTools.toolPath(name);
  if (existsSync(candidate)) return candidate;
  const reason = `${name} not found (${fromEnv ? `KUBEHARDEN_${name.toUpperCase()}=${fromEnv}` : candidate}); build it with \`node scripts/build-tools.mjs ${name}\` (needs Go) or set KUBEHARDEN_${name.toUpperCase()}`;
  if (process.env[`KUBEHARDEN_REQUIRE_${name.toUpperCase()}`] === '1') throw new Error(`KUBEHARDEN_REQUIRE_${name.toUpperCase()}=1 but ${reason}`);
  console.log(`# skipping the real-${name} tests: ${reason}`);
  return undefined;
}

/** The folder of the helm Go module the binary was built from (its test charts are Helm's own, Apache-2.0). */
export function helmModuleDir(): string | undefined {
  try {
    const modcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
    const dir = path.join(modcache, `helm.sh/helm/v4@${TOOL_VERSIONS.helm}`);
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The kustomize/api module kustomize was built with (its krusty testdata, Apache-2.0). */
export function kustomizeApiModuleDir(binary: string): string | undefined {
  try {
    const info = execFileSync('go', ['version', '-m', binary], { encoding: 'utf8' });
    const version = /\tsigs\.k8s\.io\/kustomize\/api\t(v\S+)/.exec(info)?.[1];
    const modcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
    const dir = version && path.join(modcache, `sigs.k8s.io/kustomize/api@${version}`);
    return dir && existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}
