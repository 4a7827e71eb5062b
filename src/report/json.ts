import type { Result } from '../result/result.js';

export function renderJson(result: Result): string {
  return JSON.stringify(result, null, 2) + '\n';
}
