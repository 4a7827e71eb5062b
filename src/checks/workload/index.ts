import type { Check } from '../types.js';
import { containerReadOnlyRootFilesystem } from './container-read-only-root-filesystem.js';

/** Every workload hardening check, in the order reports list them. */
export const workloadChecks: Check[] = [containerReadOnlyRootFilesystem];
