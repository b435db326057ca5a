import { useState } from 'react';

import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { RuleEditor } from '@/modules/admin/components/RuleEditor';
import type { AdminUser } from '@/modules/admin/types/Admin';
import type { Catalogue, Rule, RuleDraft } from '@/modules/admin/types/Automation';
import { buildRule } from '@/modules/admin/utils/buildRule';
import { parseRule } from '@/modules/admin/utils/parseRule';
import { rulePaths } from '@/modules/admin/utils/rulePaths';
import { newAction } from '@/modules/admin/utils/ruleRows';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { DataTable } from '@/modules/forms/components/DataTable';
import { LoadState } from '@/modules/forms/components/LoadState';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { Button } from '@/modules/ui/components/Button';

/** A new rule on the catalogue's first trigger with its first action. */
function blank(catalogue: Catalogue): RuleDraft {
  const [first] = catalogue.triggers;
  return { name: '', trigger: first?.trigger ?? '', match: 'all', conditions: [], actions: first?.actions[0] ? [newAction(first.actions[0])] : [] };
}

/** Automation rules: list, create or edit in the typed editor (docs/api.md, "Automation rules"), enable / disable. */
export function AutomationPage() {
  const [version, setVersion] = useState(0);
  const rules = useApiResource<Page<Rule>>('/automation-rules?limit=500', version);
  const catalogue = useApiResource<Catalogue>('/automation/catalogue');
  const users = useApiResource<Page<AdminUser>>('/users?limit=500');
  const subscriptions = useApiResource<Page<{ id: number; url: string }>>('/webhook-subscriptions?limit=500');
  const [typed, setTyped] = useState<RuleDraft | null>(null);
  const [editing, setEditing] = useState<Rule | null>(null);
  const save = useSubmit();
  const toggle = useSubmit();
  const draft = typed ?? (catalogue.data ? blank(catalogue.data) : null);
  const trigger = catalogue.data?.triggers.find((t) => t.trigger === draft?.trigger);

  const reset = () => {
    setTyped(null);
    setEditing(null);
  };
  const submit = async () => {
    if (!draft) return;
    const body = buildRule(draft, trigger);
    // A saved rule keeps its trigger: the update takes the rest.
    const send = () =>
      editing
        ? apiFetch(`/automation-rules/${editing.id}`, { method: 'PATCH', body: { name: body.name, conditions: body.conditions, actions: body.actions } })
        : apiFetch('/automation-rules', { method: 'POST', body });
    if (await save.run(send, `Rule ${draft.name} ${editing ? 'saved' : 'created'}.`)) {
      reset();
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
      <Panel title={editing ? `Edit rule “${editing.name}”` : 'New rule'}>
        <LoadState loading={catalogue.loading && !catalogue.data} error={catalogue.error} />
        {catalogue.data && draft ? (
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <RuleEditor
              catalogue={catalogue.data}
              draft={draft}
              onChange={setTyped}
              error={save.error}
              triggerFixed={editing !== null}
              picks={{ users: users.data?.items ?? [], subscriptions: subscriptions.data?.items ?? [] }}
            />
            <div className="flex gap-2">
              <Button type="submit" tone="primary" disabled={save.busy}>
                {editing ? 'Save rule' : 'Create rule'}
              </Button>
              {editing || typed ? <Button onClick={reset}>{editing ? 'Cancel editing' : 'Start again'}</Button> : null}
            </div>
            <SubmitStatus submit={save} shown={rulePaths(draft, trigger?.actions ?? [])} />
          </form>
        ) : null}
      </Panel>
      <Panel title="Rules">
        <SubmitStatus submit={toggle} />
        <DataTable
          caption="Automation rules"
          columns={[
            { header: 'Name', cell: (r) => r.name, sort: (a, b) => a.name.localeCompare(b.name) },
            { header: 'Trigger', cell: (r) => r.trigger, sort: (a, b) => a.trigger.localeCompare(b.trigger) },
            { header: 'Conditions', cell: (r) => r.conditions.length },
            { header: 'Actions', cell: (r) => r.actions.map((a) => String(a.type)).join(', ') },
            { header: 'Status', cell: (r) => (r.active ? 'enabled' : 'disabled') },
          ]}
          rows={rules.data?.items}
          rowKey={(r) => r.id}
          rowTestId={(r) => `rule-${r.id}`}
          loading={rules.loading}
          error={rules.error}
          emptyText="No rules yet."
          actions={[
            {
              label: 'Edit',
              name: (r) => `Edit ${r.name}`,
              when: (r) => parseRule(r) !== null, // else it was written through the API in a shape the rows cannot hold
              run: (r) => {
                save.clear();
                setEditing(r);
                setTyped(parseRule(r));
              },
            },
            { label: (r) => (r.active ? 'Disable' : 'Enable'), run: (r) => void setActive(r) },
          ]}
        />
      </Panel>
    </AdminLayout>
  );
}
