import { type ReactNode, useState } from 'react';

import { Field, INPUT } from '@/modules/forms/components/Field';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import type { Submit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { Button } from '@/modules/ui/components/Button';

/** What the admin types about a client organisation (the API trims and checks it). */
export type ClientDraft = { name: string; contact_email: string };

type Props = {
  initial: ClientDraft;
  submitLabel: string;
  submit: Submit;
  /** Saves the draft (an empty contact email as none); the typed values stay when it fails. */
  onSave: (body: { name: string; contact_email: string | null }) => void;
  /** More buttons beside the submit one (e.g. Close). */
  children?: ReactNode;
};

/** The name and contact email of a client organisation, for creating or editing one. */
export function ClientForm({ initial, submitLabel, submit, onSave, children }: Props) {
  const [draft, setDraft] = useState(initial);
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ name: draft.name, contact_email: draft.contact_email.trim() || null });
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Organisation name" error={fieldMessage(submit.error, 'name')} className="min-w-60">
          <input className={INPUT} value={draft.name} maxLength={200} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required />
        </Field>
        <Field label="Contact email (optional)" error={fieldMessage(submit.error, 'contact_email')} className="min-w-60">
          <input className={INPUT} type="email" value={draft.contact_email} onChange={(e) => setDraft({ ...draft, contact_email: e.target.value })} />
        </Field>
        <Button type="submit" tone="primary" disabled={submit.busy}>
          {submitLabel}
        </Button>
        {children}
      </div>
      <SubmitStatus submit={submit} shown={['name', 'contact_email']} />
    </form>
  );
}
