import type { Session, TokenPair } from '@/modules/auth/types/Session';

const KEY = 'pivotal.session';
type Listener = () => void;

let current: Session | null = read();
const listeners = new Set<Listener>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

/** The signed-in session, kept in localStorage so a reload keeps the agent signed in. */
export const sessionStore = {
  get(): Session | null {
    return current;
  },
  set(session: Session | null): void {
    current = session;
    if (session) localStorage.setItem(KEY, JSON.stringify(session));
    else localStorage.removeItem(KEY);
    listeners.forEach((listener) => listener());
  },
  fromPair(pair: TokenPair, now = Date.now()): Session {
    const session: Session = {
      accessToken: pair.access_token,
      refreshToken: pair.refresh_token,
      expiresAt: now + pair.expires_in * 1000,
      user: pair.user,
    };
    sessionStore.set(session);
    return session;
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Re-reads storage (tests, and another tab that signed out). */
  reload(): void {
    current = read();
    listeners.forEach((listener) => listener());
  },
};
