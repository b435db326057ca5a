import { useEffect, useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import type { ContactOption } from '@/modules/setup/types/Email';

type Rendered = { subject: string; html: string; text: string };
type Props = {
  templateId: number;
  senderId: number | null;
  contactId: string;
  onContact: (id: string) => void;
  /** Changes after each save, so the preview shows the saved template. */
  version: number;
};

/** The saved template as the chosen contact would get it, footer included. */
export function TemplatePreview({ templateId, senderId, contactId, onContact, version }: Props) {
  const contacts = useApiResource<Page<ContactOption>>('/contacts?limit=100');
  const [shown, setShown] = useState<Rendered | null>(null);
  const submit = useSubmit();
  const { run } = submit;
  useEffect(() => {
    setShown(null);
    if (!contactId) return;
    const body = { contact_id: Number(contactId), ...(senderId ? { sender_profile_id: senderId } : {}) };
    void run(() => apiFetch<Rendered>(`/email-templates/${templateId}/preview`, { method: 'POST', body })).then((r) => r && setShown(r));
  }, [templateId, senderId, contactId, version, run]);

  return (
    <div className="space-y-2">
      <Field label="Preview for contact" hint={contacts.error?.message} className="max-w-md">
        <select className={INPUT} value={contactId} onChange={(e) => onContact(e.target.value)}>
          <option value="">Choose a contact…</option>
          {(contacts.data?.items ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.full_name ?? '(no name)'} — {c.email ?? 'no email'}
            </option>
          ))}
        </select>
      </Field>
      <SubmitStatus submit={submit} />
      {submit.busy ? <p className="text-sm">Rendering…</p> : null}
      {shown ? (
        <div data-testid="template-preview" className="space-y-2">
          <p className="text-sm">
            <span className="font-medium">Subject:</span> <span data-testid="preview-subject">{shown.subject}</span>
          </p>
          {/* Sandboxed: the template's HTML runs no script and reaches nothing of the app. */}
          <iframe title="HTML preview" sandbox="" srcDoc={shown.html} className="h-72 w-full rounded-md border border-slate-200 bg-white" />
          <details>
            <summary className="cursor-pointer text-sm font-medium">Text part</summary>
            <pre className="whitespace-pre-wrap rounded-md bg-slate-50 p-2 text-sm dark:bg-slate-950">{shown.text}</pre>
          </details>
        </div>
      ) : null}
    </div>
  );
}
