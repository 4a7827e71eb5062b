import type { Check } from '../types.js';

/** Every node check, in the order reports list them. */
export const nodeChecks: Check[] = [];
