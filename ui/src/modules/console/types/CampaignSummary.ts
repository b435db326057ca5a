/** A campaign as GET /campaigns lists it. */
export type CampaignSummary = {
  id: number;
  kind: 'call' | 'email';
  name: string;
  status: string;
  client_id: number | null;
  settings: Record<string, unknown>;
};

export type Page<T> = { items: T[]; next_cursor: string | null };
