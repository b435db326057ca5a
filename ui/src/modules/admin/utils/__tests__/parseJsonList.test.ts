import { describe, expect, it } from 'vitest';

import { parseJsonList } from '@/modules/admin/utils/parseJsonList';

describe('parseJsonList', () => {
  it('reads a list of objects and explains anything else', () => {
    expect(parseJsonList('[{"type": "notify"}]')).toEqual([{ type: 'notify' }]);
    expect(parseJsonList('')).toEqual([]);
    expect(parseJsonList('[1]')).toBe('a list of objects is expected.');
    expect(parseJsonList('{')).toMatch(/^not valid JSON/);
  });
});
