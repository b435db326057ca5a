/** Where a campaign's contacts come from: one source at most (docs/api.md). */
export type Audience = {
  all_contacts?: boolean;
  list_id?: number;
  segment_id?: number;
  domain_set_id?: number;
  contact_ids?: number[];
};

/** GET /campaigns/{id} */
export type Campaign = {
  id: number;
  kind: 'call' | 'email';
  name: string;
  status: string;
  client_id: number | null;
  audience: Audience;
  settings: Record<string, unknown>;
  created_at: string;
};

export type Named = { id: number; name: string };
