import type { Check } from '../types.js';
import { apiServerVersionSupported } from './apiserver-version-supported.js';
import { kubeletVersionSupported } from './kubelet-version-supported.js';
import { kubeletVersionWithinSkew } from './kubelet-version-within-skew.js';

/** Checks on facts only a live cluster (or a snapshot of one) has: versions. */
export const clusterChecks: Check[] = [apiServerVersionSupported, kubeletVersionWithinSkew, kubeletVersionSupported];
