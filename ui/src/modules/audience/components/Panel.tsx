import type { ReactNode } from 'react';

/** A titled card of an audience screen. */
export function Panel({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section
      aria-label={title}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-base font-semibold">{title}</h2>
        <div className="ml-auto flex gap-2">{actions}</div>
      </div>
      {children}
    </section>
  );
}

export const INPUT =
  'rounded border border-slate-300 bg-white px-2 py-1 text-sm focus:outline-2 focus:outline-sky-600 dark:border-slate-600 dark:bg-slate-950';

export const ROW_BUTTON =
  'w-full rounded px-2 py-1 text-left text-sm hover:bg-slate-100 focus:outline-2 focus:outline-sky-600 aria-[current=true]:bg-sky-100 dark:hover:bg-slate-800 dark:aria-[current=true]:bg-sky-900';
