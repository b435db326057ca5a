import { describe, expect, it } from 'vitest';

import { auditQuery } from '@/modules/admin/utils/auditQuery';

describe('auditQuery', () => {
  it('turns the screen filters into API parameters with aware times, the last day included', () => {
    const api = new URLSearchParams(auditQuery(new URLSearchParams('action=api_key.&actor=4&from=2026-03-01&to=2026-03-02&cursor=Mg')));
    expect(api.get('action')).toBe('api_key.');
    expect(api.get('actor_id')).toBe('4');
    expect(api.get('since')).toBe(new Date('2026-03-01T00:00:00').toISOString());
    expect(api.get('until')).toBe(new Date('2026-03-03T00:00:00').toISOString());
    expect(api.get('cursor')).toBe('Mg');
  });

  it('asks for everything when nothing is filtered', () => {
    expect(auditQuery(new URLSearchParams())).toBe('limit=50');
  });
});
