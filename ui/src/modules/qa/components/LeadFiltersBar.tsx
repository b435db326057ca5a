import type { LeadFilters } from '@/modules/qa/types/LeadFilters';
import { QA_STATUSES } from '@/modules/qa/utils/leadFilters';

type Props = {
  filters: LeadFilters;
  campaigns: { id: number; name: string }[];
  /** The agents to offer: id → name. */
  agents: Map<number, string>;
  onChange: (filters: LeadFilters) => void;
};

const FIELD =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100';
const LABEL = 'flex flex-col gap-0.5 text-xs font-medium text-slate-600 dark:text-slate-300';

/** The grid's filters; every change goes to the URL (the parent navigates). */
export function LeadFiltersBar({ filters, campaigns, agents, onChange }: Props) {
  const set = (key: keyof LeadFilters) => (event: { target: { value: string } }) =>
    onChange({ ...filters, [key]: event.target.value });
  return (
    <form role="search" aria-label="Filter leads" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <label className={LABEL}>
        Status
        <select className={FIELD} value={filters.status} onChange={set('status')}>
          <option value="">Any status</option>
          {QA_STATUSES.map((status) => (
            <option key={status.value} value={status.value}>{status.label}</option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Campaign
        <select className={FIELD} value={filters.campaign} onChange={set('campaign')}>
          <option value="">Any campaign</option>
          {campaigns.map((campaign) => (
            <option key={campaign.id} value={String(campaign.id)}>{campaign.name}</option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Agent
        <select className={FIELD} value={filters.agent} onChange={set('agent')}>
          <option value="">Any agent</option>
          {[...agents].map(([id, name]) => (
            <option key={id} value={String(id)}>{name}</option>
          ))}
          {filters.agent && !agents.has(Number(filters.agent)) ? <option value={filters.agent}>Agent #{filters.agent}</option> : null}
        </select>
      </label>
      <label className={LABEL}>
        Created from
        <input type="date" className={FIELD} value={filters.from} onChange={set('from')} />
      </label>
      <label className={LABEL}>
        Created to
        <input type="date" className={FIELD} value={filters.to} onChange={set('to')} />
      </label>
      <label className={LABEL}>
        AI score from
        <input type="number" min={0} max={100} className={`${FIELD} w-20`} value={filters.minScore} onChange={set('minScore')} />
      </label>
      <label className={LABEL}>
        AI score to
        <input type="number" min={0} max={100} className={`${FIELD} w-20`} value={filters.maxScore} onChange={set('maxScore')} />
      </label>
    </form>
  );
}
