import { describe, expect, it } from 'vitest';

import { EMPTY_FILTER, fromFilter, toFilter } from '@/modules/orders/utils/simpleFilter';
import { percent, statusSeries } from '@/modules/orders/utils/reportSeries';

describe('the simple audience filter', () => {
  it('keeps only the filled fields; none filled is every contact', () => {
    expect(toFilter(EMPTY_FILTER)).toEqual({ op: 'and', conditions: [] });
    const filter = toFilter({ ...EMPTY_FILTER, job_title: ' CTO ', country: 'US' });
    expect(filter.conditions).toEqual([
      { field: 'contact.job_title', operator: 'contains', value: 'CTO' },
      { field: 'contact.country', operator: 'equals', value: 'US' },
    ]);
    expect(fromFilter(filter)).toEqual({ ...EMPTY_FILTER, job_title: 'CTO', country: 'US' });
    expect(fromFilter(null)).toEqual(EMPTY_FILTER);
  });
});

describe('report series', () => {
  it('orders QA statuses as a review goes, unknown ones last', () => {
    const series = statusSeries({ approved: 3, new: 1, archived: 2 });
    expect(series.categories).toEqual(['New', 'Under review', 'Approved', 'Published', 'Returned', 'Rejected', 'archived']);
    expect(series.values).toEqual([1, 0, 3, 0, 0, 0, 2]);
    expect(percent(0.1234)).toBe('12.3%');
    expect(percent(null)).toBe('—');
  });
});
