/** What the reports screen shows; every field lives in the URL's hash query. */
export type ReportKind = 'telemarketing' | 'email' | 'coverage';
export type GroupBy = 'campaign' | 'agent' | 'day' | 'domain';

export type ReportQuery = {
  report: ReportKind;
  by: GroupBy;
  from: string;
  to: string;
  campaigns: number[];
};

type Key = number | string | null;

export type CallKpis = {
  key: Key;
  label: string | null;
  attempts: number;
  connects: number;
  connect_rate: number | null;
  talk_seconds: number;
  avg_talk_seconds: number | null;
  dispositions: Record<string, number>;
  leads: number;
  approved: number;
  leads_by_status: Record<string, number>;
  conversion_rate: number | null;
};

export type EmailKpis = {
  key: Key;
  label: string | null;
  sent: number;
  delivered: number;
  opens: number;
  unique_opens: number;
  clicks: number;
  unique_clicks: number;
  bounces: number;
  complaints: number;
  unsubscribes: number;
  delivery_rate: number | null;
  open_rate: number | null;
  ctr: number | null;
  bounce_rate: number | null;
  complaint_rate: number | null;
  unsubscribe_rate: number | null;
};

export type CoverageRow = {
  key: number;
  label: string | null;
  accounts_targeted: number;
  accounts_reached: number;
  coverage: number | null;
};

export type GroupedReport<Row> = { group_by: GroupBy; rows: Row[]; total: Row };
