import type { Check } from '../types.js';

/** Every admission-control check, in the order reports list them. */
export const admissionChecks: Check[] = [];
