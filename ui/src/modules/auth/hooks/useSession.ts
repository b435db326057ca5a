import { useSyncExternalStore } from 'react';

import { sessionStore } from '@/modules/auth/states/sessionStore';
import type { Session } from '@/modules/auth/types/Session';

export function useSession(): Session | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}
