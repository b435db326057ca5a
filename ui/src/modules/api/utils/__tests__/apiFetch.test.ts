import { describe, expect, it, vi } from 'vitest';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { sessionStore } from '@/modules/auth/states/sessionStore';

const pair = (access: string) => ({
  access_token: access, refresh_token: `r-${access}`, token_type: 'bearer', expires_in: 900,
  user: { id: 1, email: 'a@b.c', full_name: 'A', role: 'agent', client_id: null },
});

describe('apiFetch', () => {
  it('refreshes an expiring token once for concurrent calls, then sends the new one', async () => {
    sessionStore.set({ accessToken: 'old', refreshToken: 'r-old', expiresAt: Date.now() + 1000, user: pair('x').user as never });
    const seen: string[] = [];
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/auth/refresh')) return new Response(JSON.stringify(pair('new')));
      seen.push(new Headers(init?.headers).get('Authorization') ?? '');
      return new Response(JSON.stringify({ ok: true }));
    });
    vi.stubGlobal('fetch', fetch);
    await Promise.all([apiFetch('/console/state'), apiFetch('/console/today')]);
    expect(fetch.mock.calls.filter(([url]) => String(url).endsWith('/auth/refresh'))).toHaveLength(1);
    expect(seen).toEqual(['Bearer new', 'Bearer new']);
    expect(sessionStore.get()?.refreshToken).toBe('r-new');
  });

  it('turns the error shape into an ApiError and signs out when the refresh is refused', async () => {
    sessionStore.set({ accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 600_000, user: pair('x').user as never });
    vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL) =>
      String(input).endsWith('/auth/refresh')
        ? new Response('{}', { status: 401 })
        : new Response(JSON.stringify({ status: 401, code: 'unauthenticated', message: 'Sign in first.', errors: [] }), { status: 401 }),
    ));
    const error = await apiFetch('/console/state').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('unauthenticated');
    expect(sessionStore.get()).toBeNull();
  });
});
