import type { LeadFilters } from '@/modules/qa/types/LeadFilters';
import type { QaLead, QaStatus } from '@/modules/qa/types/QaLead';

export const QA_STATUSES: { value: QaStatus; label: string }[] = [
  { value: 'new', label: 'New' },
  { value: 'under_review', label: 'Under review' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'returned', label: 'Returned' },
  { value: 'published', label: 'Published' },
];

const KEYS: Record<keyof LeadFilters, string> = {
  status: 'status',
  campaign: 'campaign',
  agent: 'agent',
  from: 'from',
  to: 'to',
  minScore: 'min_score',
  maxScore: 'max_score',
};
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const WHOLE = /^\d+$/;

/** The filters in a hash query; anything malformed is dropped rather than sent on. */
export function filtersFromQuery(query: URLSearchParams): LeadFilters {
  const get = (key: keyof LeadFilters) => query.get(KEYS[key]) ?? '';
  const pick = (key: keyof LeadFilters, valid: (v: string) => boolean) => (valid(get(key)) ? get(key) : '');
  const status = get('status');
  const score = (v: string) => WHOLE.test(v) && Number(v) <= 100;
  return {
    status: QA_STATUSES.some((s) => s.value === status) ? (status as QaStatus) : '',
    campaign: pick('campaign', (v) => WHOLE.test(v)),
    agent: pick('agent', (v) => WHOLE.test(v)),
    from: pick('from', (v) => DAY.test(v)),
    to: pick('to', (v) => DAY.test(v)),
    minScore: pick('minScore', score),
    maxScore: pick('maxScore', score),
  };
}

/** The hash route of the workspace with these filters and this lead open. */
export function qaRoute(filters: LeadFilters, leadId: number | null): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(KEYS) as (keyof LeadFilters)[]) {
    if (filters[key]) query.set(KEYS[key], filters[key]);
  }
  if (leadId !== null) query.set('lead', String(leadId));
  const search = query.toString();
  return search ? `/qa?${search}` : '/qa';
}

/** The `GET /leads` query for the filters; days are the reviewer's local days. */
export function leadsApiQuery(filters: LeadFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.status) query.set('qa_status', filters.status);
  if (filters.campaign) query.set('campaign_id', filters.campaign);
  if (filters.agent) query.set('agent_id', filters.agent);
  if (filters.from) query.set('created_from', localMidnight(filters.from, 0));
  if (filters.to) query.set('created_to', localMidnight(filters.to, 1)); // the API's end is exclusive
  if (filters.minScore) query.set('min_score', filters.minScore);
  if (filters.maxScore) query.set('max_score', filters.maxScore);
  return query;
}

/** Whether `GET /leads` would list the lead for these filters (a live lead joins the grid by it). */
export function matchesFilters(lead: QaLead, filters: LeadFilters): boolean {
  const created = Date.parse(lead.created_at);
  const score = lead.ai_score;
  return (
    (!filters.status || lead.qa_status === filters.status) &&
    (!filters.campaign || lead.campaign_id === Number(filters.campaign)) &&
    (!filters.agent || lead.agent_id === Number(filters.agent)) &&
    (!filters.from || created >= Date.parse(localMidnight(filters.from, 0))) &&
    (!filters.to || created < Date.parse(localMidnight(filters.to, 1))) &&
    (!filters.minScore || (score !== null && score >= Number(filters.minScore))) &&
    (!filters.maxScore || (score !== null && score <= Number(filters.maxScore)))
  );
}

function localMidnight(day: string, plusDays: number): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date + plusDays).toISOString();
}
