import type { GroupBy, ReportKind, ReportQuery } from '@/modules/reports/types/Report';

const KINDS: ReportKind[] = ['telemarketing', 'email', 'coverage'];
const GROUPS: GroupBy[] = ['campaign', 'agent', 'day', 'domain'];
/** Emails have no agent (the API answers 422). */
export const GROUPS_OF: Record<ReportKind, GroupBy[]> = {
  telemarketing: GROUPS,
  email: ['campaign', 'day', 'domain'],
  coverage: ['campaign'],
};
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The screen's state from the hash query; anything unknown falls back to a default. */
export function parseReportQuery(query: URLSearchParams): ReportQuery {
  const report = KINDS.find((k) => k === query.get('report')) ?? 'telemarketing';
  const by = GROUPS_OF[report].find((g) => g === query.get('by')) ?? 'campaign';
  const day = (key: string) => (DAY.test(query.get(key) ?? '') ? (query.get(key) as string) : '');
  const campaigns = (query.get('campaign') ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  return { report, by, from: day('from'), to: day('to'), campaigns };
}

/** The hash route that reopens this view. */
export function reportRoute(q: ReportQuery): string {
  const params = new URLSearchParams({ report: q.report, by: q.by });
  if (q.from) params.set('from', q.from);
  if (q.to) params.set('to', q.to);
  if (q.campaigns.length) params.set('campaign', q.campaigns.join(','));
  return `/reports?${params.toString()}`;
}

/** The API path of the report (`ext` for a download: csv or xlsx), filters as its parameters. */
export function reportApiPath(q: ReportQuery, ext?: 'csv' | 'xlsx'): string {
  const params = new URLSearchParams();
  if (q.report === 'coverage') params.set('by', 'campaign');
  else params.set('group_by', q.by);
  if (q.from) params.set('date_from', q.from);
  if (q.to) params.set('date_to', q.to);
  params.set('tz', Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  for (const id of q.campaigns) params.append('campaign_id', String(id));
  const base = q.report === 'coverage' ? '/reports/abm/coverage' : `/reports/${q.report}`;
  return `${base}${ext ? `.${ext}` : ''}?${params.toString()}`;
}

/** 0.4567 → "45.7%", null → "–". */
export function percent(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}
