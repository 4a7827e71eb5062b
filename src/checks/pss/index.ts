import type { Check } from '../types.js';

/** Every pss check, in the order reports list them. */
export const pssChecks: Check[] = [];
