import { describe, expect, it } from 'vitest';

import { minimumOf } from '@/modules/forms/utils/minimumOf';

describe('minimumOf', () => {
  it('reads a typed minimum as a number, and nothing or a non-number as none', () => {
    expect(minimumOf('10')).toBe(10);
    expect(minimumOf(' 2.5 ')).toBe(2.5);
    expect(minimumOf('0')).toBe(0);
    expect(minimumOf('')).toBeNull();
    expect(minimumOf('  ')).toBeNull();
    expect(minimumOf('lots')).toBeNull();
  });
});
