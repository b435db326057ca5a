import type { ChecklistItem } from '@/modules/qa/types/LeadDetail';

type Props = {
  items: ChecklistItem[];
  /** The reviewer's ticks, sent with the approval. */
  ticks: Record<string, boolean>;
  onTick: ((key: string, done: boolean) => void) | null;
};

/** The campaign's checklist: automatic items as found, the others ticked by the reviewer. */
export function ChecklistPanel({ items, ticks, onTick }: Props) {
  if (items.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">The campaign asks for nothing.</p>;
  return (
    <ul className="space-y-1 text-sm">
      {items.map((item) => {
        if (item.automatic) {
          return (
            <li key={item.key} className="flex gap-2">
              <span aria-hidden="true" className={item.done ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-700 dark:text-rose-400'}>
                {item.done ? '✔' : '✘'}
              </span>
              <span>
                {item.label}
                <span className="sr-only">{item.done ? ' (done)' : ' (not done)'}</span>
                {item.problem ? <span className="block text-xs text-rose-700 dark:text-rose-300">{item.problem}</span> : null}
              </span>
            </li>
          );
        }
        const done = ticks[item.key] ?? item.done;
        return (
          <li key={item.key}>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                className="h-4 w-4"
                checked={done}
                disabled={!onTick}
                onChange={(event) => onTick?.(item.key, event.target.checked)}
              />
              {item.label}
            </label>
          </li>
        );
      })}
    </ul>
  );
}
