import { describe, expect, it } from 'vitest';

import { plural } from '@/modules/ui/utils/plural';

describe('plural', () => {
  it('adds an s to every count but one', () => {
    expect([0, 1, 2, 1500].map((n) => plural(n, 'line'))).toEqual(['0 lines', '1 line', '2 lines', '1,500 lines']);
  });
});
