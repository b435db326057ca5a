import { describe, expect, it } from 'vitest';

import { matchPath, splitRoute } from '@/modules/app/utils/matchPath';

describe('matchPath', () => {
  it('matches fixed paths and reads parameters', () => {
    expect(matchPath('/orders', '/orders')).toEqual({});
    expect(matchPath('/orders/:id', '/orders/42')).toEqual({ id: '42' });
    expect(matchPath('/orders/:id/report', '/orders/a%20b/report')).toEqual({ id: 'a b' });
  });

  it('refuses other paths', () => {
    expect(matchPath('/orders/:id', '/orders')).toBeNull();
    expect(matchPath('/orders', '/leads')).toBeNull();
  });

  it('splits the query off a route', () => {
    const { path, query } = splitRoute('/qa?status=new&campaign=3');
    expect(path).toBe('/qa');
    expect(query.get('status')).toBe('new');
    expect(splitRoute('').path).toBe('/');
  });
});
