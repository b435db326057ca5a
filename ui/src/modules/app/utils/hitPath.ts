import { SCREENS } from '@/modules/app/screens';
import type { Role } from '@/modules/auth/types/Session';

/** Where a search hit opens for a role: its screen whose path ends in `/<kind>s/:id`
 * (a client's `/orders/:id`), else one that `opens` the kind (`/inbox?order=<id>`); null
 * when none. */
export function hitPath(kind: string, id: number, role: Role): string | null {
  const mine = SCREENS.filter((s) => s.roles.includes(role));
  const page = mine.find((s) => s.path.endsWith(`/${kind}s/:id`));
  if (page) return page.path.replace(':id', String(id));
  const opener = mine.find((s) => s.opens === kind);
  return opener ? `${opener.path}?${kind}=${id}` : null;
}
