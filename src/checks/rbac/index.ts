import type { Check } from '../types.js';

/** Every rbac check, in the order reports list them. */
export const rbacChecks: Check[] = [];
