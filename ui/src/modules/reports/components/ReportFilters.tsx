import type { CampaignSummary } from '@/modules/console/types/CampaignSummary';
import type { GroupBy, ReportQuery } from '@/modules/reports/types/Report';
import { GROUPS_OF } from '@/modules/reports/utils/reportQuery';

const GROUP_LABEL: Record<GroupBy, string> = { campaign: 'Campaign', agent: 'Agent', day: 'Day', domain: 'Account domain' };
const FIELD = 'rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800';

type Props = { query: ReportQuery; campaigns: CampaignSummary[]; onChange: (next: ReportQuery) => void };

/** Group, period and campaigns; every change goes to the URL at once. */
export function ReportFilters({ query, campaigns, onChange }: Props) {
  return (
    <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
      {query.report !== 'coverage' ? (
        <label className="space-y-1">
          <span className="block font-medium">Group by</span>
          <select className={FIELD} value={query.by} onChange={(e) => onChange({ ...query, by: e.target.value as GroupBy })}>
            {GROUPS_OF[query.report].map((group) => (
              <option key={group} value={group}>
                {GROUP_LABEL[group]}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="space-y-1">
        <span className="block font-medium">From</span>
        <input type="date" className={FIELD} value={query.from} max={query.to || undefined}
          onChange={(e) => onChange({ ...query, from: e.target.value })} />
      </label>
      <label className="space-y-1">
        <span className="block font-medium">To</span>
        <input type="date" className={FIELD} value={query.to} min={query.from || undefined}
          onChange={(e) => onChange({ ...query, to: e.target.value })} />
      </label>
      <label className="space-y-1">
        <span className="block font-medium">Campaigns</span>
        <select
          multiple
          className={`${FIELD} h-20 min-w-56`}
          value={query.campaigns.map(String)}
          onChange={(e) => onChange({ ...query, campaigns: [...e.target.selectedOptions].map((o) => Number(o.value)) })}
        >
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.kind})
            </option>
          ))}
        </select>
      </label>
      {query.from || query.to || query.campaigns.length ? (
        <button
          type="button"
          className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
          onClick={() => onChange({ ...query, from: '', to: '', campaigns: [] })}
        >
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
