import { sessionStore } from '@/modules/auth/states/sessionStore';

/** Revokes the sign-in on the server (best effort) and forgets it here. */
export async function signOut(): Promise<void> {
  const session = sessionStore.get();
  sessionStore.set(null);
  if (!session) return;
  try {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: session.refreshToken }),
    });
  } catch {
    // offline: the refresh token expires on its own
  }
}
