import type { Check } from '../types.js';

/** Every network check, in the order reports list them. */
export const networkChecks: Check[] = [];
