import { sessionStore } from '@/modules/auth/states/sessionStore';
import type { Session, TokenPair } from '@/modules/auth/types/Session';

let inFlight: Promise<Session | null> | null = null;

/**
 * Exchanges the refresh token for a new pair. Refresh tokens rotate and a reused one revokes
 * the whole sign-in, so concurrent callers share one request.
 */
export function refreshSession(): Promise<Session | null> {
  if (inFlight) return inFlight;
  const session = sessionStore.get();
  if (!session) return Promise.resolve(null);
  inFlight = (async () => {
    try {
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: session.refreshToken }),
      });
      if (!response.ok) {
        if (response.status === 401) sessionStore.set(null);
        return null;
      }
      return sessionStore.fromPair((await response.json()) as TokenPair);
    } catch {
      return null; // offline: keep the session, try again later
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

/** A valid access token, refreshed first when it expires within `marginMs`. */
export async function freshAccessToken(marginMs = 30_000): Promise<string | null> {
  const session = sessionStore.get();
  if (!session) return null;
  if (session.expiresAt - Date.now() > marginMs) return session.accessToken;
  const renewed = await refreshSession();
  return renewed?.accessToken ?? null;
}
