import { describe, expect, it } from 'vitest';

import { move, removeAt, replaceAt } from '@/modules/setup/utils/rows';

describe('row edits', () => {
  it('moves, replaces and removes without touching the original', () => {
    const rows = ['a', 'b', 'c'];
    expect(move(rows, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(rows, 0, -1)).toBe(rows);
    expect(replaceAt(rows, 2, 'z')).toEqual(['a', 'b', 'z']);
    expect(removeAt(rows, 1)).toEqual(['a', 'c']);
    expect(rows).toEqual(['a', 'b', 'c']);
  });
});
