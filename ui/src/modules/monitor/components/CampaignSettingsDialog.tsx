import { type FormEvent, useEffect, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { Dialog } from '@/modules/console/components/Dialog';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { CampaignSummary } from '@/modules/console/types/CampaignSummary';
import type { CallSettingsForm, RetryField } from '@/modules/monitor/types/CallSettings';
import { fromForm, RETRY_DEFAULTS, toForm } from '@/modules/monitor/utils/callSettings';
import { Button } from '@/modules/ui/components/Button';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const RETRY_LABEL: Record<RetryField, string> = {
  busy: 'After busy (min)',
  no_answer: 'After no answer (min)',
  machine: 'After machine (min)',
  failed: 'After failure (min)',
  callback: 'Callback default (min)',
  max_attempts: 'Max attempts',
};
const INPUT = 'w-full rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800';

type Props = { campaignId: number; name: string; onClose: () => void; onSaved: () => void };

/** Calling window, retry rules, priority and wrap-up of a call campaign; a running one applies them at once. */
export function CampaignSettingsDialog({ campaignId, name, onClose, onSaved }: Props) {
  const campaign = useApiResource<CampaignSummary>(`/campaigns/${campaignId}`);
  const [form, setForm] = useState<CallSettingsForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (campaign.data && !form) setForm(toForm(campaign.data.settings));
  }, [campaign.data, form]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form || !campaign.data) return;
    setSaving(true);
    setMessage(null);
    try {
      await apiFetch(`/campaigns/${campaignId}`, {
        method: 'PATCH',
        body: { settings: fromForm(campaign.data.settings, form) },
      });
      onSaved();
      onClose();
    } catch (caught) {
      // the form keeps what was typed; the errors land on their fields
      const apiError = caught instanceof ApiError ? caught : null;
      setErrors(Object.fromEntries((apiError?.errors ?? []).map((e) => [e.field.replace(/^settings\./, ''), e.message])));
      setMessage(apiError?.message ?? 'The server cannot be reached.');
    } finally {
      setSaving(false);
    }
  };

  const fieldError = (key: string) =>
    errors[key] ? (
      <span id={`err-${key.replace('.', '-')}`} className="text-xs text-rose-700 dark:text-rose-300">
        {errors[key]}
      </span>
    ) : null;
  const described = (key: string) => (errors[key] ? `err-${key.replace('.', '-')}` : undefined);

  return (
    <Dialog title={`Settings of ${name}`} onClose={onClose}>
      {campaign.error ? <p role="alert" className="text-sm text-rose-800">{campaign.error.message}</p> : null}
      {!form ? (
        campaign.error ? null : <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <form onSubmit={(event) => void submit(event)} className="space-y-3 text-sm" aria-label="Campaign settings">
          <fieldset className="space-y-2">
            <legend className="font-semibold">Calling window (callee's local time)</legend>
            <div className="grid grid-cols-2 gap-2">
              <div className="space-y-1">
                <label className="block space-y-1">
                  <span>From</span>
                  <input type="time" className={INPUT} value={form.start} aria-describedby={described('calling_window.start')}
                    onChange={(e) => setForm({ ...form, start: e.target.value })} />
                </label>
                {fieldError('calling_window.start')}
              </div>
              <div className="space-y-1">
                <label className="block space-y-1">
                  <span>Until</span>
                  <input type="time" className={INPUT} value={form.end} aria-describedby={described('calling_window.end')}
                    onChange={(e) => setForm({ ...form, end: e.target.value })} />
                </label>
                {fieldError('calling_window.end')}
              </div>
            </div>
            <div className="flex flex-wrap gap-2" role="group" aria-label="Calling days">
              {DAYS.map((day, index) => (
                <label key={day} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={form.days.includes(index)}
                    onChange={(e) =>
                      setForm({ ...form, days: e.target.checked ? [...form.days, index] : form.days.filter((d) => d !== index) })
                    }
                  />
                  {day}
                </label>
              ))}
            </div>
            {fieldError('calling_window.days')}
          </fieldset>
          <fieldset className="space-y-2">
            <legend className="font-semibold">Retry rules</legend>
            <div className="grid grid-cols-2 gap-2">
              {(Object.keys(RETRY_DEFAULTS) as RetryField[]).map((field) => (
                <div key={field} className="space-y-1">
                  <label className="block space-y-1">
                    <span>{RETRY_LABEL[field]}</span>
                    <input inputMode="numeric" className={INPUT} value={form.retry[field]} aria-describedby={described(`retry.${field}`)}
                      onChange={(e) => setForm({ ...form, retry: { ...form.retry, [field]: e.target.value } })} />
                  </label>
                  {fieldError(`retry.${field}`)}
                </div>
              ))}
            </div>
          </fieldset>
          <div className="space-y-1">
            <label className="block space-y-1">
              <span className="font-semibold">Priority (0–100)</span>
              <input inputMode="numeric" className={INPUT} value={form.priority} aria-describedby={described('priority')}
                onChange={(e) => setForm({ ...form, priority: e.target.value })} />
            </label>
            <span className="block text-xs text-slate-600 dark:text-slate-300">
              An agent in several campaigns is offered the highest priority first.
            </span>
            {fieldError('priority')}
          </div>
          <div className="space-y-1">
            <label className="block space-y-1">
              <span className="font-semibold">Wrap-up (seconds)</span>
              <input inputMode="numeric" className={INPUT} value={form.wrapUp} aria-describedby={described('wrap_up_seconds')}
                onChange={(e) => setForm({ ...form, wrapUp: e.target.value })} />
            </label>
            {fieldError('wrap_up_seconds')}
          </div>
          {message ? <p role="alert" className="rounded bg-rose-50 px-2 py-1 text-rose-900">{message}</p> : null}
          <div className="flex justify-end gap-2">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" tone="primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save and apply'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
