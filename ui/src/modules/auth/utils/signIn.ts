import { ApiError } from '@/modules/api/utils/ApiError';
import { sessionStore } from '@/modules/auth/states/sessionStore';
import type { Session, TokenPair } from '@/modules/auth/types/Session';

export async function signIn(email: string, password: string): Promise<Session> {
  const response = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw await ApiError.fromResponse(response);
  return sessionStore.fromPair((await response.json()) as TokenPair);
}
