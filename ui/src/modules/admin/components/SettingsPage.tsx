import { useMemo, useState } from 'react';

import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { INPUT } from '@/modules/forms/components/Field';
import { LoadState } from '@/modules/forms/components/LoadState';
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
        <p className="text-sm text-slate-600">
          Settings come from <code>PIVOTAL_*</code> environment variables (see <code>.env.example</code>) and take
          effect on restart.
        </p>
        <label className="mt-2 block max-w-sm text-sm font-medium">
          Filter
          <input className={INPUT} value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. TELNYX" />
        </label>
        <LoadState loading={settings.loading} error={settings.error} />
        <table className="mt-3 w-full text-sm" aria-label="Settings">
          <thead className="text-left text-xs uppercase text-slate-600">
            <tr>
              <th className="py-1 pr-3">Variable</th>
              <th className="py-1">Value</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((setting) => (
              <tr key={setting.name} className="border-t border-slate-100">
                <td className="py-1 pr-3 font-mono text-xs">{setting.name}</td>
                <td className={`py-1 font-mono text-xs break-all ${setting.secret ? 'italic' : ''}`}>{shown(setting.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </AdminLayout>
  );
}
