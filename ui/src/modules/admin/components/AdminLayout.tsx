import type { ReactNode } from 'react';

const TABS = [
  { path: '/admin', label: 'Users' },
  { path: '/admin/clients', label: 'Clients' },
  { path: '/admin/api-keys', label: 'API keys' },
  { path: '/admin/suppressions', label: 'Suppressions' },
  { path: '/admin/webhooks', label: 'Webhooks' },
  { path: '/admin/automation', label: 'Automation' },
  { path: '/admin/audit', label: 'Audit log' },
  { path: '/admin/settings', label: 'Settings' },
] as const;

/** A page names its own tab: a path that is not one fails to compile. */
export type AdminTab = (typeof TABS)[number]['path'];

/** The admin area: its sections as links, the current one marked. */
export function AdminLayout({ current, title, children }: { current: AdminTab; title: string; children: ReactNode }) {
  return (
    <div className="space-y-4">
      <nav aria-label="Admin sections" className="flex flex-wrap gap-1 border-b border-slate-300 pb-2 dark:border-slate-700">
        {TABS.map((tab) => (
          <a
            key={tab.path}
            href={`#${tab.path}`}
            aria-current={tab.path === current ? 'page' : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${
              tab.path === current ? 'bg-sky-700 text-white' : 'text-slate-800 hover:bg-slate-200 dark:text-slate-100 dark:hover:bg-slate-800'
            }`}
          >
            {tab.label}
          </a>
        ))}
      </nav>
      <h1 className="text-lg font-semibold">{title}</h1>
      {children}
    </div>
  );
}
