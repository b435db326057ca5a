import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { TemplatePreview } from '@/modules/setup/components/TemplatePreview';
import type { EmailTemplate } from '@/modules/setup/types/Email';
import { Button } from '@/modules/ui/components/Button';

type Draft = Pick<EmailTemplate, 'name' | 'subject' | 'html' | 'text'>;
const BLANK: Draft = {
  name: '',
  subject: 'Hello {{contact.first_name|there}}',
  html: '<p>Hi {{contact.first_name|there}},</p>\n<p>…</p>',
  text: 'Hi {{contact.first_name|there}},\n\n…',
};

type Props = {
  campaignId: number;
  templates: EmailTemplate[];
  /** The template open in the editor ("new" for a new one), and the preview's contact: both in the URL. */
  selected: string;
  contactId: string;
  senderId: number | null;
  onSelect: (template: string, contact?: string) => void;
  onSaved: () => void;
};

/** Templates of the campaign: HTML and text parts, and a preview for a chosen contact. */
export function TemplateEditor({ campaignId, templates, selected, contactId, senderId, onSelect, onSaved }: Props) {
  const current = templates.find((t) => String(t.id) === selected) ?? null;
  // Kept here: saving a new template reopens it as the saved one (a new form).
  const [note, setNote] = useState<string | null>(null);
  return (
    <Panel
      title="Templates"
      actions={
        <Button onClick={() => onSelect('new', contactId)} aria-pressed={selected === 'new'}>
          New template
        </Button>
      }
    >
      {templates.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Templates of this campaign">
          {templates.map((t) => (
            <li key={t.id}>
              <Button tone={String(t.id) === selected ? 'primary' : 'neutral'} aria-pressed={String(t.id) === selected} onClick={() => onSelect(String(t.id), contactId)}>
                {t.name}
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">No templates yet.</p>
      )}
      {selected === 'new' || current ? (
        <TemplateForm
          key={current?.id ?? 'new'}
          campaignId={campaignId}
          template={current}
          contactId={contactId}
          senderId={senderId}
          onContact={(id) => onSelect(selected, id)}
          onSaved={(made) => {
            setNote(`Template ${made.name} saved.`);
            onSaved();
            onSelect(String(made.id), contactId);
          }}
          onEdit={() => setNote(null)}
        />
      ) : null}
      {note ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          {note}
        </p>
      ) : null}
    </Panel>
  );
}

type FormProps = {
  campaignId: number;
  template: EmailTemplate | null;
  contactId: string;
  senderId: number | null;
  onContact: (id: string) => void;
  onSaved: (template: EmailTemplate) => void;
  onEdit: () => void;
};

function TemplateForm({ campaignId, template, contactId, senderId, onContact, onSaved, onEdit }: FormProps) {
  const [draft, setDraft] = useState<Draft>(template ?? BLANK);
  const [version, setVersion] = useState(0);
  const submit = useSubmit();
  const err = (f: string) => fieldMessage(submit.error, f);
  const save = async () => {
    onEdit();
    const saved = await submit.run(
      () =>
        template
          ? apiFetch<EmailTemplate>(`/email-templates/${template.id}`, { method: 'PATCH', body: draft })
          : apiFetch<EmailTemplate>('/email-templates', { method: 'POST', body: { ...draft, campaign_id: campaignId } }),
    );
    if (saved) {
      setVersion((v) => v + 1);
      onSaved(saved);
    }
  };
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className="space-y-2">
        <Field label="Template name" error={err('name')}>
          <input className={INPUT} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </Field>
        <Field label="Subject" error={err('subject')}>
          <input className={INPUT} value={draft.subject} onChange={(e) => setDraft({ ...draft, subject: e.target.value })} />
        </Field>
        <Field label="HTML part" error={err('html')}>
          <textarea className={`${INPUT} h-40 font-mono`} value={draft.html} onChange={(e) => setDraft({ ...draft, html: e.target.value })} />
        </Field>
        <Field label="Text part" error={err('text')}>
          <textarea className={`${INPUT} h-28 font-mono`} value={draft.text} onChange={(e) => setDraft({ ...draft, text: e.target.value })} />
        </Field>
        <Button tone="primary" disabled={submit.busy} onClick={() => void save()}>
          Save template
        </Button>
        <SubmitStatus submit={submit} shown={['name', 'subject', 'html', 'text']} />
      </div>
      {template ? (
        <TemplatePreview templateId={template.id} senderId={senderId} contactId={contactId} onContact={onContact} version={version} />
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">Save the template to preview it for a contact.</p>
      )}
    </div>
  );
}
