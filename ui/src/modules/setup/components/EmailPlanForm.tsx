import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { AudiencePicker } from '@/modules/setup/components/AudiencePicker';
import { SenderProfileForm } from '@/modules/setup/components/SenderProfileForm';
import type { Audience, Campaign } from '@/modules/setup/types/Campaign';
import type { EmailTemplate, SenderProfile } from '@/modules/setup/types/Email';
import { type StepForm, evenWeights, planForm, planSettings, weightTotal } from '@/modules/setup/utils/emailPlan';
import { removeAt, replaceAt } from '@/modules/setup/utils/rows';
import { Button } from '@/modules/ui/components/Button';

type Props = { campaign: Campaign; templates: EmailTemplate[]; onSaved: () => void };

const letter = (i: number) => String.fromCharCode(65 + i);

/** Audience, sender profile, sequence steps with A/B/n variants, and the send rate. */
export function EmailPlanForm({ campaign, templates, onSaved }: Props) {
  const [name, setName] = useState(campaign.name);
  const [audience, setAudience] = useState<Audience>(campaign.audience);
  const [form, setForm] = useState(() => planForm(campaign.settings));
  const [senderVersion, setSenderVersion] = useState(0);
  const senders = useApiResource<Page<SenderProfile>>('/sender-profiles?limit=200', senderVersion);
  const submit = useSubmit();
  const err = (field: string) => fieldMessage(submit.error, field);
  const setStep = (i: number, step: StepForm) => setForm({ ...form, steps: replaceAt(form.steps, i, step) });
  const firstTemplate = templates[0] ? String(templates[0].id) : '';

  const addVariant = (i: number) => {
    const step = form.steps[i];
    const weights = evenWeights(step.variants.length + 1);
    const variants = [...step.variants, { template_id: firstTemplate, weight: '0' }].map((v, n) => ({ ...v, weight: weights[n] }));
    setStep(i, { ...step, variants });
  };
  const save = async () => {
    const body = { name, audience, settings: planSettings(campaign.settings, form) };
    if (await submit.run(() => apiFetch(`/campaigns/${campaign.id}`, { method: 'PATCH', body }), 'Plan saved.')) onSaved();
  };

  return (
    <Panel title="Audience, sender and sequence">
      <div className="flex flex-wrap gap-3">
        <Field label="Name" error={err('name')} className="min-w-72">
          <input className={INPUT} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Sends per minute" error={err('settings.email.rate_per_minute')} className="w-40">
          <input className={INPUT} value={form.rate_per_minute} inputMode="numeric" onChange={(e) => setForm({ ...form, rate_per_minute: e.target.value })} />
        </Field>
      </div>
      <AudiencePicker value={audience} onChange={setAudience} error={err('audience')} sources={['none', 'segment_id', 'list_id', 'all_contacts']} />
      <Field label="Sender profile" error={err('settings.email.sender_profile_id')} className="max-w-md" hint={senders.error?.message}>
        <select className={INPUT} value={form.sender_profile_id} onChange={(e) => setForm({ ...form, sender_profile_id: e.target.value })}>
          <option value="">Choose…</option>
          {(senders.data?.items ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} — {s.from_name} &lt;{s.from_email}&gt;
            </option>
          ))}
        </select>
      </Field>
      <SenderProfileForm
        onCreated={(made) => {
          setSenderVersion((v) => v + 1);
          setForm((f) => ({ ...f, sender_profile_id: String(made.id) }));
        }}
      />
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">Sequence steps</legend>
        {!templates.length ? <p className="text-sm text-slate-600 dark:text-slate-400">Create a template below first.</p> : null}
        <ol className="space-y-2">
          {form.steps.map((step, i) => (
            <li key={i} className="space-y-2 rounded-md border border-slate-200 p-2 dark:border-slate-700">
              <div className="flex flex-wrap items-end gap-2">
                <h3 className="pb-2 text-sm font-semibold">Step {i + 1}</h3>
                <Field label={`Step ${i + 1} delay (days after the previous step)`} error={err(`settings.email.steps.${i}.delay_days`)} className="w-72">
                  <input className={INPUT} value={step.delay_days} inputMode="decimal" onChange={(e) => setStep(i, { ...step, delay_days: e.target.value })} />
                </Field>
                <Button onClick={() => addVariant(i)}>Add variant</Button>
                <Button aria-label={`Remove step ${i + 1}`} onClick={() => setForm({ ...form, steps: removeAt(form.steps, i) })}>
                  Remove step
                </Button>
              </div>
              {step.variants.map((variant, v) => (
                <div key={v} className="flex flex-wrap items-end gap-2 pl-4">
                  <Field label={`Step ${i + 1} variant ${letter(v)} template`} className="min-w-64">
                    <select
                      className={INPUT}
                      value={variant.template_id}
                      onChange={(e) => setStep(i, { ...step, variants: replaceAt(step.variants, v, { ...variant, template_id: e.target.value }) })}
                    >
                      <option value="">Choose…</option>
                      {templates.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.name}
                        </option>
                      ))}
                    </select>
                  </Field>
                  {step.variants.length > 1 ? (
                    <>
                      <Field label={`Variant ${letter(v)} share (%)`} error={err(`settings.email.steps.${i}.variants.${v}.weight`)} className="w-36">
                        <input
                          className={INPUT}
                          value={variant.weight}
                          inputMode="numeric"
                          onChange={(e) => setStep(i, { ...step, variants: replaceAt(step.variants, v, { ...variant, weight: e.target.value }) })}
                        />
                      </Field>
                      <Button aria-label={`Remove variant ${letter(v)} of step ${i + 1}`} onClick={() => setStep(i, { ...step, variants: removeAt(step.variants, v) })}>
                        ✕
                      </Button>
                    </>
                  ) : null}
                </div>
              ))}
              {step.variants.length > 1 && weightTotal(step) !== 100 ? (
                <p className="pl-4 text-sm text-amber-800 dark:text-amber-300">The shares add up to {weightTotal(step)}%, not 100%.</p>
              ) : null}
              {err(`settings.email.steps.${i}.variants`) ? <p className="pl-4 text-sm text-rose-700 dark:text-rose-300">{err(`settings.email.steps.${i}.variants`)}</p> : null}
            </li>
          ))}
        </ol>
        <Button onClick={() => setForm({ ...form, steps: [...form.steps, { delay_days: form.steps.length ? '3' : '0', variants: [{ template_id: firstTemplate, weight: '100' }] }] })}>
          Add step
        </Button>
      </fieldset>
      <Button tone="primary" disabled={submit.busy} onClick={() => void save()}>
        Save plan
      </Button>
      <SubmitStatus submit={submit} shown={['name', 'audience', 'settings.email.rate_per_minute', 'settings.email.sender_profile_id']} />
    </Panel>
  );
}
