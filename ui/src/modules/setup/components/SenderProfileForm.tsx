import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import type { SenderProfile } from '@/modules/setup/types/Email';
import { Button } from '@/modules/ui/components/Button';

const EMPTY = { name: '', from_name: '', from_email: '', postal_address: '' };
const LABELS: Record<keyof typeof EMPTY, string> = {
  name: 'Profile name',
  from_name: 'From name',
  from_email: 'From email',
  postal_address: 'Postal address (in every footer)',
};

/** A new sender profile, with the fields the law and the footer need. */
export function SenderProfileForm({ onCreated }: { onCreated: (profile: SenderProfile) => void }) {
  const [form, setForm] = useState(EMPTY);
  const submit = useSubmit();
  const create = async () => {
    const made = await submit.run(() => apiFetch<SenderProfile>('/sender-profiles', { method: 'POST', body: form }), 'Sender profile created.');
    if (made) {
      setForm(EMPTY);
      onCreated(made);
    }
  };
  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 p-3 dark:border-slate-700">
      <legend className="px-1 text-sm font-semibold">New sender profile</legend>
      <div className="flex flex-wrap gap-3">
        {(Object.keys(EMPTY) as (keyof typeof EMPTY)[]).map((key) => (
          <Field key={key} label={LABELS[key]} error={fieldMessage(submit.error, key)} className="min-w-56">
            <input className={INPUT} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
          </Field>
        ))}
      </div>
      <Button disabled={submit.busy} onClick={() => void create()}>
        Create sender profile
      </Button>
      <SubmitStatus submit={submit} shown={Object.keys(EMPTY)} />
    </fieldset>
  );
}
