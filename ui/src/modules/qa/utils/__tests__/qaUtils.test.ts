import { describe, expect, it } from 'vitest';

import { activeUtterance } from '@/modules/qa/utils/activeUtterance';
import { decisionSteps } from '@/modules/qa/utils/decisionSteps';
import { filtersFromQuery, leadsApiQuery, qaRoute } from '@/modules/qa/utils/leadFilters';
import { toggleSelection } from '@/modules/qa/utils/toggleSelection';
import { scrollToShow, visibleRange } from '@/modules/qa/utils/visibleRange';

describe('visibleRange', () => {
  it('covers the viewport plus the overscan, clamped to the list', () => {
    expect(visibleRange(0, 360, 36, 10_000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(36 * 5000, 360, 36, 10_000, 5)).toEqual({ start: 4995, end: 5016 });
    expect(visibleRange(36 * 9999, 360, 36, 10_000, 5)).toEqual({ start: 9994, end: 10_000 });
    expect(visibleRange(0, 360, 36, 3, 5)).toEqual({ start: 0, end: 3 });
  });

  it('scrolls only as far as needed to show a row', () => {
    expect(scrollToShow(5, 0, 360, 36)).toBeNull();
    expect(scrollToShow(20, 0, 360, 36)).toBe(21 * 36 - 360);
    expect(scrollToShow(2, 36 * 10, 360, 36)).toBe(72);
  });
});

describe('toggleSelection', () => {
  const order = [10, 11, 12, 13, 14];
  it('toggles one row, and a shift-click sets the whole span from the anchor', () => {
    const one = toggleSelection(new Set(), order, 11, null, false);
    expect([...one]).toEqual([11]);
    const span = toggleSelection(one, order, 14, 11, true);
    expect([...span].sort()).toEqual([11, 12, 13, 14]);
    const cleared = toggleSelection(span, order, 12, 14, true);
    expect([...cleared]).toEqual([11]);
    expect([...toggleSelection(one, order, 11, null, false)]).toEqual([]);
  });
});

describe('decisionSteps', () => {
  it('opens a review first where the state machine needs it', () => {
    expect(decisionSteps('new', 'approved')).toEqual(['under_review', 'approved']);
    expect(decisionSteps('returned', 'rejected')).toEqual(['under_review', 'rejected']);
    expect(decisionSteps('under_review', 'approved')).toEqual(['approved']);
    expect(decisionSteps('rejected', 'returned')).toEqual(['returned']);
    expect(decisionSteps('new', 'returned')).toEqual(['returned']); // the API refuses it, in words
  });
});

describe('activeUtterance', () => {
  const lines = [0, 2000, 5000].map((start) => ({ speaker: 'A', text: '', start, end: start + 1000 }));
  it('is the last line started', () => {
    expect(activeUtterance(lines, 0)).toBe(0);
    expect(activeUtterance(lines, 4999)).toBe(1);
    expect(activeUtterance(lines, 60_000)).toBe(2);
    expect(activeUtterance([], 10)).toBe(-1);
    expect(activeUtterance([{ ...lines[0], start: 500 }], 10)).toBe(-1);
  });
});

describe('lead filters', () => {
  it('round-trip through the URL and drop malformed values', () => {
    const query = new URLSearchParams('status=new&campaign=3&agent=x&from=2026-01-05&to=bad&min_score=40&max_score=101');
    const filters = filtersFromQuery(query);
    expect(filters).toEqual({ status: 'new', campaign: '3', agent: '', from: '2026-01-05', to: '', minScore: '40', maxScore: '' });
    expect(qaRoute(filters, 12)).toBe('/qa?status=new&campaign=3&from=2026-01-05&min_score=40&lead=12');
    expect(qaRoute(filtersFromQuery(new URLSearchParams()), null)).toBe('/qa');
  });

  it('become the API query, with the last day included', () => {
    const filters = filtersFromQuery(new URLSearchParams('status=approved&from=2026-01-05&to=2026-01-05&max_score=70'));
    const api = leadsApiQuery(filters);
    expect(api.get('qa_status')).toBe('approved');
    expect(api.get('max_score')).toBe('70');
    const span = Date.parse(api.get('created_to') ?? '') - Date.parse(api.get('created_from') ?? '');
    expect(span).toBeGreaterThanOrEqual(23 * 3600_000); // one local day (DST days are 23 or 25 h)
    expect(new Date(api.get('created_from') ?? '').getDate()).toBe(5);
  });
});
