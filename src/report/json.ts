import type { Result } from '../engine/result.js';

export function renderJson(result: Result): string {
  return JSON.stringify(result, null, 2) + '\n';
}
