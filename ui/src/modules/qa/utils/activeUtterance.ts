import type { Utterance } from '@/modules/qa/types/LeadDetail';

/** The utterance being spoken at `ms` (the last one started), or -1 before the first. */
export function activeUtterance(utterances: readonly Utterance[], ms: number): number {
  let low = 0;
  let high = utterances.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (utterances[middle].start <= ms) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}
