import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { AudiencePicker } from '@/modules/setup/components/AudiencePicker';
import type { Audience, Campaign } from '@/modules/setup/types/Campaign';
import { DAY_NAMES, RETRY_FIELDS, callSettings, callSettingsForm } from '@/modules/setup/utils/callSettings';
import { Button } from '@/modules/ui/components/Button';

type Props = { campaign: Campaign; onSaved: () => void };

const RETRY_LABELS: Record<(typeof RETRY_FIELDS)[number], string> = {
  busy: 'After busy (min)',
  no_answer: 'After no answer (min)',
  machine: 'After voicemail (min)',
  failed: 'After a failed dial (min)',
  callback: 'Callback without a time (min)',
};

/** Name, audience, caller ID, calling window and retry rules: saved in one PATCH. */
export function CallSettingsForm({ campaign, onSaved }: Props) {
  const [name, setName] = useState(campaign.name);
  const [audience, setAudience] = useState<Audience>(campaign.audience);
  const [form, setForm] = useState(() => callSettingsForm(campaign.settings));
  const submit = useSubmit();
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const err = (field: string) => fieldMessage(submit.error, field);
  const toggleDay = (day: number) =>
    setForm({ ...form, days: form.days.includes(day) ? form.days.filter((d) => d !== day) : [...form.days, day] });

  const save = async () => {
    const body = { name, audience, settings: callSettings(campaign.settings, form) };
    const saved = await submit.run(() => apiFetch(`/campaigns/${campaign.id}`, { method: 'PATCH', body }), 'Settings saved.');
    if (saved) onSaved();
  };
  const shown = ['name', 'audience', 'settings.caller_id', 'settings.wrap_up_seconds', 'settings.calling_window.start', 'settings.calling_window.end', 'settings.calling_window.days', 'settings.retry.max_attempts', ...RETRY_FIELDS.map((f) => `settings.retry.${f}`)];

  return (
    <Panel title="Audience, calling window and retries">
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="flex flex-wrap gap-3">
          <Field label="Name" error={err('name')} className="min-w-72">
            <input className={INPUT} value={name} onChange={(e) => setName(e.target.value)} required />
          </Field>
          <Field label="Caller ID" error={err('settings.caller_id')} hint="E.164, e.g. +14155550100; empty: the dialer's default." className="w-64">
            <input className={INPUT} value={form.caller_id} onChange={set('caller_id')} inputMode="tel" />
          </Field>
          <Field label="Wrap-up seconds" error={err('settings.wrap_up_seconds')} className="w-36">
            <input className={INPUT} value={form.wrap_up_seconds} onChange={set('wrap_up_seconds')} inputMode="numeric" />
          </Field>
        </div>
        <AudiencePicker value={audience} onChange={setAudience} error={err('audience')} sources={['none', 'segment_id', 'list_id', 'domain_set_id', 'all_contacts']} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold">Calling window (the callee&apos;s local time)</legend>
          <div className="flex flex-wrap items-end gap-3">
            <Field label="From" error={err('settings.calling_window.start')} className="w-32">
              <input type="time" className={INPUT} value={form.start} onChange={set('start')} />
            </Field>
            <Field label="Until" error={err('settings.calling_window.end')} className="w-32">
              <input type="time" className={INPUT} value={form.end} onChange={set('end')} />
            </Field>
            <div role="group" aria-label="Calling days" className="flex flex-wrap gap-2 pb-1">
              {DAY_NAMES.map((day, index) => (
                <label key={day} className="flex items-center gap-1 text-sm">
                  <input type="checkbox" checked={form.days.includes(index)} onChange={() => toggleDay(index)} />
                  {day}
                </label>
              ))}
            </div>
          </div>
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold">Retry rules</legend>
          <div className="flex flex-wrap gap-3">
            {RETRY_FIELDS.map((f) => (
              <Field key={f} label={RETRY_LABELS[f]} error={err(`settings.retry.${f}`)} className="w-44">
                <input className={INPUT} value={form[f]} onChange={set(f)} inputMode="numeric" />
              </Field>
            ))}
            <Field label="Most attempts" error={err('settings.retry.max_attempts')} className="w-32">
              <input className={INPUT} value={form.max_attempts} onChange={set('max_attempts')} inputMode="numeric" />
            </Field>
          </div>
        </fieldset>
        <Button type="submit" tone="primary" disabled={submit.busy}>
          Save settings
        </Button>
        <SubmitStatus submit={submit} shown={shown} />
      </form>
    </Panel>
  );
}
