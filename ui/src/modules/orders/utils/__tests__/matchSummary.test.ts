import { describe, expect, it } from 'vitest';

import { matchSummary } from '@/modules/orders/utils/matchSummary';

const stats = (unique: number, invalid: number) => ({ unique, matched: 1, match_rate: unique ? 1 / unique : 0, invalid, unmatched: [] });

describe('matchSummary', () => {
  it('says line and domain in the singular for one', () => {
    expect(matchSummary(stats(1, 1))).toBe('1 domain, 1 matched (100%), 1 line was not a domain.');
  });

  it('says lines and domains in the plural for several', () => {
    expect(matchSummary(stats(3, 2))).toBe('3 domains, 1 matched (33%), 2 lines were not domains.');
  });

  it('leaves out the invalid lines when there are none', () => {
    expect(matchSummary(stats(1200, 0))).toBe('1,200 domains, 1 matched (0%).');
  });
});
