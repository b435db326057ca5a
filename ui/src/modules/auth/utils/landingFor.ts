import type { Role } from '@/modules/auth/types/Session';

/** Where a role lands after sign-in. */
export function landingFor(role: Role): string {
  switch (role) {
    case 'agent':
      return '/console';
    case 'admin':
    case 'campaign_manager':
      return '/monitor';
    default:
      return '/unavailable';
  }
}
