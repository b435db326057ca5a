import { useEffect, useState } from 'react';

const ORDER_SORTS = [
  { value: '-created', label: 'Newest first' },
  { value: 'created', label: 'Oldest first' },
  { value: '-submitted', label: 'Latest submitted' },
  { value: 'submitted', label: 'First submitted' },
  { value: 'title', label: 'Title A–Z' },
  { value: '-title', label: 'Title Z–A' },
];

const SEARCH_DELAY_MS = 300;

const SELECT = 'mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900';

type Props = {
  idPrefix: string;
  statuses: { value: string; label: string }[];
  status: string;
  search: string;
  sort: string;
  /** Changes to the URL's keys (`status`, `search`, `sort`); null removes one. */
  onChange: (changes: Record<string, string | null>) => void;
  searchHint: string;
};

/** Status, search (sent 300 ms after the last keystroke) and sort of an order list. */
export function OrderListControls({ idPrefix, statuses, status, search, sort, onChange, searchHint }: Props) {
  const [typed, setTyped] = useState(search);
  // The URL changed (a link, Back): show its search, unless it is what is being typed.
  useEffect(() => setTyped((t) => (t.trim() === search ? t : search)), [search]);
  useEffect(() => {
    if (typed.trim() === search) return undefined;
    const timer = setTimeout(() => onChange({ search: typed.trim() || null }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, search, onChange]);
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor={`${idPrefix}-status`} className="block text-sm font-medium">
          Status
        </label>
        <select id={`${idPrefix}-status`} value={status} onChange={(e) => onChange({ status: e.target.value || null })} className={SELECT}>
          {statuses.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="min-w-48 flex-1">
        <label htmlFor={`${idPrefix}-search`} className="block text-sm font-medium">
          Search orders
        </label>
        <input
          id={`${idPrefix}-search`}
          type="search"
          value={typed}
          maxLength={100}
          placeholder={searchHint}
          onChange={(e) => setTyped(e.target.value)}
          className={`${SELECT} w-full`}
        />
      </div>
      <div>
        <label htmlFor={`${idPrefix}-sort`} className="block text-sm font-medium">
          Sort
        </label>
        <select id={`${idPrefix}-sort`} value={sort} onChange={(e) => onChange({ sort: e.target.value === '-created' ? null : e.target.value })} className={SELECT}>
          {ORDER_SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
