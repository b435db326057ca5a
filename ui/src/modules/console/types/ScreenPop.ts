export type ScreenPopContact = {
  id: number;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  job_title: string | null;
  email: string | null;
  direct_phone_e164: string | null;
  mobile_phone_e164: string | null;
  seniority_level: string | null;
  department: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  timezone: string | null;
  linkedin_url: string | null;
  consent_basis: string | null;
  custom_fields: Record<string, unknown>;
};

export type ScreenPopAccount = {
  id: number;
  name: string;
  domain: string | null;
  industry: string | null;
  staff_count: number | null;
  annual_revenue: number | null;
  employees_size_range: string | null;
  hq_city: string | null;
  hq_state: string | null;
  hq_country: string | null;
  main_phone_e164: string | null;
  custom_fields: Record<string, unknown>;
};

/** GET /calls/{id}/screen-pop */
export type ScreenPop = {
  call_id: number;
  campaign_id: number;
  campaign_name: string;
  phone_e164: string;
  status: string;
  answered_at: string | null;
  contact: ScreenPopContact;
  account: ScreenPopAccount | null;
  callee_times: { zone: string; local_time: string }[];
  window_open: boolean;
  previous_calls: {
    id: number;
    campaign_id: number;
    status: string;
    disposition: string | null;
    notes: string | null;
    started_at: string;
    talk_seconds: number | null;
  }[];
  activity: { kind: string; campaign_id: number | null; data: Record<string, unknown>; created_at: string }[];
  suppressions: { kind: string; value: string; reason: string | null; client_id: number | null }[];
};
