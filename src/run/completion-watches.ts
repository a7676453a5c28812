import type { CompletionWatch } from '../engine/engine-types.js';

/**
 * One CompletionWatch that tells each of `watches` (in order) of every completion; the absent
 * ones are skipped. undefined when none is left, the one itself when only one is: the engine then
 * calls nothing, or that one directly, on its hot path.
 */
export function combineWatches(watches: readonly (CompletionWatch | undefined)[]): CompletionWatch | undefined {
  const all = watches.filter((w): w is CompletionWatch => w !== undefined);
  if (all.length === 0) return undefined;
  if (all.length === 1) return all[0];
  if (all.length === 2) {
    const [a, b] = all;
    return { completed: (n, outcome, dueMs, doneMs) => { a.completed(n, outcome, dueMs, doneMs); b.completed(n, outcome, dueMs, doneMs); } };
  }
  return { completed: (n, outcome, dueMs, doneMs) => { for (const w of all) w.completed(n, outcome, dueMs, doneMs); } };
}
