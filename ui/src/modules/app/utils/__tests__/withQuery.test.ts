import { describe, expect, it } from 'vitest';

import { withQuery } from '@/modules/app/utils/withQuery';

describe('withQuery', () => {
  it('sets and drops keys, keeping the others', () => {
    const query = new URLSearchParams('action=user.create&cursor=abc');
    expect(withQuery('/admin/audit', query, { cursor: null, actor: '3' })).toBe('/admin/audit?action=user.create&actor=3');
    expect(withQuery('/admin/audit', query, { action: '', cursor: '' })).toBe('/admin/audit');
    expect(query.get('cursor')).toBe('abc');
  });
});
