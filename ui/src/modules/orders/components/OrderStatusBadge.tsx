const TONES: Record<string, string> = {
  draft: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100',
  submitted: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
  in_progress: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  completed: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
  cancelled: 'bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100',
};

/** An order's (or campaign's) status as a coloured word. */
export function OrderStatusBadge({ status }: { status: string }) {
  return (
    <span data-testid="order-status" className={`rounded-full px-2 py-0.5 text-xs font-medium ${TONES[status] ?? TONES.draft}`}>
      {status.replace('_', ' ')}
    </span>
  );
}
