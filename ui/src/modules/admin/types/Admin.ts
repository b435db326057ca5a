import type { Role } from '@/modules/auth/types/Session';

export const ROLES: Role[] = ['admin', 'campaign_manager', 'data_ops', 'qa_analyst', 'agent', 'client_user'];

/** GET /users */
export type AdminUser = {
  id: number;
  email: string;
  full_name: string;
  role: Role;
  client_id: number | null;
  is_active: boolean;
  created_at: string;
};

/** GET /api-keys; the secret only in the answer to the POST. */
export type ApiKey = {
  id: number;
  name: string;
  prefix: string;
  role: Role;
  client_id: number | null;
  created_at: string;
  revoked_at: string | null;
  secret?: string;
};

/** GET /audit */
export type AuditEntry = {
  id: number;
  action: string;
  actor_id: number | null;
  api_key_id: number | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  data: Record<string, unknown>;
  created_at: string;
};

export type Suppression = {
  id: number;
  kind: 'phone' | 'email' | 'domain';
  value: string;
  client_id: number | null;
  reason: string | null;
  consent_basis: string | null;
  source: string;
  created_at: string;
};

/** GET /clients: a client organisation, with how many users, orders and campaigns it has. */
export type ClientOrg = {
  id: number;
  name: string;
  created_at: string;
  is_active: boolean;
  contact_email: string | null;
  user_count: number;
  order_count: number;
  campaign_count: number;
};
