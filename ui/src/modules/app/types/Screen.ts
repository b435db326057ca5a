import type { ComponentType } from 'react';

import type { Role, User } from '@/modules/auth/types/Session';

/** What a screen gets: who is signed in, the path's parameters and the hash query. */
export type ScreenProps = {
  user: User;
  params: Record<string, string>;
  query: URLSearchParams;
  navigate: (to: string) => void;
};

export type Screen = {
  /** A hash path pattern: `/orders`, `/orders/:id`. */
  path: string;
  /** In the main navigation under this label; screens without one are reached by links. */
  label?: string;
  roles: Role[];
  component: ComponentType<ScreenProps>;
  /** A kind of record (search hit) this screen opens with `?<kind>=<id>`. */
  opens?: string;
};
