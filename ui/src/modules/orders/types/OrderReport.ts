/** The client's order report: the linked campaigns' leads and KPIs (docs/api.md). */
export type CallKpis = {
  attempts: number;
  connects: number;
  connect_rate: number | null;
  talk_seconds: number;
  leads: number;
  approved: number;
  conversion_rate: number | null;
};

export type EmailKpis = {
  sent: number;
  delivered: number;
  unique_opens: number;
  unique_clicks: number;
  bounces: number;
  unsubscribes: number;
  delivery_rate: number | null;
  open_rate: number | null;
  ctr: number | null;
};

export type CampaignProgress = {
  campaign_id: number;
  name: string;
  kind: string;
  status: string;
  leads_by_status: Record<string, number>;
  approved: number;
  telemarketing: CallKpis;
  email: EmailKpis;
};

export type OrderReport = {
  order_id: number;
  status: string;
  lead_goal: number | null;
  approved: number;
  remaining: number | null;
  progress: number | null;
  leads_by_status: Record<string, number>;
  telemarketing: CallKpis;
  email: EmailKpis;
  campaigns: CampaignProgress[];
};
