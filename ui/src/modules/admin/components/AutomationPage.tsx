import { useState } from 'react';

import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { parseJsonList } from '@/modules/admin/utils/parseJsonList';
import { Button } from '@/modules/ui/components/Button';

type Rule = { id: number; name: string; trigger: string; conditions: unknown[]; actions: unknown[]; active: boolean };
const TRIGGERS = ['contact.updated', 'account.updated', 'campaign.event', 'qa.decided', 'order.status_changed'];
const EXAMPLE_ACTIONS = '[{"type": "notify", "user_id": 1, "message": "Changed"}]';

/** Automation rules: list, create (conditions and actions as JSON, see docs/api.md), disable. */
export function AutomationPage() {
  const [version, setVersion] = useState(0);
  const rules = useApiResource<Page<Rule>>('/automation-rules?limit=500', version);
  const [form, setForm] = useState({ name: '', trigger: TRIGGERS[0], conditions: '[]', actions: EXAMPLE_ACTIONS });
  const [jsonError, setJsonError] = useState<string | null>(null);
  const create = useSubmit();
  const toggle = useSubmit();

  const add = async () => {
    const conditions = parseJsonList(form.conditions);
    const actions = parseJsonList(form.actions);
    if (typeof conditions === 'string' || typeof actions === 'string') {
      setJsonError(typeof conditions === 'string' ? `Conditions: ${conditions}` : `Actions: ${actions as string}`);
      return;
    }
    setJsonError(null);
    const body = { name: form.name, trigger: form.trigger, conditions, actions };
    if (await create.run(() => apiFetch('/automation-rules', { method: 'POST', body }), `Rule ${form.name} created.`)) {
      setForm({ ...form, name: '' });
      setVersion((v) => v + 1);
    }
  };
  const setActive = async (rule: Rule) => {
    const body = { active: !rule.active };
    if (await toggle.run(() => apiFetch(`/automation-rules/${rule.id}`, { method: 'PATCH', body }), `${rule.name} ${rule.active ? 'disabled' : 'enabled'}.`)) {
      setVersion((v) => v + 1);
    }
  };

  return (
    <AdminLayout current="/admin/automation" title="Automation rules">
      <Panel title="New rule">
        <div className="grid gap-3 md:grid-cols-2">
          <Field label="Rule name" error={fieldMessage(create.error, 'name')}>
            <input className={INPUT} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </Field>
          <Field label="Trigger">
            <select className={INPUT} value={form.trigger} onChange={(e) => setForm({ ...form, trigger: e.target.value })}>
              {TRIGGERS.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </Field>
          <Field label="Conditions (JSON list)" hint='e.g. [{"field": "status", "op": "eq", "value": "running"}]'>
            <textarea className={`${INPUT} h-24 font-mono`} value={form.conditions} onChange={(e) => setForm({ ...form, conditions: e.target.value })} />
          </Field>
          <Field label="Actions (JSON list)" hint="notify, assign, update_field or webhook">
            <textarea className={`${INPUT} h-24 font-mono`} value={form.actions} onChange={(e) => setForm({ ...form, actions: e.target.value })} />
          </Field>
        </div>
        {jsonError ? (
          <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">
            {jsonError}
          </p>
        ) : null}
        <Button tone="primary" disabled={create.busy} onClick={() => void add()}>
          Create rule
        </Button>
        <SubmitStatus submit={create} shown={['name']} />
      </Panel>
      <Panel title="Rules">
        <SubmitStatus submit={toggle} />
        <DataTable
          caption="Automation rules"
          columns={[
            { header: 'Name', cell: (r) => r.name, sort: (a, b) => a.name.localeCompare(b.name) },
            { header: 'Trigger', cell: (r) => r.trigger, sort: (a, b) => a.trigger.localeCompare(b.trigger) },
            { header: 'Conditions', cell: (r) => r.conditions.length },
            { header: 'Actions', cell: (r) => r.actions.map((a) => String((a as { type?: string }).type)).join(', ') },
            { header: 'Status', cell: (r) => (r.active ? 'enabled' : 'disabled') },
          ]}
          rows={rules.data?.items}
          rowKey={(r) => r.id}
          loading={rules.loading}
          error={rules.error}
          emptyText="No rules yet."
          actions={[{ label: (r) => (r.active ? 'Disable' : 'Enable'), run: (r) => void setActive(r) }]}
        />
      </Panel>
    </AdminLayout>
  );
}
