/** A campaign linked to an order (GET /orders/{id}/campaign-links). */
export type CampaignLink = {
  campaign_id: number;
  campaign_name: string;
  campaign_kind: string;
  campaign_status: string;
  created_at: string;
  /** A call campaign: whether it asks the order's questions with their qualifying rules
   * (null for an email campaign, or when the order asks none: nothing to copy). */
  questions_match: boolean | null;
};

/** A campaign found by the search (GET /campaigns?q=…). */
export type CampaignHit = { id: number; name: string; kind: string; status: string; client_id: number | null };

/** One campaign's row of the telemarketing or email report, grouped by campaign. */
export type DeliveryRow = {
  key: number;
  attempts?: number;
  connects?: number;
  leads?: number;
  approved?: number;
  leads_by_status?: Record<string, number>;
  sent?: number;
  delivered?: number;
};
