import { useMemo, useState } from 'react';

import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { INPUT } from '@/modules/forms/components/Field';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Panel } from '@/modules/forms/components/Panel';

type Setting = { name: string; value: unknown; secret: boolean };

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The running configuration, read-only (it changes with the environment and a restart);
 * secrets show only whether they are set. */
export function SettingsPage() {
  const settings = useApiResource<Setting[]>('/admin/settings');
  const [text, setText] = useState('');
  const rows = useMemo(
    () => (settings.data ?? []).filter((s) => s.name.toLowerCase().includes(text.trim().toLowerCase())),
    [settings.data, text],
  );
  return (
    <AdminLayout current="/admin/settings" title="Settings">
      <Panel title="Running configuration">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Settings come from <code>PIVOTAL_*</code> environment variables (see <code>.env.example</code>) and take
          effect on restart.
        </p>
        <label className="mt-2 block max-w-sm text-sm font-medium">
          Filter
          <input className={INPUT} value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. TELNYX" />
        </label>
        <DataTable
          caption="Settings"
          columns={[
            { header: 'Variable', cell: (setting) => setting.name, className: 'pr-3 font-mono text-xs', sort: (a, b) => a.name.localeCompare(b.name) },
            { header: 'Value', cell: (setting) => shown(setting.value), className: 'font-mono text-xs break-all' },
          ]}
          rows={settings.data ? rows : undefined}
          rowKey={(setting) => setting.name}
          rowClassName={(setting) => (setting.secret ? 'italic' : '')}
          loading={settings.loading}
          error={settings.error}
          emptyText="No setting matches."
        />
      </Panel>
    </AdminLayout>
  );
}
