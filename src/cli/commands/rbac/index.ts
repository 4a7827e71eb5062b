// `kubeharden rbac`: who-can, can, paths and test over the RBAC objects of manifests, offline.
// Thin: parse arguments, ask the engine (src/analysis/rbac), print. One file per subcommand.

import type { Command } from 'commander';
import { BOOTSTRAP_POLICY_RELEASE } from '../../../analysis/rbac/bootstrap-policy.js';
import { registerWhoCan } from './who-can.js';
import { registerCan } from './can.js';
import { registerPaths } from './paths.js';
import { registerTest } from './test.js';
import { registerUnused } from './unused.js';

export function registerRbac(program: Command): void {
  const rbac = program
    .command('rbac')
    .description(`Query RBAC offline: who can do what, a subject's permissions, paths to cluster-admin, scenario tests, grants unused in audit logs (defaults: ${BOOTSTRAP_POLICY_RELEASE})`);
  registerWhoCan(rbac);
  registerCan(rbac);
  registerPaths(rbac);
  registerTest(rbac);
  registerUnused(rbac);
}
