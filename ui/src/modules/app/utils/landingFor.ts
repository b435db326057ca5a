import { SCREENS } from '@/modules/app/screens';
import type { Role } from '@/modules/auth/types/Session';

/** Where a role lands after sign-in: the first screen it may open. */
export function landingFor(role: Role): string {
  return SCREENS.find((screen) => screen.roles.includes(role))?.path ?? '/';
}
