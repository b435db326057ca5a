import { describe, expect, it } from 'vitest';

import { nextSort, sortRows } from '@/modules/forms/utils/tableSort';

describe('tableSort', () => {
  const columns = [{ header: 'n', cell: (n: number) => n, sort: (a: number, b: number) => a - b }, { header: 'plain', cell: (n: number) => n }];

  it('cycles a column ascending, descending, ascending and starts a new one ascending', () => {
    const first = nextSort(null, 0);
    expect(first).toEqual({ column: 0, descending: false });
    expect(nextSort(first, 0)).toEqual({ column: 0, descending: true });
    expect(nextSort(nextSort(first, 0), 0)).toEqual({ column: 0, descending: false });
    expect(nextSort(first, 1)).toEqual({ column: 1, descending: false });
  });

  it('keeps the given order without a sort or a comparison', () => {
    const rows = [2, 3, 1];
    expect(sortRows(rows, columns, null)).toBe(rows);
    expect(sortRows(rows, columns, { column: 1, descending: false })).toBe(rows);
    expect(sortRows(rows, columns, { column: 0, descending: true })).toEqual([3, 2, 1]);
    expect(rows).toEqual([2, 3, 1]); // never sorted in place
  });
});
