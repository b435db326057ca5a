import { SCREENS } from '@/modules/app/screens';
import type { Role } from '@/modules/auth/types/Session';

/** Where a search hit opens: the first screen of the role whose path ends in
 * `/<kind>s/:id` (an order: `/orders/:id` or `/ops/orders/:id`); null when none. */
export function hitPath(kind: string, id: number, role: Role): string | null {
  const suffix = `/${kind}s/:id`;
  const screen = SCREENS.find((s) => s.path.endsWith(suffix) && s.roles.includes(role));
  return screen ? screen.path.replace(':id', String(id)) : null;
}
